package dev.topoc.backends.sim;

import dev.topoc.backends.sim.NodeState.RouteEntry;
import dev.topoc.backends.sim.NodeState.RuleEntry;
import dev.topoc.compiler.model.CtState;
import dev.topoc.compiler.model.IfKind;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.IpvlanFlag;
import dev.topoc.compiler.model.IpvlanMode;
import dev.topoc.compiler.model.Proto;
import java.util.ArrayList;
import java.util.List;

/**
 * Layer 3: one packet walk (a request, then its reply, share {@link Netfilter}'s conntrack table). The
 * order of steps is the kernel's: on output, route (policy rules by priority, longest prefix match),
 * choose the source address, conntrack, filter {@code output}, then {@code postrouting} source NAT; on
 * receive, conntrack and {@code prerouting} DNAT, route with the incoming interface, then either local
 * delivery through filter {@code input}, or (forwarding on) TTL, filter {@code forward}, source NAT and
 * transmission. Transmission resolves the next hop by ARP over the layer-2 {@link Flood} and checks
 * that the ARP reply finds its way back.
 */
final class Walk {
    static final int EPHEMERAL_PORT = 40000;
    private static final int MAX_STEPS = 256;

    static final class Pkt {
        Addr src;
        Addr dst;
        Proto proto;
        int sport;
        int dport;
        boolean response;
        /**
         * Sent by a connected TCP/UDP socket: connect() routes again with the source the first lookup chose, so
         * {@code from} rules apply; a raw ping socket (and the kernel's own packets: VXLAN) keeps the first route.
         */
        boolean connected;
        /** The IP packet's length in bytes (an ICMP echo: payload + 28) and its don't-fragment bit. */
        int len = 84;
        boolean df;
        int ttl = 64;
        CtState ct;
        Netfilter.Conn conn;
        boolean replyDir;
        Addr restoreSrc;
        int restoreSport;
        /** An ICMP error ({@link Icmp}): its kind and the offending packet it quotes, as conntrack reads it. */
        Icmp.Kind error;
        Pkt inner;
        /** Delivered as a directed broadcast: the answer comes from this address (fib_compute_spec_dst), not the broadcast. */
        Addr answerFrom;
        /** The scope of a link-local destination: the device it leaves by (an ICMPv6 error: the one the offending packet came in on). */
        Dev oif;
    }

    record Delivered(NodeState node, Dev dev, Pkt p) {}

    /** Not delivered yet: the device resolves the next hop by ARP and sends a frame (see {@link #transmit}). */
    private static final Delivered NEIGHBOUR = new Delivered(null, null, null);

    /** A route, or why there is none ({@code unreach}: the ICMP error a forwarding node sends then, null for none). */
    record Lookup(RouteEntry route, String failure, Icmp.Kind unreach) {
        Lookup(RouteEntry route, String failure) {
            this(route, failure, failure == null ? null : Icmp.Kind.NET_UNREACH);
        }
    }

    final DataPlane plane;
    final boolean traced;
    final int depth;
    final List<Hop> hops;
    final List<String> path = new ArrayList<>();
    Hop.Leg leg = Hop.Leg.REQUEST;
    String reason;
    /** Conntrack, NAT and filters; its connections are shared by the request and its reply. */
    private final Netfilter netfilter = new Netfilter(this);
    /**
     * Neighbour entries the walk's own ARP requests created: a node that answers an ARP request learns the
     * asker's address (the request's sender address) and device, so its answers (the reply leg) need no ARP
     * broadcast of their own; device that received the request -> sender address -> asking device.
     */
    private final java.util.Map<Dev, java.util.Map<Addr, Dev>> learned = new java.util.IdentityHashMap<>();
    private int steps;
    /** The first ICMP error the request would make a node send (see {@link Icmp}); null when it stops silently. */
    Icmp.Generated icmp;

    Walk(DataPlane plane, boolean traced, int depth) {
        this.plane = plane;
        this.traced = traced;
        this.depth = depth;
        this.hops = traced ? new ArrayList<>() : null;
    }

    void hop(NodeState n, Dev d, String text) {
        if (traced) {
            hops.add(new Hop(leg, n.name, d == null ? null : d.name, text));
        }
        visit(n.name);
    }

    private void visit(String node) {
        if (leg == Hop.Leg.REQUEST && (path.isEmpty() || !path.get(path.size() - 1).equals(node))) {
            path.add(node);
        }
    }

    private Delivered drop(NodeState n, Dev d, String why) {
        reason = why;
        if (traced) {
            hops.add(new Hop(leg, n.name, d == null ? null : d.name, "dropped: " + why));
        }
        return null;
    }

    /** Drops {@code p} at {@code n}, which answers it with an ICMP error (never about an ICMP error, as icmp_send). */
    private Delivered unreach(NodeState n, Dev in, Icmp.Kind kind, Pkt p, int mtu, String why) {
        if (icmp == null && p.error == null && leg == Hop.Leg.REQUEST) {
            icmp = new Icmp.Generated(n, in, kind, Icmp.copy(p), mtu, why);
        }
        return drop(n, in, why);
    }

    private Delivered filtered(NodeState n, Dev d, Pkt p, String verdict) {
        return netfilter.rejected ? unreach(n, d, Icmp.Kind.PORT_UNREACH, p, 0, verdict) : drop(n, d, verdict);
    }

    private String show(Pkt p) {
        if (p.error != null) {
            return p.src + " -> " + p.dst + " icmp " + p.error.word(p.dst.v6) + " (about " + p.inner.src + " -> " + p.inner.dst + ")";
        }
        String ports = p.proto == Proto.ICMP ? "" : " " + p.proto.word() + " " + p.sport + " -> " + p.dport;
        return p.src + " -> " + p.dst + (p.proto == Proto.ICMP ? (p.response ? " icmp echo-reply" : " icmp echo-request") : ports);
    }

