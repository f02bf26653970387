package dev.topoc.compiler.validate;

import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.model.Topology;
import java.util.List;

/**
 * Validation: small named rules over the resolved model, each adding diagnostics; nothing throws.
 * Rules see a consistent model (the resolver's errors gate them), so they may follow references freely.
 */
public final class Validator {
    /** One check over the model. */
    public interface Rule {
        void check(Topology topology, Diagnostics diagnostics);
    }

    private static final List<Rule> RULES = List.of(
            new AddressRules(),
            new BridgePortAddressRule());

    private Validator() {}

    public static void validate(Topology topology, Diagnostics diagnostics) {
        for (Rule r : RULES) {
            r.check(topology, diagnostics);
        }
    }
}
