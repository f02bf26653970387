package dev.topoc.compiler.validate;

import dev.topoc.compiler.diag.Code;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.model.NatRule;
import dev.topoc.compiler.model.NatType;
import dev.topoc.compiler.model.Node;

/**
 * A DNAT whose target is no address of any node forwards into the void (usually a typo in the address). A
 * target that is the node's own address (127.0.0.1 included: a local listener) is delivered locally.
 */
final class DnatTargetRule implements Validator.Rule {
    @Override
    public void check(Facts facts, Diagnostics diagnostics) {
        for (Node n : facts.topology.nodes()) {
            for (NatRule r : n.nat()) {
                if (r.type() != NatType.DNAT || r.toAddress() == null || facts.owner(r.toAddress()) != null
                        || Facts.ownAddress(n, r.toAddress())) {
                    continue;
                }
                diagnostics.report(Code.DNAT_TARGET_UNKNOWN, r.span(), r.toAddress().toCanonicalString());
            }
        }
    }
}