    // ------------------------------------------------------------------ output

    /** Sends {@code p} from node {@code n} (its source may be null: the route chooses it). */
    Delivered output(NodeState n, Pkt p) {
        Lookup r = route(n, p.dst, p.src, "lo");
        if (r.route != null && p.oif != null) {
            r = new Lookup(scoped(n, r.route, p.dst, p.oif), null);
        }
        if (r.failure != null) {
            visit(n.name);
            return drop(n, null, r.failure);
        }
        if (p.src == null) {
            p.src = chooseSource(n, r.route, p.dst);
            if (p.src == null) {
                visit(n.name);
                return drop(n, r.route.dev(), "no source address: " + n.name + " has no " + (p.dst.v6 ? "IPv6" : "IPv4") + " address to send from");
            }
            if (p.connected && !n.defaultRulesOnly) {
                r = route(n, p.dst, p.src, "lo");
                if (r.failure != null) {
                    visit(n.name);
                    return drop(n, null, r.failure);
                }
            }
        }
        RouteEntry rt = r.route;
        if (traced) {
            hop(n, rt.kind() == RouteEntry.Kind.LOCAL ? n.lo() : rt.dev(), "sends " + show(p) + " (" + rt.origin() + ")");
        } else {
            visit(n.name);
        }
        if (n.netfilter) {
            netfilter.conntrackOut(n, p);
            String v = netfilter.filter(n, n.output, "output", p, "", rt.kind() == RouteEntry.Kind.LOCAL ? "lo" : rt.dev().name);
            if (v != null) {
                return filtered(n, rt.dev(), p, v);
            }
        }
        if (rt.kind() == RouteEntry.Kind.LOCAL) {
            if (!n.lo().up) {
                return drop(n, n.lo(), "lo is down on " + n.name + " (" + n.lo().span + "): a packet to its own address "
                        + p.dst + " goes through lo, so the node cannot reach itself");
            }
            return input(n, n.lo(), p);
        }
        return out(n, rt, p, "");
    }

    private Delivered out(NodeState n, RouteEntry rt, Pkt p, String iif) {
        if (n.netfilter) {
            String v = netfilter.postrouting(n, rt, p, iif);
            if (v != null) {
                return drop(n, rt.dev(), v);
            }
        }
        return transmit(n, rt, p);
    }

    private Delivered transmit(NodeState n, RouteEntry rt, Pkt p) {
        if (++steps > MAX_STEPS) {
            return drop(n, null, "the walk took more than " + MAX_STEPS + " steps (a loop?)");
        }
        Dev dev = rt.dev();
        Addr nh = rt.gw() != null ? rt.gw() : p.dst;
        Delivered handled = switch (dev.kind) {
            case LOOPBACK -> dev.up ? receive(n, dev, p) : drop(n, dev, "lo is down on " + n.name + " (" + dev.span + ")");
            case DUMMY -> drop(n, dev, dev.id() + " is a dummy device: what is routed to it vanishes");
            case TUN, TAP -> drop(n, dev, dev.id() + " is a " + dev.kind.word()
                    + ": its packets go to a user-space program, which the simulator does not run");
            case IPVLAN -> dev.ipMode != IpvlanMode.L2 ? ipvlanL3Out(dev, p) : NEIGHBOUR;
            case VETH, PHYSICAL, BRIDGE, VLAN, VXLAN, MACVLAN -> NEIGHBOUR;
        };
        if (handled != NEIGHBOUR) {
            return handled;
        }
        if (!dev.up) {
            return drop(n, dev, dev.id() + " is down");
        }
        if (dev.noCarrier != null) {
            return drop(n, dev, dev.id() + " has no carrier: " + dev.noCarrier);
        }
        int frame = p.len;
        if (p.len > dev.mtu) {
            if (p.df) {
                return unreach(n, dev, Icmp.Kind.FRAG_NEEDED, p, dev.mtu,
                        p.len + " bytes exceed the MTU " + dev.mtu + " of " + dev.id() + " with DF set: frag needed");
            }
            frame = dev.mtu; // fragmented to the device's MTU
        }
        Dev resp = learned.getOrDefault(dev, java.util.Map.of()).get(nh);
        if (resp != null) {
            // the neighbour asked this node by ARP earlier in the walk: its entry is known, the frame goes unicast
            Flood to = plane.segments.unicast(dev, resp);
            if (!to.memberSet.contains(resp)) {
                return drop(n, dev, "the frame from " + dev.id() + " to " + resp.id() + " (" + nh + ") does not arrive");
            }
        } else {
            Flood fl = plane.segments.flood(dev);
            Addr sip = arpSender(n, dev, p, nh);
            resp = fl.responder(nh, dev, sip);
            if (resp == null) {
                return unreach(n, dev, Icmp.Kind.HOST_UNREACH, p, 0, plane.segments.explainNoArp(dev, nh, fl, sip));
            }
            Flood back = plane.segments.unicast(resp, dev);
            if (!back.memberSet.contains(dev)) {
                return unreach(n, dev, Icmp.Kind.HOST_UNREACH, p, 0, plane.segments.explainNoArpReply(dev, nh, resp, back));
            }
            if (!fl.symmetric && !plane.segments.unicast(dev, resp).memberSet.contains(resp)) {
                // where broadcasts and unicast frames part (macvlan passthru), the answered ARP does not mean the frame arrives
                return drop(n, dev, resp.id() + " answers the " + Segments.request(nh) + " for " + nh + ", but the unicast frame from "
                        + dev.id() + " does not reach it");
            }
            if (nh.v6) {
                String blocked = Ndp.filtered(plane, depth, n, dev, resp, p.src, nh);
                if (blocked != null) {
                    // the neighbour stays unresolved: address unreachable, as when nobody answers (measured)
                    return unreach(n, dev, Icmp.Kind.HOST_UNREACH, p, 0, blocked);
                }
            }
            if (sip != null) {
                learned.computeIfAbsent(resp, d -> new java.util.HashMap<>()).put(sip, dev);
            }
        }
        if (dev.kind == IfKind.VXLAN && dev.vxlan.remote() != null && frame + dev.model.accept(OVERHEAD) > plane.minMtu) {
            String outer = outerTooBig(dev, frame + dev.model.accept(OVERHEAD));
            if (outer != null) {
                return drop(n, dev, outer);
            }
        }
        if (frame > plane.minMtu) {
            String tooBig = tooBigOnTheWay(dev, resp, frame);
            if (tooBig != null) {
                return drop(n, dev, tooBig);
            }
        }
        if (traced) {
            for (Hop h : plane.segments.l2Path(dev, resp)) {
                hops.add(new Hop(leg, h.node(), h.iface(), h.text()));
                visit(h.node());
            }
        }
        if (p.dst.v6 ? plane.bridgeNf6 : plane.bridgeNf) {
            Delivered b = bridged(dev, resp, p);
            if (b != NEIGHBOUR) {
                return b; // dropped (null), or delivered after a re-route
            }
        }
        return receive(resp.node, resp, p);
    }

