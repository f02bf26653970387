package dev.topoc.compiler.validate;

import dev.topoc.compiler.diag.Code;
import dev.topoc.compiler.diag.Diagnostic;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.Node;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Two VXLAN devices of one node with the same VNI and UDP port: the kernel refuses the second. */
final class VxlanDuplicateRule implements Validator.Rule {
    @Override
    public void check(Facts facts, Diagnostics diagnostics) {
        for (Node n : facts.topology.nodes()) {
            Map<String, Interface.Vxlan> first = new HashMap<>();
            for (Interface.Vxlan x : n.interfaces(Interface.Vxlan.class)) {
                Interface.Vxlan prior = first.putIfAbsent(x.vni() + "/" + x.port(), x);
                if (prior != null) {
                    diagnostics.add(Code.DUPLICATE_VXLAN.at(x.span(), x.ref(), x.vni(), x.port(),
                            prior.ref()).withNotes(List.of(new Diagnostic.Note(prior.span(), "VNI " + x.vni() + " on port " + x.port()
                                    + " first used here"))));
                }
            }
        }
    }
}
