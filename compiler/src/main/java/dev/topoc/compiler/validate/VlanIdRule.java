package dev.topoc.compiler.validate;

import dev.topoc.compiler.diag.Code;
import dev.topoc.compiler.diag.Diagnostic;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.Node;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Two VLAN sub-interfaces with one id on one parent: the kernel refuses the second ("File exists"). */
final class VlanIdRule implements Validator.Rule {
    @Override
    public void check(Facts facts, Diagnostics diagnostics) {
        Map<String, Interface.Vlan> first = new HashMap<>();
        for (Node n : facts.topology.nodes()) {
            for (Interface.Vlan v : n.interfaces(Interface.Vlan.class)) {
                Interface.Vlan prior = first.putIfAbsent(v.parent() + "#" + v.id(), v);
                if (prior != null) {
                    diagnostics.add(Code.DUPLICATE_VLAN_ID.at(v.span(), v.id(), v.parent(),
                            prior.ref()).withNotes(List.of(new Diagnostic.Note(prior.span(), "VLAN " + v.id() + " of `" + v.parent()
                                    + "` first defined here"))));
                }
            }
        }
    }
}