    /**
     * br_netfilter ({@code net.bridge.bridge-nf-call-iptables} 1 for IPv4, {@code bridge-nf-call-ip6tables} 1 for
     * IPv6; each family only with its own key, measured): a frame a bridge forwards from one port to
     * another crosses that node's inet hooks as br_nf_pre_routing, br_nf_forward_ip and br_nf_post_routing call them:
     * conntrack and prerouting DNAT with the incoming <em>port</em> as the input interface, the {@code forward} chain
     * and postrouting NAT with the bridge as both interfaces (so {@code masquerade out !docker0} leaves it alone),
     * replies un-NATed by the node's connections (the Docker hairpin: a container's answer to another container on the
     * same bridge gets the DNAT address back as its source). A DNAT that rewrites a bridged packet's destination
     * re-routes it in the bridge node (br_nf_pre_routing_finish, its IPv6 twin likewise), modelled as that node
     * receiving it on the bridge. IPv6 neighbour discovery crosses the same forward chain ({@link Ndp}).
     * {@code NEIGHBOUR} when the frame goes on to {@code resp}; else what became of it (null: dropped).
     */
    private Delivered bridged(Dev dev, Dev resp, Pkt p) {
        for (Crossing c : crossings(plane, dev, resp, p.dst.v6)) {
            NodeState b = c.node();
            Dev br = c.bridge();
            if (traced) {
                hop(b, br, "bridged from " + c.inPort().name + " to " + c.outPort().name + " through " + b.name
                        + "'s netfilter (net.bridge.bridge-nf-call-" + (p.dst.v6 ? "ip6tables" : "iptables") + " is 1)");
            } else {
                visit(b.name);
            }
            Addr dst = p.dst;
            int dport = p.dport;
            netfilter.conntrackIn(b, c.inPort(), p);
            if (!p.dst.equals(dst) && !p.replyDir) {
                // prerouting DNAT rewrote it: the bridge node routes it again (a new destination, maybe its own)
                p.dst = dst;
                p.dport = dport;
                return receive(b, br, p);
            }
            String v = netfilter.filter(b, b.forward, "forward", p, br.name, br.name);
            if (v != null) {
                return filtered(b, br, p, v);
            }
            String post = netfilter.postrouting(b, new RouteEntry(null, RouteEntry.Kind.UNICAST, br, null, 0, null, 0, "bridged", null), p,
                    br.name);
            if (post != null) {
                return drop(b, br, post);
            }
        }
        return NEIGHBOUR;
    }

    /** A bridge of {@code node} that forwards a frame from {@code inPort} to {@code outPort} through its netfilter. */
    record Crossing(NodeState node, Dev bridge, Dev inPort, Dev outPort) {}

    /**
     * The bridges on the way from {@code dev} to {@code resp} whose node has netfilter rules and br_netfilter on for
     * the family ({@code bridge-nf-call-iptables} or {@code -ip6tables} 1), in path order. A frame the bridge node's own
     * stack sends into its bridge is not bridged (its output hooks already ran), nor one it receives.
     */
    static List<Crossing> crossings(DataPlane plane, Dev dev, Dev resp, boolean v6) {
        List<Crossing> out = new ArrayList<>();
        List<Hop> path = plane.segments.l2Path(dev, resp);
        for (int i = 0; i < path.size(); i++) {
            Hop h = path.get(i);
            NodeState b = plane.node(h.node());
            Dev outPort = b == null || h.iface() == null ? null : b.dev(h.iface());
            if (outPort == null || outPort.master == null || !h.text().startsWith("out (bridge ") || !b.netfilter
                    || !b.sysctls.bridgeNfCall(v6)) {
                continue;
            }
            Dev br = outPort.master;
            Dev inPort = null;
            for (int j = i - 1; j >= 0 && inPort == null; j--) {
                Hop g = path.get(j);
                Dev x = g.node().equals(b.name) && g.iface() != null ? b.dev(g.iface()) : null;
                if (x != null && x.master == br && x != outPort) {
                    inPort = x;
                }
            }
            if (inPort != null) {
                out.add(new Crossing(b, br, inPort, outPort));
            }
        }
        return out;
    }

