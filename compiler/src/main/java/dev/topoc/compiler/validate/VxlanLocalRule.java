package dev.topoc.compiler.validate;

import dev.topoc.compiler.analysis.Analysis;
import dev.topoc.compiler.diag.Code;
import dev.topoc.compiler.diag.Diagnostic;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.diag.Severity;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.Node;
import java.util.ArrayList;
import java.util.List;

/**
 * A VXLAN's {@code local} must be an address of its own node, or it cannot send (nor bind) from it. The underlay
 * address of a machine is an address of the machine's default namespace (a {@code root} node on it) even when the
 * file does not declare the NIC that carries it: that is how a machine's part of a stitched topology names it.
 */
final class VxlanLocalRule implements Validator.Rule {
    private static boolean machineUnderlay(Facts facts, Node n, Interface.Vxlan x) {
        return n.kind() == dev.topoc.compiler.model.NodeKind.ROOT && n.machine().flatMap(facts.topology::machine)
                .flatMap(dev.topoc.compiler.model.Machine::underlay)
                .map(u -> Analysis.addressKey(u).equals(Analysis.addressKey(x.local()))).orElse(false);
    }

    @Override
    public void check(Facts facts, Diagnostics diagnostics) {
        for (Node n : facts.topology.nodes()) {
            for (Interface.Vxlan x : n.interfaces(Interface.Vxlan.class)) {
                if (x.local() == null) {
                    continue;
                }
                boolean own = n.interfaces().stream().flatMap(j -> j.addresses().stream())
                        .anyMatch(c -> Analysis.addressKey(c.address()).equals(Analysis.addressKey(x.local())))
                        || machineUnderlay(facts, n, x);
                if (own) {
                    continue;
                }
                Interface owner = facts.owner(x.local());
                List<Diagnostic.Note> notes = new ArrayList<>();
                if (owner != null) {
                    notes.add(new Diagnostic.Note(owner.span(), x.local().toCanonicalString() + " belongs to `"
                            + owner.ref() + "`, on another node"));
                }
                diagnostics.add(new Diagnostic(Severity.ERROR, Code.VXLAN_LOCAL_NOT_OWN, x.span(),
                        "`local " + x.local().toCanonicalString() + "` of vxlan `" + x.ref() + "` is not an address of node `"
                                + n.name() + "`, so the tunnel cannot send from it. Use an address of `" + n.name()
                                + "` (usually the one on the underlay `dev`)",
                        notes));
            }
        }
    }
}
