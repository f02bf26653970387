package dev.topoc.compiler.validate;

import dev.topoc.compiler.analysis.Analysis;
import dev.topoc.compiler.analysis.L2Domains;
import dev.topoc.compiler.analysis.Sysctls;
import dev.topoc.compiler.model.Cidr;
import dev.topoc.compiler.model.IfRef;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.model.NodeKind;
import dev.topoc.compiler.model.Topology;
import inet.ipaddr.IPAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What several rules need to look up, computed once per validation: the model's {@link Analysis}
 * (interfaces by reference, address owners, sub-interfaces by parent, L2 domains), shared with the
 * backends and the simulator, and the few questions only validation asks of it.
 */
final class Facts {
    final Topology topology;
    final Analysis analysis;

    Facts(Topology topology) {
        this.topology = topology;
        this.analysis = Analysis.of(topology);
    }

    Interface owner(IPAddress address) {
        return analysis.owner(address);
    }

    Node node(String name) {
        return analysis.node(name);
    }

    Interface iface(IfRef ref) {
        return analysis.iface(ref);
    }

    L2Domains domains() {
        return analysis.domains();
    }

    /**
     * True when the node forwards packets of this family: {@code forwarding}, or the sysctl that turns
     * it on. External nodes stand for the world outside (upstream routers, the internet): they are never
     * provisioned, so whatever they must forward they are assumed to.
     */
    static boolean forwards(Node n, boolean ipv6) {
        return n.kind() == NodeKind.EXTERNAL || Sysctls.of(n).forwardsAnywhere(n, ipv6);
    }

    /**
     * Whether {@code a} is an address of node {@code n} itself: one of its interfaces' addresses, inside a
     * prefix an address on its {@code lo} makes local, or in 127/8 and ::1 (its loopback, always there).
     */
    static boolean ownAddress(Node n, IPAddress a) {
        if (a.isLoopback()) {
            return true;
        }
        IPAddress bare = a.withoutPrefixLength();
        for (Interface i : n.interfaces()) {
            for (Cidr c : i.addresses()) {
                if (c.address().withoutPrefixLength().equals(bare)
                        || i.ifKind() == dev.topoc.compiler.model.IfKind.LOOPBACK && c.isIpv4() == (bare.isIPv4()) && c.contains(bare)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The ipvlan child of {@code gateway} that owns destinations in {@code dst}, if any. An ipvlan shares
     * its parent's MAC and hands each packet to the child whose address it is for, before the parent's
     * node routes it: a gateway address on the parent delivers to the child without forwarding.
     */
    Interface.Ipvlan ipvlanFor(Interface gateway, Cidr dst) {
        for (Interface child : analysis.children(gateway.ref())) {
            Interface.Ipvlan v = child.as(Interface.Ipvlan.class).orElse(null);
            if (v == null) {
                continue;
            }
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