    private static final dev.topoc.compiler.model.Interface.Cases<Integer> OVERHEAD = new dev.topoc.compiler.model.Interface.Cases<>() {
        @Override public Integer vxlan(dev.topoc.compiler.model.Interface.Vxlan i) { return dev.topoc.compiler.analysis.Analysis.VXLAN_OVERHEAD; }
        @Override public Integer veth(dev.topoc.compiler.model.Interface.Veth i) { return 0; }
        @Override public Integer bridge(dev.topoc.compiler.model.Interface.Bridge i) { return 0; }
        @Override public Integer vlan(dev.topoc.compiler.model.Interface.Vlan i) { return 0; }
        @Override public Integer macvlan(dev.topoc.compiler.model.Interface.Macvlan i) { return 0; }
        @Override public Integer ipvlan(dev.topoc.compiler.model.Interface.Ipvlan i) { return 0; }
        @Override public Integer physical(dev.topoc.compiler.model.Interface.Physical i) { return 0; }
        @Override public Integer dummy(dev.topoc.compiler.model.Interface.Dummy i) { return 0; }
        @Override public Integer tun(dev.topoc.compiler.model.Interface.Tun i) { return 0; }
        @Override public Integer tap(dev.topoc.compiler.model.Interface.Tap i) { return 0; }
        @Override public Integer loopback(dev.topoc.compiler.model.Interface.Loopback i) { return 0; }
    };

    /**
     * A large frame sent on a unicast VXLAN: its outer packet ({@code len} bytes, DF clear, as the kernel sends it
     * by default) walks the underlay once more at that size, so a router on the way fragments it and a device that
     * cannot take it drops it (found by the MTU agreement lab: the reply's 1500-byte outer packet over a link whose
     * other end has MTU 1480). The size-free encapsulation walk of {@link Segments} is cached; this one is not.
     */
    private String outerTooBig(Dev vx, int len) {
        Walk w = new Walk(plane, false, depth + 1);
        Pkt o = new Pkt();
        o.src = vx.vxlan.local() == null ? null : Addr.of(vx.vxlan.local());
        o.dst = Addr.of(vx.vxlan.remote());
        o.proto = Proto.UDP;
        o.sport = EPHEMERAL_PORT;
        o.dport = vx.vxlan.port();
        o.len = len;
        return w.output(vx.node, o) == null ? "the VXLAN packet of " + len + " bytes from " + vx.id() + " to "
                + vx.vxlan.remote().toCanonicalString() + " does not arrive: " + w.reason : null;
    }

    /**
     * A frame of {@code frame} bytes (IP length) on its layer-2 way from {@code dev} to {@code resp}: every device
     * that receives or transmits it must take it (is_skb_forwardable: up to its MTU plus a VLAN tag's 4 bytes), else
     * it is dropped without an error; a link whose ends differ in MTU loses what the smaller end cannot take.
     */
    private String tooBigOnTheWay(Dev dev, Dev resp, int frame) {
        List<Dev> way = new ArrayList<>();
        for (Hop h : plane.segments.l2Path(dev, resp)) {
            NodeState at = plane.node(h.node());
            Dev d = at == null || h.iface() == null ? null : at.dev(h.iface());
            if (d != null && d != dev) {
                way.add(d);
            }
        }
        way.add(resp);
        for (Dev d : way) {
            if (frame > d.mtu + 4 && d.kind != IfKind.VXLAN) {
                return "a frame of " + frame + " bytes from " + dev.id() + " exceeds the MTU " + d.mtu + " of " + d.id()
                        + ": dropped on the way (fragments are cut to the sender's MTU " + dev.mtu + ")";
            }
        }
        return null;
    }

    /**
     * The sender address of the ARP request (IPv6: neighbour solicitation) {@code n} sends on {@code dev} for {@code nh},
     * as arp_solicit chooses it: with arp_announce 0 the packet's source when it is local to {@code n}; with 1 only
     * when one of {@code dev}'s prefixes holds both the source and {@code nh} (inet_addr_onlink; measured: a ping from
     * a secondary 10.7.0.2/24 to 10.0.0.1 asks from 10.0.0.2); with 2 never (other values act as 0). Otherwise inet_select_addr: {@code dev}'s
     * address on {@code nh}'s subnet, else its first, else the first address of another device (none: nothing learned).
     */
    static Addr arpSender(NodeState n, Dev dev, Pkt p, Addr nh) {
        if (nh.v6) {
            // ndisc_solicit: the packet's source when it is local, else the device's link-local address (which no
            // question aims at: nothing useful is learned)
            return p.src != null && n.isLocal(p.src) ? p.src : null;
        }
        int announce = n.sysctls.arpAnnounce(dev.name);
        if (p.src != null && n.isLocal(p.src) && (announce != 1 && announce != 2 || announce == 1 && dev.addrs.stream()
                .anyMatch(a -> !a.addr().v6 && a.contains(p.src) && a.contains(nh)))) {
            return p.src;
        }
        for (Prefix a : dev.addrs) {
            if (!a.addr().v6 && a.contains(nh)) {
                return a.addr();
            }
        }
        for (Prefix a : dev.addrs) {
            if (!a.addr().v6) {
                return a.addr();
            }
        }
        for (Dev d : n.devs) { // another device's address (scope link or global: 127/8 is scope host)
            for (Prefix a : d.addrs) {
                if (!a.addr().v6 && !a.addr().isLoopback()) {
                    return a.addr();
                }
            }
        }
        return null;
    }

    private Delivered ipvlanL3Out(Dev dev, Pkt p) {
        Dev parent = dev.lower;
        if (!dev.up || parent == null || !parent.up) {
            return drop(dev.node, dev, dev.id() + " or its parent is down");
        }
        for (Dev sib : parent.ipvlans) {
            if (sib != dev && sib.up && sib.ipMode != IpvlanMode.L2 && sib.addrs.stream().anyMatch(a -> a.addr().equals(p.dst))) {
                if (dev.ipFlag == IpvlanFlag.PRIVATE) {
                    return drop(dev.node, dev, "ipvlan flag private isolates " + dev.id() + " and " + sib.id());
                }
                hop(dev.node, dev, "switched inside " + parent.id() + " (ipvlan " + dev.ipMode.word() + ") to " + sib.id());
                return receive(sib.node, sib, p);
            }
        }
        NodeState m = parent.node;
        Lookup r = route(m, p.dst, p.src, "lo");
        if (r.failure != null) {
            return drop(m, parent, "ipvlan " + dev.ipMode.word() + " routes in the parent's namespace: " + r.failure);
        }
        hop(m, parent, "ipvlan " + dev.ipMode.word() + ": routed in " + m.name + " (" + r.route.origin() + ")");
        if (r.route.kind() == RouteEntry.Kind.LOCAL) {
            return input(m, m.lo(), p);
        }
        return transmit(m, r.route, p);
    }

