package dev.topoc.compiler.validate;

import dev.topoc.compiler.diag.Code;
import dev.topoc.compiler.diag.Diagnostic;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.model.Cidr;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.Node;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One subnet on two interfaces of a node: the node gets two connected routes for it, the first one wins,
 * and replies can leave by the other interface (the notes' lo-subnet lesson). Hashing per node. A bridge
 * port's address is {@link BridgePortAddressRule}'s (it is dead anyway), so ports are skipped.
 */
final class SameSubnetOnNodeRule implements Validator.Rule {
    @Override
    public void check(Facts facts, Diagnostics diagnostics) {
        for (Node n : facts.topology.nodes()) {
            Map<String, Interface> first = new HashMap<>();
            for (Interface i : n.interfaces()) {
                if (i.common().master() != null) {
                    continue;
                }
                for (Cidr c : i.addresses()) {
                    if (!Facts.isSubnetAddress(c) || c.prefixLength() >= (c.isIpv4() ? 32 : 128)) {
                        continue;
                    }
                    Cidr subnet = c.networkCidr();
                    Interface prior = first.putIfAbsent(subnet.toString(), i);
                    if (prior != null && prior != i) {
                        diagnostics.add(Code.SAME_SUBNET_ON_NODE.at(i.span(), i.ref(), prior.ref(), subnet,
                                n.name()).withNotes(List.of(new Diagnostic.Note(prior.span(), subnet + " is first assigned here"))));
                    }
                }
            }
        }
    }
}
