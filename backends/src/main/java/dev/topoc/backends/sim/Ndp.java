package dev.topoc.backends.sim;

import dev.topoc.compiler.model.Proto;
import java.util.List;

/**
 * IPv6 neighbour discovery through netfilter. Unlike ARP, a neighbour solicitation and its advertisement are
 * ICMPv6 packets, so they cross the {@code inet} filter chains: the solicitation leaves the asking node through
 * its {@code output} chain and enters the answering node through its {@code input} chain, the advertisement the
 * other way. Conntrack leaves them untracked (nf_conntrack_icmpv6_error: neighbour discovery is not tracked), so
 * no {@code state} rule matches them, and an IPv4-style rule {@code proto icmp} does not either: a node whose
 * {@code input} policy is drop with only {@code accept state established,related} can resolve no IPv6
 * neighbour (found by the kernel agreement property: a dual-stack host with that chain reaches nothing over IPv6,
 * while its IPv4 works, ARP not being IP). With {@code net.bridge.bridge-nf-call-ip6tables 1} on a node whose
 * bridge is on the way, both also cross that node's {@code forward} chain (measured: policy drop, or drop with only
 * {@code accept state established,related}, or accepting only the peers' unicast addresses, leaves the neighbour
 * INCOMPLETE; {@code ct state untracked accept} lets it resolve). Who answers is {@link Flood#responder}'s business; this class only
 * says whether the exchange survives the filters.
 */
final class Ndp {
    private Ndp() {}

    /** The solicited-node multicast address of {@code target} (ff02::1:ffXX:XXXX), where a solicitation goes. */
    static Addr solicitedNode(Addr target) {
        long low24 = target.lo & 0xffffffL;
        String text = String.format("ff02::1:ff%02x:%04x", low24 >>> 16, low24 & 0xffff);
        return Addr.of(new inet.ipaddr.IPAddressString(text).getAddress());
    }

    /** The link-local stand-in source of a solicitation whose packet's source is not local (the device's fe80::). */
    private static final Addr LINK_LOCAL = Addr.of(new inet.ipaddr.IPAddressString("fe80::1").getAddress());

    /**
     * Why the solicitation {@code n} sends on {@code dev} for {@code target} (answered by {@code resp}), or its
     * advertisement, is dropped by a filter chain; null when the exchange goes through. The solicitation's
     * source is the packet's own source when it is local to {@code n} (ndisc_solicit), else a link-local address.
     */
    static String filtered(DataPlane plane, int depth, NodeState n, Dev dev, Dev resp, Addr packetSrc, Addr target) {
        List<Walk.Crossing> bridges = plane.bridgeNf6 ? Walk.crossings(plane, dev, resp, true) : List.of();
        if (!n.netfilter && !resp.node.netfilter && bridges.isEmpty()) {
            return null;
        }
        Netfilter nf = new Netfilter(new Walk(plane, false, depth + 1)); // the exchange leaves no hops in the trace
        Addr src = packetSrc != null && n.isLocal(packetSrc) ? packetSrc : LINK_LOCAL;
        Walk.Pkt ns = icmp6(src, solicitedNode(target));
        String why = nf.filter(n, n.output, "output", ns, "", dev.name);
        if (why == null) {
            why = nf.filter(resp.node, resp.node.input, "input", ns, resp.name, "");
        }
        Walk.Pkt na = icmp6(target, src);
        // bridge-nf-call-ip6tables 1: the flooded solicitation and the unicast advertisement are bridged frames, so
        // each crosses the bridge node's forward chain, the bridge as both interfaces (measured: a forward chain
        // that drops by default, or accepts only established traffic, leaves the neighbour INCOMPLETE)
        for (Walk.Crossing c : bridges) {
            String br = c.bridge().name;
            if (why == null) {
                why = nf.filter(c.node(), c.node().forward, "forward", ns, br, br);
            }
            if (why == null) {
                why = nf.filter(c.node(), c.node().forward, "forward", icmp6(target, src), br, br);
            }
            if (why != null) {
                why = why + " as " + c.node().name + " bridges it between " + c.inPort().name + " and " + c.outPort().name
                        + " (net.bridge.bridge-nf-call-ip6tables is 1)";
                break;
            }
        }
        if (why == null) {
            why = nf.filter(resp.node, resp.node.output, "output", na, "", resp.name);
        }
        if (why == null) {
            why = nf.filter(n, n.input, "input", na, dev.name, "");
        }
        return why == null ? null : "neighbour discovery for " + target + " from " + dev.id() + " fails: the ICMPv6 "
                + "solicitation or advertisement is " + why + " (neighbour discovery is untracked: no `state` rule matches it)";
    }

    private static Walk.Pkt icmp6(Addr src, Addr dst) {
        Walk.Pkt p = new Walk.Pkt();
        p.src = src;
        p.dst = dst;
        p.proto = Proto.ICMP;
        p.ct = null; // untracked
        return p;
    }
}