    // ------------------------------------------------------------------ receive

    private Delivered receive(NodeState n, Dev d, Pkt p) {
        if (++steps > MAX_STEPS) {
            return drop(n, d, "the walk took more than " + MAX_STEPS + " steps (a loop?)");
        }
        p.conn = null;
        p.ct = null;
        p.replyDir = false;
        if (traced) {
            hop(n, d, "receives " + show(p));
        } else {
            visit(n.name);
        }
        for (Dev c : d.ipvlans) {
            if (c.ipMode != IpvlanMode.L2 && c.up && c.addrs.stream().anyMatch(a -> a.addr().equals(p.dst))) {
                hop(c.node, c, "ipvlan " + c.ipMode.word() + ": " + d.id() + " hands " + p.dst + " to " + c.id());
                return receive(c.node, c, p);
            }
        }
        if (d.kind != IfKind.LOOPBACK && n.ifaddrs.contains(p.src)) {
            return drop(n, d, "martian source: " + p.src + " is an address of " + n.name
                    + " itself, so the kernel drops the packet arriving on " + d.name);
        }
        if (n.netfilter) {
            netfilter.conntrackIn(n, d, p);
        }
        if (d.kind != IfKind.LOOPBACK) {
            String martian = martian(n, d, p);
            if (martian != null) {
                return drop(n, d, martian);
            }
        }
        Dev bc = Broadcasts.of(n, p.dst);
        if (bc != null) {
            return broadcast(n, d, bc, p);
        }
        Lookup r = route(n, p.dst, p.src, d.name);
        if (r.failure == null && r.route.kind() == RouteEntry.Kind.LOCAL) {
            String rpf = reversePath(n, d, p);
            return rpf != null ? drop(n, d, rpf) : input(n, d, p);
        }
        if (p.dst.v6 && r.failure != null) {
            // IPv6 looks the route up before forwarding is asked (ip6_route_input: a reject route's ip6_pkt_discard or
            // ip6_pkt_prohibit sends its error whatever the forwarding setting; measured: a router with forwarding 0
            // answers a packet it has no route for with no route, !N, and stays silent where it has one)
            return r.unreach == null ? drop(n, d, r.failure) : unreach(n, d, r.unreach, p, 0, r.failure);
        }
        if (!n.sysctls.forwards(d.name, p.dst.v6)) {
            String where = n.forwarding ? "forwarding disabled on " + n.name + ":" + d.name + " (net."
                    + (p.dst.v6 ? "ipv6.conf.all.forwarding is 0 and net.ipv6.conf." + d.name + ".force_forwarding too)"
                            : "ipv4.conf." + d.name + ".forwarding is 0; forwarding is decided by the incoming interface)")
                    : "forwarding disabled on " + n.name + " (" + n.model.span().file() + ":" + n.model.span().line() + ")";
            return drop(n, d, where + ": " + p.dst + " is not one of its addresses");
        }
        if (r.failure != null) {
            return r.unreach == null ? drop(n, d, r.failure) : unreach(n, d, r.unreach, p, 0, r.failure);
        }
        String rpf = reversePath(n, d, p);
        if (rpf != null) {
            return drop(n, d, rpf);
        }
        if (p.ttl <= 1) {
            return unreach(n, d, Icmp.Kind.TIME_EXCEEDED, p, 0, "TTL exceeded on " + n.name + " (a routing loop?)");
        }
        RouteEntry rt = r.route;
        if (p.dst.v6 && rt.dev() != d && p.src.isLinkLocal()) {
            // ip6_forward: a link-local source never leaves its link; measured: ping from a node whose only address is
            // link-local, through a router, gets "Destination unreachable: Beyond scope of source address" from it
            return unreach(n, d, Icmp.Kind.BEYOND_SCOPE, p, 0, "the source " + p.src + " is link-local: " + n.name
                    + " does not forward it from " + d.name + " out " + rt.dev().name + " (beyond scope of source address)");
        }
        if (rt.dev() == d && traced && p.dst.v6) {
            // ip6_forward sends its redirect before the MTU check and the forward chain (no sysctl on the router)
            String note = redirect6(n, d, p, rt);
            if (note != null) {
                hop(n, d, note);
            }
        }
        if (p.dst.v6 && p.len > rt.dev().mtu && rt.dev().kind != IfKind.LOOPBACK) {
            // ip6_forward: an IPv6 router never fragments; after the hop limit, before the forward chain, packet too big
            if (traced && !p.df && leg == Hop.Leg.REQUEST && p.error == null) {
                hop(n, d, PMTU + " " + rt.dev().mtu + " for " + p.dst + " when this packet too big reaches " + p.src
                        + ": the sender keeps it (10 minutes) and fragments its later packets of this size itself, so they"
                        + " may arrive (measured: without DF the first ping gets the packet too big, the second and third reach)."
                        + " The simulator answers for the first packet");
            }
            return unreach(n, d, Icmp.Kind.FRAG_NEEDED, p, rt.dev().mtu, p.len + " bytes exceed the MTU " + rt.dev().mtu + " of "
                    + rt.dev().id() + ": an IPv6 router does not fragment, packet too big");
        }
        p.ttl--;
        if (rt.dev() == d && !p.dst.v6 && n.sysctls.sendRedirects(d.name) && !(p.df && p.len > rt.dev().mtu)) {
            // ip_forward sends the redirect after its MTU check and before the forward chain: a packet the chain drops
            // still redirects its sender, whose later packets then bypass this node's filter (measured)
            redirectTeaches(n, d, p, rt);
            if (traced) {
                hop(n, d, redirect(n, d, p, rt));
            }
        }
        if (n.netfilter) {
            String v = netfilter.filter(n, n.forward, "forward", p, d.name, rt.dev().name);
            if (v != null) {
                return filtered(n, d, p, v);
            }
        }
        hop(n, rt.dev(), "forwards (" + rt.origin() + ")");
        return out(n, rt, p, d.name);
    }

