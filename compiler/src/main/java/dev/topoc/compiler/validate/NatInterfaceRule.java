package dev.topoc.compiler.validate;

import dev.topoc.compiler.diag.Code;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.model.IfMatch;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.NatRule;
import dev.topoc.compiler.model.Node;
import java.util.Map;

/** {@code nat … out IF} / {@code in IF} must name an interface of the node, or the entry never matches (or, negated, always). */
final class NatInterfaceRule implements Validator.Rule {
    @Override
    public void check(Facts facts, Diagnostics diagnostics) {
        for (Node n : facts.topology.nodes()) {
            if (n.nat().isEmpty()) {
                continue;
            }
            Map<String, Interface> names = Facts.byName(n);
            for (NatRule r : n.nat()) {
                check(n, r, r.out(), "out", names, diagnostics);
                check(n, r, r.in(), "in", names, diagnostics);
            }
        }
    }

    private static void check(Node n, NatRule r, IfMatch m, String word, Map<String, Interface> names,
            Diagnostics diagnostics) {
        if (m == null || names.containsKey(m.name())) {
            return;
        }
        diagnostics.error(Code.NAT_UNKNOWN_INTERFACE, r.span(), "`" + word + " " + m + "`: node `" + n.name()
                + "` has no interface `" + m.name() + "`, so this " + r.type().word() + " entry "
                + (m.negated() ? "matches every interface" : "never matches") + ". Name one of: "
                + String.join(", ", names.keySet()));
    }
}
