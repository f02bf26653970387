package dev.topoc.compiler.validate;

import dev.topoc.compiler.diag.Code;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.model.Topology;
import java.util.stream.Collectors;

/**
 * An address on a bridge port is dead: the bridge takes every frame the port receives, so the port's
 * own IP stack never sees a packet addressed to it (the notes' k8s VIP lesson; the kernel confirms it).
 */
final class BridgePortAddressRule implements Validator.Rule {
    @Override
    public void check(Facts facts, Diagnostics diagnostics) {
        Topology topology = facts.topology;
        for (Node n : topology.nodes()) {
            for (Interface i : n.interfaces()) {
                if (i.common().master() != null && !i.addresses().isEmpty()) {
                    String addrs = i.addresses().stream().map(Object::toString).collect(Collectors.joining(", "));
                    diagnostics.report(Code.BRIDGE_PORT_ADDRESS, i.span(), i.ref(), i.common().master(), addrs);
                }
            }
        }
    }
}