    /** The prefix of the hop text that notes an ICMP redirect ({@link #redirect}); {@link CheckQuestion} looks for it. */
    static final String REDIRECT = "sends an ICMP redirect";
    /** The prefix of the hop text that notes an IPv6 path MTU the sender learns ({@link CheckQuestion} looks for it). */
    static final String PMTU = "the sender learns the path MTU";
    /** What a redirect note says when its sender follows it: later packets take another path ({@link CheckQuestion}). */
    static final String FOLLOWED = " sends its later packets there directly";

    /**
     * The note of a router that forwards a packet out the interface it came in on (ip_forward's IPSKB_DOREDIRECT,
     * send_redirects on, shared_media 1): it still forwards this packet, and sends the sender a redirect to the next
     * hop. Measured (a host, two routers on one bridge): the first redirect makes the host ARP for the new gateway,
     * the second installs a cached route (`ip route get`: "cache <redirected>"), so from the third ping on packets go
     * to the next hop directly, and traceroute then shows it as hop 1; accept_redirects 0 on the host (all and the
     * interface) or send_redirects 0 on the router (all and the interface) keeps them on the router. Not modelled
     * beyond this note: every question is a first packet.
     */
    private String redirect(NodeState n, Dev d, Pkt p, RouteEntry rt) {
        Addr to = rt.gw() != null ? rt.gw() : p.dst;
        Interface owner = plane.analysis.owner(p.src.ip());
        Dev sender = owner == null ? null : plane.dev(owner.ref());
        String later = FOLLOWED + " (from the third, measured)";
        String then = sender == null || sender.master != null || sender.addrs.stream().noneMatch(a -> a.contains(to))
                ? "a sender on that link that accepts redirects" + later
                : sender.node.sysctls.acceptRedirects(sender.name) ? sender.node.name + " (accept_redirects on " + sender.id() + ")" + later
                : sender.node.name + " has accept_redirects 0 on " + sender.id() + " and keeps sending to " + n.name;
        return REDIRECT + " to " + p.src + " (it forwards out " + d.id() + ", where the packet came in; send_redirects is on): "
                + "the next hop for " + p.dst + " is " + to + " on that link; " + then + ". The simulator answers for the first packet";
    }

    /**
     * What a redirect changes at once, for the first packet too (__ip_do_redirect): a sender on the link whose route to
     * the destination goes through this router and that accepts redirects asks the new gateway by ARP straight away
     * (no packet queued: from its address on that subnet), and the new gateway, when it answers, learns the sender.
     * So a reply from the new gateway needs no ARP exchange of its own. Measured (regression of the kernel agreement
     * property, seed 20934831): a host with arp_ignore 2 ignores the new gateway's own request, sent from its address
     * on another subnet, yet its ping through the redirecting router is answered; with accept_redirects 0 it is not.
     * The redirect's passage through the sender's own input chain is not evaluated (taken as accepted).
     */
    private void redirectTeaches(NodeState n, Dev d, Pkt p, RouteEntry rt) {
        Addr to = rt.gw() != null ? rt.gw() : p.dst;
        Interface owner = plane.analysis.owner(p.src.ip());
        Dev sender = owner == null ? null : plane.dev(owner.ref());
        if (sender == null || sender.master != null || !sender.up || sender.noCarrier != null
                || sender.addrs.stream().noneMatch(a -> !a.addr().v6 && a.contains(to))
                || !sender.node.sysctls.acceptRedirects(sender.name)) {
            return;
        }
        Lookup old = route(sender.node, p.dst, p.src, "lo");
        if (old.route() == null || old.route().dev() != sender || old.route().gw() == null
                || d.addrs.stream().noneMatch(a -> a.addr().equals(old.route().gw()))) {
            return; // the redirect comes from another router than the sender's gateway: ignored
        }
        Addr sip = arpSender(sender.node, sender, new Pkt(), to);
        Dev gateway = plane.segments.flood(sender).responder(to, sender, sip);
        if (gateway != null && sip != null) {
            learned.computeIfAbsent(gateway, g -> new java.util.HashMap<>()).put(sip, sender);
        }
    }

