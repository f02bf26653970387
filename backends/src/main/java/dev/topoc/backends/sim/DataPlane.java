package dev.topoc.backends.sim;

import dev.topoc.backends.sim.NodeState.RouteEntry;
import dev.topoc.backends.sim.NodeState.RuleEntry;
import dev.topoc.compiler.analysis.Analysis;
import dev.topoc.compiler.analysis.Connected;
import dev.topoc.compiler.model.IfKind;
import dev.topoc.compiler.model.Cidr;
import dev.topoc.compiler.model.IfRef;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.Link;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.model.Route;
import dev.topoc.compiler.model.RouteType;
import dev.topoc.compiler.model.Rule;
import dev.topoc.compiler.model.Target;
import dev.topoc.compiler.model.Topology;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The simulator's data plane: a topology's devices, routing tables, policy rules and netfilter rulesets
 * as Linux would hold them, built once by {@link #of(Topology)}; no I/O. Questions are asked of it, each a
 * {@link Question} class with a typed answer: {@link PingQuestion} (ping and trace, a {@link Trace}),
 * {@link MatrixQuestion} (every pair, a {@link Matrix}), {@link CheckQuestion} (the {@code expect} lines, a
 * {@link CheckReport}), {@link ResilienceQuestion}. A new question is a new class beside them, not an edit here; what-if
 * failures are a data plane built with them ({@link #of(Topology, Failures)}: links without carrier, nodes without
 * interfaces, as the kernel holds them).
 *
 * <p>Where the data plane is built from the model, it reads the model's {@link Analysis} (parents, address
 * owners, connected subnets). Packets move in {@link Walk} (layer 3, with {@link Netfilter}) over
 * {@link Segments} (layer 2: floods and VXLAN, cached per sending device, so one data plane answers many
 * questions quickly; it is safe to share between threads). docs/simulator.md lists the semantics and their limits.
 */
public final class DataPlane {
    private final Topology topology;
    final Analysis analysis;
    private final Map<String, NodeState> nodes = new LinkedHashMap<>();
    final Segments segments = new Segments(this);
    /** Some node bridges with br_netfilter on (bridge-nf-call-iptables 1) and has netfilter: Walk checks bridged frames. */
    boolean bridgeNf;
    /** The same for IPv6 (bridge-nf-call-ip6tables 1): Walk checks bridged IPv6 frames and neighbour discovery. */
    boolean bridgeNf6;
    /** The smallest MTU of any device: packets no larger never need an MTU check. */
    int minMtu = Integer.MAX_VALUE;

    private final Failures failures;

    private DataPlane(Topology topology, Failures failures) {
        this.topology = topology;
        this.analysis = Analysis.of(topology);
        this.failures = failures;
    }

    public static DataPlane of(Topology topology) {
        return of(topology, Failures.NONE);
    }

    /**
     * The data plane with {@code failures} down (what-if questions, {@code --fail}); see {@link Failures} for
     * how the kernel holds them. A topology with machines is stitched first ({@code Stitching.of(t).whole()},
     * docs/machines.md): the plane is what is really built, tunnels and the machines' default namespaces included.
     *
     * @throws IllegalArgumentException naming the known nodes or links when a failure names neither
     */
    public static DataPlane of(Topology topology, Failures failures) {
        // a topology spread over machines runs as it is really built: stitched (docs/machines.md)
        Topology built = topology.machines().isEmpty() ? topology
                : dev.topoc.compiler.machines.Stitching.of(topology).whole();
        DataPlane p = new DataPlane(built, failures);
        p.build();
        return p;
    }

    public Topology topology() {
        return topology;
    }

    public Failures failures() {
        return failures;
    }

    /**
     * Every link once, as the file writes it ({@code link a -- b} lines first, then veth pairs by their first end
     * in model order), with its other end: what {@code --fail} can take down.
     */
    public Map<IfRef, IfRef> links() {
        Map<IfRef, IfRef> out = new LinkedHashMap<>();
        java.util.Set<Dev> seen = new java.util.HashSet<>();
        for (Link l : topology.links()) {
            Dev a = dev(l.a());
            Dev b = dev(l.b());
            if (a != null && b != null && seen.add(a) && seen.add(b)) {
                out.put(l.a(), l.b());
            }
        }
        for (NodeState s : nodes.values()) {
            for (Dev d : s.devs) {
                Dev peer = d.cut != null ? d.cut : d.peer;
                if (d.cableEnd() && peer != null && !seen.contains(d) && !seen.contains(peer)) {
                    seen.add(d);
                    seen.add(peer);
                    out.put(new IfRef(s.name, d.name), new IfRef(peer.node.name, peer.name));
                }
            }
        }
        return out;
    }

    /** Asks {@code q} of this data plane. */
    public <A> A ask(Question<A> q) {
        return q.answer(this);
    }

    List<NodeState> nodeStates() {
        return List.copyOf(nodes.values());
    }

    NodeState node(String name) {
        return nodes.get(name);
    }

    // ------------------------------------------------------------------ building

    private void build() {
        for (Node n : topology.nodes()) {
            NodeState s = new NodeState(n);
            s.index = nodes.size();
            nodes.put(n.name(), s);
            bridgeNf |= s.netfilter && s.sysctls.bridgeNfCall(false);
            bridgeNf6 |= s.netfilter && s.sysctls.bridgeNfCall(true);
            for (Interface i : n.interfaces()) {
                Dev d = new Dev(s, i);
                d.declaredUp = i.common().up();
                d.hairpin = i.common().hairpin();
                if (d.kind == IfKind.LOOPBACK && d.declaredUp) { // a namespace's lo gets 127.0.0.1 and ::1 when it comes up
                    d.addrs.add(Prefix.of(new Cidr(new IPAddressString("127.0.0.1").getAddress(), 8)));
                    d.addrs.add(Prefix.of(new Cidr(new IPAddressString("::1").getAddress(), 128)));
                }
                for (Cidr c : i.addresses()) {
                    d.addrs.add(Prefix.of(c));
                }
                s.devs.add(d);
                s.byName.put(d.name, d);
            }
            if (s.lo() == null) {
                throw new IllegalStateException("node " + n.name() + " has no lo");
            }
        }
        for (NodeState s : nodes.values()) {
            for (Dev d : s.devs) {
                wire(d);
            }
        }
        for (Link l : topology.links()) {
            Dev a = dev(l.a());
            Dev b = dev(l.b());
            if (a != null && b != null) {
                a.peer = b;
                b.peer = a;
            }
        }
        fail();
        for (NodeState s : nodes.values()) {
            for (Dev d : s.devs) {
                d.up = effectiveUp(d, 0);
                d.mtu = analysis.mtu(d.model);
                minMtu = Math.min(minMtu, d.mtu);
            }
        }
        for (NodeState s : nodes.values()) {
            for (Dev d : s.devs) {
                for (Dev l = d.lower; l != null && d.noCarrier == null && l != d; l = l.lower) {
                    d.noCarrier = l.noCarrier; // VLANs and macvlans follow their parent's carrier
                }
            }
        }
        for (NodeState s : nodes.values()) {
            tables(s);
            rules(s);
        }
    }

    /**
     * Takes the failures down: a failed link's ends lose their peer (nothing crosses) and their carrier, a failed
     * node's devices go down and the ends cabled to them lose their carrier. Addresses and routes stay as they are.
     */
    private void fail() {
        for (String n : failures.nodes()) {
            NodeState s = nodes.get(n);
            if (s == null) {
                throw new IllegalArgumentException(unknown("node", n, List.copyOf(nodes.keySet())));
            }
        }
        for (IfRef end : failures.links()) {
            Dev d = dev(end);
            if (d == null || !d.cableEnd() || d.peer == null) {
                List<String> ends = new java.util.ArrayList<>();
                links().forEach((a, b) -> {
                    ends.add(a.toString());
                    ends.add(b.toString());
                });
                throw new IllegalArgumentException(unknown("link end", end.toString(), ends));
            }
            cut(d, "link " + end + " -- " + d.peer.id() + " is down (--fail)");
        }
        for (String n : failures.nodes()) {
            for (Dev d : nodes.get(n).devs) {
                d.declaredUp = false;
                if (d.peer != null) {
                    cut(d, "node " + n + " is down (--fail)");
                }
            }
        }
    }

    private static void cut(Dev d, String why) {
        Dev peer = d.peer;
        d.cut = peer;
        peer.cut = d;
        d.peer = null;
        peer.peer = null;
        d.noCarrier = why;
        peer.noCarrier = why;
    }

    private static String unknown(String what, String name, List<String> known) {
        String hint = dev.topoc.compiler.ast.Keys.closest(name, known).map(k -> "; did you mean `" + k + "`?").orElse("");
        return "--fail " + name + ": no " + what + " `" + name + "`" + hint + " (known: "
                + (known.isEmpty() ? "none" : String.join(", ", known)) + ")";
    }

    Dev dev(IfRef r) {
        NodeState s = r == null ? null : nodes.get(r.node());
        return s == null ? null : s.dev(r.iface());
    }

    private void wire(Dev d) {
        Interface i = d.model;
        if (i.common().master() != null) {
            Dev m = d.node.dev(i.common().master());
            if (m != null && m.kind == IfKind.BRIDGE) {
                d.master = m;
                m.ports.add(d);
            }
        }
        d.lower = dev(Analysis.parentOf(i));
        i.accept(new Wiring(d));
    }

    /** What each kind of device is wired to beyond its master and parent: its peer, or its place on the parent. */
    private final class Wiring implements Interface.Cases<Void> {
        private final Dev d;

        Wiring(Dev d) {
            this.d = d;
        }

        @Override
        public Void veth(Interface.Veth i) {
            if (i.peer() != null) {
                d.peer = dev(i.peer());
            }
            return null;
        }

        @Override
        public Void physical(Interface.Physical i) {
            if (i.peer() != null) {
                d.peer = dev(i.peer());
            }
            return null;
        }

        @Override
        public Void vlan(Interface.Vlan i) {
            d.vlanId = i.id();
            if (d.lower != null) {
                d.lower.vlans.put(i.id(), d);
            }
            return null;
        }

        @Override
        public Void macvlan(Interface.Macvlan i) {
            d.macMode = i.mode();
            if (d.lower != null) {
                d.lower.macvlans.add(d);
            }
            return null;
        }

        @Override
        public Void ipvlan(Interface.Ipvlan i) {
            d.ipMode = i.mode();
            d.ipFlag = i.flag();
            if (d.lower != null) {
                d.lower.ipvlans.add(d);
            }
            return null;
        }

        @Override
        public Void vxlan(Interface.Vxlan i) {
            d.vxlan = i;
            return null;
        }

        @Override public Void bridge(Interface.Bridge i) { return null; } // its ports name it as their master
        @Override public Void dummy(Interface.Dummy i) { return null; }
        @Override public Void tun(Interface.Tun i) { return null; }
        @Override public Void tap(Interface.Tap i) { return null; }
        @Override public Void loopback(Interface.Loopback i) { return null; }
    }

    private static boolean effectiveUp(Dev d, int depth) {
        if (!d.declaredUp || depth > 8) {
            return false;
        }
        return d.lower == null || effectiveUp(d.lower, depth + 1);
    }

    private void tables(NodeState s) {
        List<RouteEntry> local = s.table(NodeState.LOCAL);
        List<RouteEntry> main = s.table(NodeState.MAIN);
        for (Dev d : s.devs) {
            for (Prefix a : d.addrs) {
                // an address keeps its local route while its device is down (measured: it still answers through
                // other interfaces); the subnet routes come only with the device up
                s.ifaddrs.add(a.addr());
                local.add(new RouteEntry(new Prefix(a.addr(), a.addr().bits()), RouteEntry.Kind.LOCAL, d, null, 0, a.addr(),
                        NodeState.LOCAL, "local address " + a + " on " + d.name + (d.up ? "" : " (down)"), d.span));
                if (a.isHost() || !d.up) {
                    continue;
                }
                Prefix net = new Prefix(a.addr(), a.len());
                if (d.kind == IfKind.LOOPBACK && !a.addr().v6) {
                    local.add(new RouteEntry(net, RouteEntry.Kind.LOCAL, d, null, 0, a.addr(), NodeState.LOCAL,
                            a + " on lo makes " + networkOf(a) + " local", d.span));
                } else {
                    // IPv6: a prefix on lo is a connected route out of lo, not local (measured: fd00:9::1/64 on lo, a
                    // packet to fd00:9::5 is routed to lo, comes back in and is not delivered); an IPv6 connected route
                    // has no src (source selection decides, Ipv6Source), an IPv4 one the address
                    main.add(new RouteEntry(net, RouteEntry.Kind.UNICAST, d, null, 0, a.addr().v6 ? null : a.addr(), NodeState.MAIN,
                            "connected " + networkOf(a) + " dev " + d.name, d.span));
                }
            }
        }
        for (Dev d : s.devs) {
            // every IPv6 interface that is up has its own EUI-64 link-local address and the route fe80::/64 dev D
            // (metric 256); a bridge port's stack receives nothing, so its route is left out
            if (d.up && d.kind != IfKind.LOOPBACK && d.master == null) {
                main.add(new RouteEntry(LINK_LOCAL_NET, RouteEntry.Kind.UNICAST, d, null, 256, null, NodeState.MAIN,
                        "fe80::/64 dev " + d.name + " (the kernel's link-local route)", d.span));
            }
        }
        for (Route r : s.model.routes()) {
            int table = s.tableId(r.table());
            Prefix to = Prefix.of(r.to());
            int metric = r.metric() == null ? 0 : r.metric();
            Addr src = r.src() == null ? null : Addr.of(r.src());
            String where = "route " + (r.isDefault() ? "default" : r.to().toString()) + " at " + r.span();
            if (r.type() != RouteType.UNICAST) {
                s.table(table).add(new RouteEntry(to, RouteEntry.kindOf(r.type()), null, null, metric, src, table, where, r.span()));
                continue;
            }
            Dev dev = r.dev() == null ? null : s.dev(r.dev());
            Addr gw = r.via() == null ? null : Addr.of(r.via());
            if (gw != null) {
                Dev onLink = onLink(s, r.via(), dev);
                if (onLink == null) {
                    s.refused.add("the " + where + " is not installed: gateway " + gw + " is not on a connected network"
                            + (dev == null ? "" : " of " + dev.name) + " (the kernel refuses it)");
                    continue;
                }
                dev = onLink;
            }
            if (dev == null) {
                s.refused.add("the " + where + " is not installed: it names no usable device");
                continue;
            }
            s.table(table).add(new RouteEntry(to, RouteEntry.Kind.UNICAST, dev, gw, metric, src, table, where, r.span()));
        }
    }

    private static final Prefix LINK_LOCAL_NET = new Prefix(Addr.of(new IPAddressString("fe80::").getAddress()), 64);

    private static String networkOf(Prefix a) {
        return a.addr().ip().setPrefixLength(a.len(), false).toPrefixBlock().toCanonicalString();
    }

    /**
     * The device through which {@code gw} is on-link, or null: the model's connected subnets and device
     * routes ({@link Connected}), on devices that are up (and {@code dev} when the route names one).
     */
    private static Dev onLink(NodeState s, IPAddress gw, Dev dev) {
        if (Connected.alwaysOnLink(gw)) { // fe80::/64 is on every IPv6 interface: `via fe80::1 dev D` needs only D up
            return dev != null && dev.up && dev.kind != IfKind.LOOPBACK ? dev : null;
        }
        for (Dev d : s.devs) {
            if (!d.up || dev != null && d != dev || d.kind == IfKind.LOOPBACK) {
                continue;
            }
            if (Connected.carries(d.model, gw)) {
                return d;
            }
        }
        for (Route r : s.model.routes()) {
            if (Connected.isDeviceRouteTo(r, gw)) {
                Dev d = s.dev(r.dev());
                if (d != null && d.up && (dev == null || d == dev)) {
                    return d;
                }
            }
        }
        return null;
    }

    private static void rules(NodeState s) {
        List<RuleEntry> rules = s.rules;
        rules.add(new RuleEntry(0, null, null, null, null, null, NodeState.LOCAL, null));
        rules.add(new RuleEntry(32766, null, null, null, null, null, NodeState.MAIN, null));
        rules.add(new RuleEntry(32767, null, null, null, null, null, NodeState.DEFAULT, null));
        for (Rule r : s.model.rules()) {
            int prio;
            if (r.priority() != null) {
                prio = r.priority();
            } else {
                prio = rules.size() > 1 && rules.get(1).priority() > 0 ? rules.get(1).priority() - 1 : 0;
            }
            RuleEntry e = new RuleEntry(prio, r.from() == null ? null : Prefix.of(r.from()), r.to() == null ? null : Prefix.of(r.to()),
                    r.iif(), r.oif(), r.fwmark(), s.tableId(r.table()), r.span());
            int at = 0;
            while (at < rules.size() && rules.get(at).priority() <= prio) {
                at++;
            }
            rules.add(at, e);
        }
    }

    // ------------------------------------------------------------------ what questions aim at

    /** The address a question about {@code t} aims at: the target's own address, or the first address of the node or interface. */
    public Optional<IPAddress> address(Target t) {
        return address(t, null);
    }

    /**
     * As {@link #address(Target)} for a family ({@code expect … v4|v6}): 4 or 6 picks the first address of that family,
     * null the first IPv4 address, else the first IPv6 one.
     */
    public Optional<IPAddress> address(Target t, Integer family) {
        return Optional.ofNullable(targetAddr(t, family)).map(Addr::ip);
    }

    /** As {@link #address}; null when the node or interface has none. @throws IllegalArgumentException for an unknown name */
    Addr targetAddr(Target t) {
        return targetAddr(t, null);
    }

    /**
     * The target address for {@code family} (null: IPv4 first, then IPv6). A literal address is itself. A node's
     * address: its devices that are up and not bridge ports first, then lo, then any; loopback (127/8, ::1) and
     * link-local (fe80::/10, which a ping needs a scope for) addresses are never chosen.
     */
    Addr targetAddr(Target t, Integer family) {
        if (t.address() != null) {
            return Addr.of(t.address());
        }
        NodeState s = nodes.get(t.node());
        if (s == null) {
            throw new IllegalArgumentException("unknown node `" + t.node() + "`");
        }
        Dev only = null;
        if (t.iface() != null) {
            only = s.dev(t.iface());
            if (only == null) {
                throw new IllegalArgumentException("unknown interface `" + t + "`");
            }
        }
        for (boolean v6 : family == null ? new boolean[] {false, true} : new boolean[] {family == 6}) {
            Addr a = only != null ? firstOf(only, v6) : firstOf(s, v6);
            if (a != null) {
                return a;
            }
        }
        if (only != null && only.kind == IfKind.LOOPBACK) { // `node:lo` with nothing but 127.0.0.1 and ::1
            for (Prefix a : only.addrs) {
                if (family == null || a.addr().v6 == (family == 6)) {
                    return a.addr();
                }
            }
        }
        return null;
    }

    private static Addr firstOf(Dev d, boolean v6) {
        for (Prefix a : d.addrs) {
            if (a.addr().v6 == v6 && targetable(a.addr())) {
                return a.addr();
            }
        }
        return null;
    }

    private static Addr firstOf(NodeState s, boolean v6) {
        for (int pass = 0; pass < 3; pass++) {
            for (Dev d : s.devs) {
                boolean lo = d.kind == IfKind.LOOPBACK;
                if (pass == 0 && (lo || d.master != null || !d.up) || pass == 1 && !lo) {
                    continue;
                }
                Addr a = firstOf(d, v6);
                if (a != null) {
                    return a;
                }
            }
        }
        return null;
    }

    private static boolean targetable(Addr a) {
        return !a.isLoopback() && !a.isLinkLocal();
    }

    /** Parses a target as the command line writes it: an address, {@code node:if} or a node. */
    public Target target(String text) {
        IPAddress a = new IPAddressString(text).getAddress();
        if (a != null && !a.isPrefixed()) {
            return new Target(null, null, a);
        }
        int colon = text.indexOf(':');
        String node = colon < 0 ? text : text.substring(0, colon);
        if (!nodes.containsKey(node)) {
            throw new IllegalArgumentException("`" + text + "` is neither a node, `node:interface`, nor an address");
        }
        return new Target(node, colon < 0 ? null : text.substring(colon + 1), null);
    }
}
