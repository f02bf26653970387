package dev.topoc.compiler.validate;

import dev.topoc.compiler.analysis.Sysctls;
import dev.topoc.compiler.diag.Code;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.model.Node;

/**
 * No silently ignored setting: a {@code sysctl} key the simulator does not model ({@link Sysctls#modelled})
 * is applied by the backends but not seen by {@code check} and {@code simulate}, so their answers may differ
 * from the machine's. One warning per key, listing the modelled ones. (Which keys are accepted at all is
 * the resolver's business; this rule only says what the simulator believes.)
 */
final class SysctlModelledRule implements Validator.Rule {
    @Override
    public void check(Facts facts, Diagnostics diagnostics) {
        for (Node n : facts.topology.nodes()) {
            n.sysctl().forEach((key, value) -> {
                if (!Sysctls.modelled(n, key, value)) {
                    diagnostics.report(Code.SYSCTL_NOT_MODELLED, n.span(), key, value, n.name(),
                            String.join(", ", Sysctls.MODELLED));
                }
            });
        }
    }
}