    /**
     * The note of an IPv6 router that forwards a packet out the interface it came in on (ip6_forward, then
     * ndisc_send_redirect; there is no send_redirects for IPv6), or null when it sends none. It sends one when the
     * target (the route's gateway, else the destination itself) is a link-local address or the destination, and the
     * source is on-link (its route back has no gateway and leaves by the same interface); rate limited per destination
     * and per source (a burst of six, then one a second: inet_peer_xrlim_allow), so the first packet always gets one.
     * The redirect's source is the router's oldest link-local address on that interface: the first written in the
     * file (the backends add addresses before the link comes up, so before the kernel's own EUI-64 one), else the
     * EUI-64 one. The sender follows it (rt6_do_redirect) when its route's gateway is that address (a redirect from
     * another address than the current first hop is ignored) and its interface has {@code accept_redirects} 1 and
     * {@code forwarding} 0 ({@link dev.topoc.compiler.analysis.Sysctls#acceptRedirects6}). Measured on this kernel (a
     * host a with {@code default via fe80::1 dev e0} to r1, whose {@code fd00:9::/64 via fe80::3 dev e0} goes to r2 on
     * the same bridge; pings, nstat, {@code ip -6 route get}): r1 forwards the first ping and sends a redirect
     * (Icmp6OutRedirects 1, a's Icmp6InRedirects 1), a installs {@code fd00:9::2 via fe80::3 dev e0} in
     * {@code ip -6 route show cache} at once, and the second and later pings go to r2 directly (r1's
     * Ip6OutForwDatagrams stays at 1). With a's default via r1's global fd00:1::1 a receives every redirect and
     * ignores it (no cache entry, every ping through r1); with r1's route via the global fd00:1::3, r1 sends none
     * (Icmp6OutRedirects 0: "target address is not link-local unicast"); for a destination on the link
     * ({@code fd00:5::/64 dev e0} on r1) the target is the destination and a sends to it directly. Not modelled
     * beyond this note: every question is a first packet.
     */
    private String redirect6(NodeState n, Dev d, Pkt p, RouteEntry rt) {
        Addr target = rt.gw() != null ? rt.gw() : p.dst;
        if (!target.equals(p.dst) && !target.isLinkLocal()) {
            return null; // ndisc_send_redirect: the target must be link-local unicast, or the destination
        }
        Lookup found = route(n, p.src, null, "lo");
        RouteEntry back = found.route() == null ? null : scoped(n, found.route(), p.src, d);
        if (back == null || back.kind() != RouteEntry.Kind.UNICAST || back.gw() != null || back.dev() != d) {
            return null; // "Redirect: destination is not a neighbour"
        }
        Addr from = null;
        for (Prefix a : d.addrs) {
            if (a.addr().v6 && a.addr().isLinkLocal()) {
                from = a.addr();
                break;
            }
        }
        String fromText = from == null ? "its own EUI-64 link-local address on " + d.name : from.toString();
        Interface owner = plane.analysis.owner(p.src.ip());
        Dev sender = owner == null ? null : plane.dev(owner.ref());
        String later = FOLLOWED + " (from the second, measured)";
        String then;
        if (sender == null || sender.master != null) {
            then = "a sender on that link that accepts redirects from " + fromText + later;
        } else if (!sender.node.sysctls.acceptRedirects6(sender.name)) {
            then = sender.node.name + " has net.ipv6.conf." + sender.name + (sender.node.sysctls.forwarding6(sender.name)
                    ? ".forwarding 1 (a router ignores redirects)" : ".accept_redirects 0") + " and keeps sending to " + n.name;
        } else {
            Lookup first = route(sender.node, p.dst, p.src, "lo");
            Addr gw = first.route() == null ? null : first.route().gw();
            if (from != null && from.equals(gw)) {
                then = sender.node.name + " (accept_redirects on " + sender.id() + ", its route goes via " + from + ")" + later;
            } else {
                then = sender.node.name + " ignores it and keeps sending to " + n.name + ": its route goes via "
                        + (gw == null ? "no gateway" : gw.toString()) + ", not via " + fromText + ", where the redirect comes from";
            }
        }
        return REDIRECT + " to " + p.src + " from " + fromText + " (it forwards out " + d.id() + ", where the packet came in; "
                + "IPv6 routers always do, rate limited): the next hop for " + p.dst + " is " + target + " on that link; " + then
                + ". The simulator answers for the first packet";
    }

    /**
     * Martian addresses on a packet received from the wire (ip_route_input_slow, ipv6_rcv): a loopback
     * destination or source (127/8, ::1), dropped unless {@code route_localnet} is on for the incoming
     * interface (IPv4 only; so a DNAT to 127.0.0.1 of outside traffic needs it), and 0.0.0.0. Addresses in
     * 0/8 other than 0.0.0.0 are ordinary unicast on this kernel (measured).
     */
    private static String martian(NodeState n, Dev d, Pkt p) {
        String localnet = "net.ipv4.conf." + d.name + ".route_localnet";
        if (p.dst.isLoopback() && (p.dst.v6 || !n.sysctls.routeLocalnet(d.name))) {
            return "martian destination " + p.dst + " arriving on " + d.id() + ": loopback addresses are dropped from the wire"
                    + (p.dst.v6 ? "" : " unless " + localnet + " (or conf.all) is 1");
        }
        if (p.src.isLoopback() && (p.src.v6 || !n.sysctls.routeLocalnet(d.name))) {
            return "martian source " + p.src + " arriving on " + d.id() + ": loopback addresses are dropped from the wire"
                    + (p.src.v6 ? "" : " unless " + localnet + " (or conf.all) is 1");
        }
        if (!p.dst.v6 && p.dst.isZero() || !p.src.v6 && p.src.isZero()) {
            return "martian address 0.0.0.0 on a packet arriving on " + d.id();
        }
        return null;
    }

    /**
     * The reverse-path filter (fib_validate_source), IPv4, when {@code rp_filter} (the larger of conf.all and the
     * incoming interface's) is on: the route back to the source, looked up as the node would send to it, must be
     * a unicast route; strict (1) also wants it to leave by the interface the packet came in on.
     */
    private String reversePath(NodeState n, Dev d, Pkt p) {
        if (p.src.v6 || d.kind == IfKind.LOOPBACK) {
            return null;
        }
        int mode = n.sysctls.rpFilter(d.name);
        if (mode == 0) {
            return null;
        }
        String setting = "rp_filter " + (mode == 1 ? "strict" : "loose") + " on " + d.id();
        Lookup back = route(n, p.src, p.dst, "lo");
        if (back.failure != null || back.route.kind() != RouteEntry.Kind.UNICAST) {
            return setting + ": no unicast route back to the source " + p.src + (back.failure == null ? "" : " (" + back.failure + ")");
        }
        if (mode == 1 && back.route.dev() != d) {
            return setting + ": the route back to the source " + p.src + " leaves by " + back.route.dev().name + " ("
                    + back.route.origin() + "), not by " + d.name;
        }
        return null;
    }

