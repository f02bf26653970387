package dev.topoc.compiler.validate;

import dev.topoc.compiler.model.Cidr;
import dev.topoc.compiler.model.IfRef;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.model.NodeKind;
import dev.topoc.compiler.model.Topology;
import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What several rules need to look up, computed once per validation: interfaces by reference, the
 * owner of every address, ipvlan children by parent, and the L2 domains (lazily). Everything is hashed,
 * so building it is linear in the size of the model.
 */
final class Facts {
    final Topology topology;
    final Map<String, Node> nodes = new HashMap<>();
    final Map<IfRef, Interface> ifaces = new HashMap<>();
    /** Canonical address text → the first interface that has it. */
    final Map<String, Interface> addressOwner = new HashMap<>();
    final Map<IfRef, List<Interface.Ipvlan>> ipvlanChildren = new HashMap<>();
    private L2Domains domains;

    Facts(Topology topology) {
        this.topology = topology;
        for (Node n : topology.nodes()) {
            nodes.putIfAbsent(n.name(), n);
            for (Interface i : n.interfaces()) {
                ifaces.putIfAbsent(i.ref(), i);
                for (Cidr c : i.addresses()) {
                    addressOwner.putIfAbsent(key(c.address()), i);
                }
                i.as(Interface.Ipvlan.class)
                        .ifPresent(v -> ipvlanChildren.computeIfAbsent(v.parent(), k -> new ArrayList<>()).add(v));
            }
        }
    }

    static String key(IPAddress address) {
        return address.withoutPrefixLength().toCanonicalString();
    }

    Interface owner(IPAddress address) {
        return addressOwner.get(key(address));
    }

    Node node(String name) {
        return nodes.get(name);
    }

    Interface iface(IfRef ref) {
        return ifaces.get(ref);
    }

    L2Domains domains() {
        if (domains == null) {
            domains = new L2Domains(topology);
        }
        return domains;
    }

    /**
     * True when the node forwards packets of this family: {@code forwarding}, or the sysctl that turns
     * it on. External nodes stand for the world outside (upstream routers, the internet): they are never
     * provisioned, so whatever they must forward they are assumed to.
     */
    static boolean forwards(Node n, boolean ipv6) {
        if (n.forwarding() || n.kind() == NodeKind.EXTERNAL) {
            return true;
        }
        String key = ipv6 ? "net.ipv6.conf.all.forwarding" : "net.ipv4.ip_forward";
        String alt = ipv6 ? "net.ipv6.conf.default.forwarding" : "net.ipv4.conf.all.forwarding";
        return "1".equals(n.sysctl().get(key)) || "1".equals(n.sysctl().get(alt));
    }

    /**
     * The ipvlan child of {@code gateway} that owns destinations in {@code dst}, if any. An ipvlan shares
     * its parent's MAC and hands each packet to the child whose address it is for, before the parent's
     * node routes it: a gateway address on the parent delivers to the child without forwarding.
     */
    Interface.Ipvlan ipvlanFor(Interface gateway, Cidr dst) {
        for (Interface.Ipvlan v : ipvlanChildren.getOrDefault(gateway.ref(), List.of())) {
            for (Cidr c : v.addresses()) {
                if (c.isIpv4() == dst.isIpv4() && c.prefixLength() <= dst.prefixLength() && c.contains(dst.address())) {
                    return v;
                }
            }
        }
        return null;
    }

    /** Interfaces of a node by name, in order. */
    static Map<String, Interface> byName(Node n) {
        Map<String, Interface> m = new LinkedHashMap<>();
        n.interfaces().forEach(i -> m.putIfAbsent(i.name(), i));
        return m;
    }

    /** Loopback-range (127/8, ::1) and link-local addresses say nothing about subnets shared between nodes. */
    static boolean isSubnetAddress(Cidr c) {
        return !c.address().isLoopback() && !c.address().isLinkLocal();
    }
}
