package dev.topoc.compiler.validate;

import dev.topoc.compiler.diag.Code;
import dev.topoc.compiler.diag.Diagnostic;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.model.IfRef;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.Node;
import java.util.List;

/**
 * A macvlan or ipvlan on a bridge port: the bridge already holds the port's receive hook, so the kernel
 * refuses the sub-interface (EBUSY). Put it on the bridge instead.
 */
final class ParentBridgePortRule implements Validator.Rule {
    @Override
    public void check(Facts facts, Diagnostics diagnostics) {
        for (Node n : facts.topology.nodes()) {
            for (Interface i : n.interfaces()) {
                IfRef parentRef = switch (i.ifKind()) {
                    case MACVLAN -> ((Interface.Macvlan) i).parent();
                    case IPVLAN -> ((Interface.Ipvlan) i).parent();
                    // the kernel accepts a VLAN on a bridge port: tagged frames reach the VLAN before the bridge
                    case VETH, BRIDGE, VLAN, VXLAN, PHYSICAL, DUMMY, TUN, TAP, LOOPBACK -> null;
                };
                Interface parent = parentRef == null ? null : facts.iface(parentRef);
                if (parent == null || parent.common().master() == null) {
                    continue;
                }
                String bridge = parent.common().master();
                diagnostics.add(Code.PARENT_IS_BRIDGE_PORT.at(i.span(), i.kind(), i.ref(), parentRef, bridge,
                        parentRef.node()).withNotes(List.of(new Diagnostic.Note(parent.span(), "`" + parentRef + "` is enslaved to `" + bridge + "`"))));
            }
        }
    }
}