    /**
     * A packet for the broadcast address of one of {@code n}'s subnets (the kernel's local broadcast route; directed
     * broadcasts are not forwarded, bc_forwarding 0): an echo request is answered only with
     * {@code icmp_echo_ignore_broadcasts} 0, from the incoming interface's address (measured: a ping to 10.2.0.255
     * one router away is answered from the router's 10.1.0.1, which ping accepts); nothing else answers a broadcast.
     */
    private Delivered broadcast(NodeState n, Dev d, Dev on, Pkt p) {
        String what = p.dst + " is the broadcast address of " + on.id();
        if (p.proto != Proto.ICMP || p.response || p.error != null) {
            return drop(n, d, what + ": delivered there as a broadcast, which nothing answers");
        }
        if (n.sysctls.ignoresEchoBroadcasts()) {
            return drop(n, d, what + ", and net.ipv4.icmp_echo_ignore_broadcasts is 1 on " + n.name + " (the default): no echo reply");
        }
        Addr from = selectAddress(n, d, p.src);
        if (from == null) {
            return drop(n, d, what + ", and " + d.id() + " has no address to answer from");
        }
        Delivered got = input(n, d, p);
        if (got != null) {
            got.p().answerFrom = from;
        }
        return got;
    }

    private Delivered input(NodeState n, Dev d, Pkt p) {
        if (n.netfilter) {
            String v = netfilter.filter(n, n.input, "input", p, d.name, "");
            if (v != null) {
                return filtered(n, d, p, v);
            }
            netfilter.unDnatDelivered(n, d, p);
        }
        hop(n, d, "delivered to " + n.name);
        return new Delivered(n, d, p);
    }

    // ------------------------------------------------------------------ routing

    static Lookup route(NodeState n, Addr dst, Addr src, String iif) {
        List<String> consulted = null;
        for (RuleEntry rule : n.rules) {
            if (rule.from() != null && (src == null ? rule.from().len() != 0 : !rule.from().contains(src))) {
                continue;
            }
            if (rule.to() != null && !rule.to().contains(dst)) {
                continue;
            }
            if (rule.iif() != null && !rule.iif().equals(iif) || rule.oif() != null) {
                continue;
            }
            if (rule.fwmark() != null && rule.fwmark() != 0) {
                continue;
            }
            RouteEntry r = n.lookupTable(rule.table(), dst);
            if (rule.table() != NodeState.LOCAL && (rule.table() != NodeState.DEFAULT || n.tables.containsKey(NodeState.DEFAULT))) {
                if (consulted == null) {
                    consulted = new ArrayList<>(2);
                }
                consulted.add(n.tableName(rule.table()));
            }
            if (r == null) {
                continue;
            }
            switch (r.kind()) {
                case LOCAL, UNICAST -> {
                    return new Lookup(r, null);
                }
                case BLACKHOLE -> {
                    return new Lookup(null, "dropped by the blackhole route " + r.to() + " at " + r.span() + " on " + n.name, null);
                }
                case UNREACHABLE -> {
                    // IPv6: ip6_pkt_discard sends ICMPv6 no route (code 0, traceroute's !N), not reject route (6): measured
                    return new Lookup(null, "unreachable route " + r.to() + " at " + r.span() + " on " + n.name,
                            dst.v6 ? Icmp.Kind.NET_UNREACH : Icmp.Kind.HOST_UNREACH);
                }
                case PROHIBIT -> {
                    return new Lookup(null, "prohibit route " + r.to() + " at " + r.span() + " on " + n.name, Icmp.Kind.ADMIN_PROHIBITED);
                }
            }
        }
        String tables = consulted == null ? "main" : String.join(", ", consulted);
        String msg = "no route to " + dst + " in table " + tables + " on " + n.name;
        for (String refused : n.refused) {
            msg += "; " + refused;
        }
        return new Lookup(null, msg);
    }

    /**
     * {@code r}, or for a link-local {@code dst} with a scope {@code oif}, the kernel's fe80::/64 route of that device
     * (the destination is on-link there, whichever device's fe80::/64 route comes first).
     */
    static RouteEntry scoped(NodeState n, RouteEntry r, Addr dst, Dev oif) {
        if (oif == null || !dst.isLinkLocal() || r.kind() != RouteEntry.Kind.UNICAST || r.dev() == oif) {
            return r;
        }
        for (RouteEntry e : n.table(NodeState.MAIN)) {
            if (e.dev() == oif && e.kind() == RouteEntry.Kind.UNICAST && e.gw() == null && e.to().contains(dst)) {
                return e;
            }
        }
        return r;
    }

    static Addr chooseSource(NodeState n, RouteEntry r, Addr dst) {
        if (r.prefsrc() != null) {
            return r.prefsrc();
        }
        if (dst.v6) {
            return Ipv6Source.select(n, r.kind() == RouteEntry.Kind.LOCAL ? null : r.dev(), dst);
        }
        return selectAddress(n, r.dev(), r.gw() != null ? r.gw() : dst);
    }

    /** inet_select_addr: an address of {@code dev} on the target's subnet, else its first, else any global one of the node. */
    static Addr selectAddress(NodeState n, Dev dev, Addr target) {
        if (dev != null) {
            Addr first = null;
            for (Prefix a : dev.addrs) {
                if (a.addr().v6 != target.v6) {
                    continue;
                }
                if (a.contains(target)) {
                    return a.addr();
                }
                if (first == null) {
                    first = a.addr();
                }
            }
            if (first != null) {
                return first;
            }
        }
        for (Dev d : n.devs) {
            if (!d.up) {
                continue;
            }
            for (Prefix a : d.addrs) {
                if (a.addr().v6 == target.v6 && !a.addr().isLoopback()) {
                    return a.addr();
                }
            }
        }
        return null;
    }
}
