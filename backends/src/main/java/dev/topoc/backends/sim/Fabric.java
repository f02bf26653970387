package dev.topoc.backends.sim;

import dev.topoc.backends.sim.NodeState.RouteEntry;
import dev.topoc.backends.sim.NodeState.RuleEntry;
import dev.topoc.compiler.model.Cidr;
import dev.topoc.compiler.model.Expectation;
import dev.topoc.compiler.model.IfRef;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.Link;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.model.Proto;
import dev.topoc.compiler.model.Route;
import dev.topoc.compiler.model.RouteType;
import dev.topoc.compiler.model.Rule;
import dev.topoc.compiler.model.Target;
import dev.topoc.compiler.model.Topology;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The simulator: a topology's devices, tables and filters as Linux would hold them, and packet walks
 * over them. No I/O. Build once with {@link #of(Topology)}, then ask {@link #ping}, {@link #check},
 * {@link #matrix()}. The same questions a real probe answers (does this ping or connection succeed,
 * which node receives it) are asked through {@link #reaches} and {@link #address}, so kernel-agreement
 * tests can compare the two.
 *
 * <p>Layer 2 is in {@link L2} (floods, cached per sending device and shared by every member of a
 * symmetric broadcast domain), layer 3 and netfilter in {@link Walk}. A ping reaches when the request is
 * delivered and its reply comes back to the sender from the address it asked for; a TCP or UDP question
 * assumes a listener on the target port. docs/simulator.md lists the semantics and their limits.
 */
public final class Fabric {
    /** The outcome of one {@code expect}: whether it holds, and the trace that decides it. */
    public record Check(Expectation expectation, boolean holds, Trace trace, String message) {}

    /** Reachability of every ordered node pair: {@code reach[i][j]} is nodes[i] pinging addresses[j]. */
    public record Matrix(List<String> nodes, List<String> addresses, boolean[][] reach) {
        public int pairs() {
            return nodes.size() * (nodes.size() - 1);
        }

        public long reachable() {
            long n = 0;
            for (int i = 0; i < reach.length; i++) {
                for (int j = 0; j < reach.length; j++) {
                    n += i != j && reach[i][j] ? 1 : 0;
                }
            }
            return n;
        }
    }

    /** A decapsulating VXLAN device and how the frame got there (for traces). */
    record Decap(Dev dev, String label) {}

    private final Topology topology;
    private final Map<String, NodeState> nodes = new LinkedHashMap<>();
    private final Map<Dev, Flood> floods = new IdentityHashMap<>();
    private final Map<Dev, Flood> tracedFloods = new IdentityHashMap<>();
    private final Map<Dev, Map<Dev, Flood>> unicasts = new IdentityHashMap<>();

    private Fabric(Topology topology) {
        this.topology = topology;
    }

    public static Fabric of(Topology topology) {
        Fabric f = new Fabric(topology);
        f.build();
        return f;
    }

    public Topology topology() {
        return topology;
    }

    List<NodeState> nodeStates() {
        return List.copyOf(nodes.values());
    }

    // ------------------------------------------------------------------ building

    private void build() {
        for (Node n : topology.nodes()) {
            NodeState s = new NodeState(n);
            nodes.put(n.name(), s);
            for (Interface i : n.interfaces()) {
                Dev d = new Dev(s, i, kind(i));
                d.declaredUp = i.common().up() || d.kind == Dev.Kind.LO;
                d.hairpin = i.common().hairpin();
                if (d.kind == Dev.Kind.LO) {
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
        for (NodeState s : nodes.values()) {
            for (Dev d : s.devs) {
                d.up = effectiveUp(d, 0);
            }
        }
        for (NodeState s : nodes.values()) {
            tables(s);
            rules(s);
        }
    }

    private static Dev.Kind kind(Interface i) {
        if (i instanceof Interface.Veth) return Dev.Kind.VETH;
        if (i instanceof Interface.Bridge) return Dev.Kind.BRIDGE;
        if (i instanceof Interface.Vlan) return Dev.Kind.VLAN;
        if (i instanceof Interface.Vxlan) return Dev.Kind.VXLAN;
        if (i instanceof Interface.Macvlan) return Dev.Kind.MACVLAN;
        if (i instanceof Interface.Ipvlan) return Dev.Kind.IPVLAN;
        if (i instanceof Interface.Physical) return Dev.Kind.PHYSICAL;
        if (i instanceof Interface.Dummy) return Dev.Kind.DUMMY;
        if (i instanceof Interface.Tun) return Dev.Kind.TUN;
        if (i instanceof Interface.Tap) return Dev.Kind.TAP;
        return Dev.Kind.LO;
    }

    private Dev dev(IfRef r) {
        NodeState s = r == null ? null : nodes.get(r.node());
        return s == null ? null : s.dev(r.iface());
    }

    private void wire(Dev d) {
        Interface i = d.model;
        if (i.common().master() != null) {
            Dev m = d.node.dev(i.common().master());
            if (m != null && m.kind == Dev.Kind.BRIDGE) {
                d.master = m;
                m.ports.add(d);
            }
        }
        if (i instanceof Interface.Veth v && v.peer() != null) {
            d.peer = dev(v.peer());
        } else if (i instanceof Interface.Physical p && p.peer() != null) {
            d.peer = dev(p.peer());
        } else if (i instanceof Interface.Vlan v) {
            d.lower = dev(v.parent());
            d.vlanId = v.id();
            if (d.lower != null) {
                d.lower.vlans.put(v.id(), d);
            }
        } else if (i instanceof Interface.Macvlan m) {
            d.lower = dev(m.parent());
            d.macMode = m.mode();
            if (d.lower != null) {
                d.lower.macvlans.add(d);
            }
        } else if (i instanceof Interface.Ipvlan m) {
            d.lower = dev(m.parent());
            d.ipMode = m.mode();
            d.ipFlag = m.flag();
            if (d.lower != null) {
                d.lower.ipvlans.add(d);
            }
        }
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
            if (!d.up) {
                continue;
            }
            for (Prefix a : d.addrs) {
                s.ifaddrs.add(a.addr());
                local.add(new RouteEntry(new Prefix(a.addr(), a.addr().bits()), RouteEntry.Kind.LOCAL, d, null, 0, a.addr(),
                        NodeState.LOCAL, "local address " + a + " on " + d.name, d.span));
                if (a.isHost()) {
                    continue;
                }
                Prefix net = new Prefix(a.addr(), a.len());
                if (d.kind == Dev.Kind.LO) {
                    local.add(new RouteEntry(net, RouteEntry.Kind.LOCAL, d, null, 0, a.addr(), NodeState.LOCAL,
                            a + " on lo makes " + networkOf(a) + " local", d.span));
                } else {
                    main.add(new RouteEntry(net, RouteEntry.Kind.UNICAST, d, null, 0, a.addr(), NodeState.MAIN,
                            "connected " + networkOf(a) + " dev " + d.name, d.span));
                }
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
                Dev onLink = onLink(s, gw, dev);
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

    private static String networkOf(Prefix a) {
        return a.addr().ip().setPrefixLength(a.len(), false).toPrefixBlock().toCanonicalString();
    }

    /** The device through which {@code gw} is on-link (a link-scope route covers it), or null. */
    private static Dev onLink(NodeState s, Addr gw, Dev dev) {
        for (Dev d : s.devs) {
            if (!d.up || dev != null && d != dev || d.kind == Dev.Kind.LO) {
                continue;
            }
            for (Prefix a : d.addrs) {
                if (a.contains(gw)) {
                    return d;
                }
            }
        }
        for (Route r : s.model.routes()) {
            if (r.type() == RouteType.UNICAST && r.via() == null && r.dev() != null && Prefix.of(r.to()).contains(gw)) {
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

    // ------------------------------------------------------------------ layer 2 services

    synchronized Flood flood(Dev d) {
        Flood f = floods.get(d);
        if (f == null) {
            f = L2.flood(this, d, false, 0);
            floods.put(d, f);
            if (f.symmetric) {
                f.addMember(d);
                for (Dev m : f.members) {
                    floods.putIfAbsent(m, f);
                }
            }
        }
        return f;
    }

    /**
     * Where a unicast frame from {@code from} to {@code to}'s MAC address goes ({@link L2#unicast}); in a
     * symmetric domain that is where a broadcast goes.
     */
    synchronized Flood unicast(Dev from, Dev to) {
        Flood f = flood(from);
        if (f.symmetric) {
            return f;
        }
        return unicasts.computeIfAbsent(from, d -> new IdentityHashMap<>()).computeIfAbsent(to, t -> L2.unicast(this, from, t));
    }

    synchronized List<Hop> l2Path(Dev from, Dev to) {
        Flood f = tracedFloods.computeIfAbsent(from, d -> L2.flood(this, d, true, 0));
        List<Hop> p = f.paths.get(to);
        return p == null ? List.of() : p;
    }

    /** Encapsulates a frame sent on VXLAN device {@code vx}: the devices that decapsulate it. */
    List<Decap> vxlanTransmit(Dev vx, int depth, List<Flood.Note> notes) {
        Interface.Vxlan m = (Interface.Vxlan) vx.model;
        List<Decap> out = new ArrayList<>();
        if (depth > 3) {
            notes.add(new Flood.Note("VXLAN inside VXLAN too deep at " + vx.id(), java.util.Set.of()));
            return out;
        }
        if (m.remote() != null) {
            Walk w = new Walk(this, false, depth + 1);
            Walk.Pkt p = new Walk.Pkt();
            p.src = m.local() == null ? null : Addr.of(m.local());
            p.dst = Addr.of(m.remote());
            p.proto = Proto.UDP;
            p.sport = Walk.EPHEMERAL_PORT;
            p.dport = m.port();
            Walk.Delivered d = w.output(vx.node, p);
            if (d == null) {
                notes.add(new Flood.Note("the VXLAN packet from " + vx.id() + " to " + m.remote().toCanonicalString() + ":" + m.port()
                        + " does not arrive: " + w.reason, java.util.Set.copyOf(w.path)));
                return out;
            }
            decap(vx, d.node(), null, d.p().dst, "encapsulated by " + vx.id() + " to " + m.remote().toCanonicalString() + ":" + m.port()
                    + " over " + String.join(" > ", w.path) + ", decapsulated by ", out, notes);
            return out;
        }
        if (m.group() != null) {
            Dev under = m.dev() == null ? null : vx.node.dev(m.dev());
            if (under == null) {
                notes.add(new Flood.Note(vx.id() + " sends to group " + m.group().toCanonicalString() + " but names no `dev`", java.util.Set.of()));
                return out;
            }
            Flood f = flood(under);
            for (Dev member : f.members) {
                decap(vx, member.node, member, null, "multicast to " + m.group().toCanonicalString() + " on " + under.id()
                        + ", decapsulated by ", out, notes);
            }
            return out;
        }
        notes.add(new Flood.Note(vx.id() + " has neither `remote` nor `group`: it only learns, the simulator sends nothing", java.util.Set.of()));
        return out;
    }

    private void decap(Dev vx, NodeState at, Dev member, Addr outerDst, String label, List<Decap> out, List<Flood.Note> notes) {
        Interface.Vxlan m = (Interface.Vxlan) vx.model;
        List<Dev> listeners = new ArrayList<>();
        for (Dev d : at.devs) {
            if (d == vx || d.kind != Dev.Kind.VXLAN || !d.up) {
                continue;
            }
            Interface.Vxlan x = (Interface.Vxlan) d.model;
            if (x.port() != m.port()) {
                continue;
            }
            if (member != null) {
                if (x.group() == null || !x.group().equals(m.group()) || x.dev() != null && !x.dev().equals(member.name)) {
                    continue;
                }
            } else if (x.local() != null && outerDst != null && !Addr.of(x.local()).equals(outerDst)) {
                continue;
            }
            listeners.add(d);
        }
        boolean found = false;
        for (Dev d : listeners) {
            if (((Interface.Vxlan) d.model).vni() == m.vni()) {
                out.add(new Decap(d, label + d.id() + " (VNI " + m.vni() + ")"));
                found = true;
            }
        }
        if (!found && !listeners.isEmpty()) {
            Dev d = listeners.get(0);
            notes.add(new Flood.Note("VNI " + m.vni() + " ≠ " + ((Interface.Vxlan) d.model).vni() + ": " + vx.id() + " (" + vx.span
                    + ") and " + d.id() + " (" + d.span + ") are different VXLAN segments", java.util.Set.of(at.name)));
        } else if (!found && member == null) {
            notes.add(new Flood.Note("no VXLAN device of " + at.name + " listens on udp port " + m.port() + " for " + vx.id(),
                    java.util.Set.of(at.name)));
        }
    }

    /** Why no one answered ARP for {@code nh} on {@code dev}. */
    String explainNoArp(Dev dev, Addr nh, Flood f) {
        for (NodeState s : nodes.values()) {
            for (Dev d : s.devs) {
                if (d.master != null && d.addrs.stream().anyMatch(a -> a.addr().equals(nh))) {
                    return "address on a bridge port: " + nh + " is on " + d.id() + ", a port of bridge " + d.master.name
                            + " (" + d.span + "); frames for it go to the bridge, so it never answers";
                }
            }
        }
        List<String> owners = new ArrayList<>();
        for (NodeState s : nodes.values()) {
            if (s.ifaddrs.contains(nh) || s.isLocal(nh) && !nh.isLoopback()) {
                owners.add(s.name);
            }
        }
        for (Flood.Note n : f.notes) {
            for (String o : owners) {
                if (n.nodes().contains(o)) {
                    return "no ARP reply for " + nh + " on " + dev.id() + ": " + n.text();
                }
            }
        }
        if (owners.isEmpty()) {
            return "no ARP reply for " + nh + " on " + dev.id() + ": no node has this address";
        }
        return "no ARP reply for " + nh + " on " + dev.id() + ": " + String.join(", ", owners)
                + (owners.size() == 1 ? " has" : " have") + " it, but not on this layer-2 segment";
    }

    /** Why the ARP reply of {@code resp} does not come back to {@code dev}. */
    String explainNoArpReply(Dev dev, Addr nh, Dev resp, Flood back) {
        if (dev.master != null) {
            return "address on a bridge port: " + dev.id() + " is a port of bridge " + dev.master.name + " (" + dev.span
                    + "), so the ARP reply from " + resp.id() + " for " + nh + " goes to the bridge, never to " + dev.name;
        }
        for (Flood.Note n : back.notes) {
            if (n.nodes().contains(dev.node.name)) {
                return "the ARP reply from " + resp.id() + " for " + nh + " does not reach " + dev.id() + ": " + n.text();
            }
        }
        return "the ARP reply from " + resp.id() + " for " + nh + " does not reach " + dev.id();
    }

    // ------------------------------------------------------------------ questions

    /** The address a question about {@code t} aims at: the target's own address, or the first address of the node or interface. */
    public Optional<IPAddress> address(Target t) {
        return Optional.ofNullable(targetAddr(t)).map(Addr::ip);
    }

    private Addr targetAddr(Target t) {
        if (t.address() != null) {
            return Addr.of(t.address());
        }
        NodeState s = nodes.get(t.node());
        if (s == null) {
            throw new IllegalArgumentException("unknown node `" + t.node() + "`");
        }
        if (t.iface() != null) {
            Dev d = s.dev(t.iface());
            if (d == null) {
                throw new IllegalArgumentException("unknown interface `" + t + "`");
            }
            return d.addrs.stream().filter(a -> !a.addr().isLoopback()).map(Prefix::addr)
                    .sorted(Comparator.comparing(a -> a.v6)).findFirst()
                    .orElse(d.kind == Dev.Kind.LO ? d.addrs.get(0).addr() : null);
        }
        for (int pass = 0; pass < 3; pass++) {
            for (Dev d : s.devs) {
                boolean lo = d.kind == Dev.Kind.LO;
                if (pass == 0 && (lo || d.master != null || !d.up) || pass == 1 && !lo) {
                    continue;
                }
                for (boolean v6 : new boolean[] {false, true}) {
                    for (Prefix a : d.addrs) {
                        if (a.addr().v6 == v6 && !a.addr().isLoopback()) {
                            return a.addr();
                        }
                    }
                }
            }
        }
        return null;
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

    public Trace ping(String from, String to, Proto proto, Integer port) {
        return ping(from, target(to), proto, port);
    }

    public Trace ping(String from, Target to, Proto proto, Integer port) {
        return run(from, to, proto, port, true);
    }

    /** The verdict alone, without building a trace: what a real probe would answer. */
    public boolean reaches(String from, Target to, Proto proto, Integer port) {
        return run(from, to, proto, port, false).reaches();
    }

    private Trace run(String from, Target to, Proto proto, Integer port, boolean traced) {
        NodeState src = nodes.get(from);
        if (src == null) {
            throw new IllegalArgumentException("unknown node `" + from + "`");
        }
        Addr dst = targetAddr(to);
        if (dst == null) {
            throw new IllegalArgumentException("`" + to + "` has no address to send to");
        }
        return walk(src, to.toString(), dst, proto, port, traced);
    }

    private Trace walk(NodeState src, String toText, Addr dst, Proto proto, Integer port, boolean traced) {
        Walk w = new Walk(this, traced, 0);
        Walk.Pkt p = new Walk.Pkt();
        p.dst = dst;
        p.proto = proto;
        p.sport = proto == Proto.ICMP ? 0 : Walk.EPHEMERAL_PORT;
        p.dport = proto == Proto.ICMP ? 0 : port == null ? 0 : port;
        Walk.Delivered req = w.output(src, p);
        List<Hop> none = List.of();
        if (req == null) {
            return new Trace(src.name, toText, dst.toString(), proto, port, false, null, w.path, traced ? w.hops : none, w.reason);
        }
        Addr askedFrom = req.p().src;
        Walk.Pkt q = new Walk.Pkt();
        q.src = req.p().dst;
        q.dst = req.p().src;
        q.proto = proto;
        q.sport = req.p().dport;
        q.dport = req.p().sport;
        q.response = true;
        Addr origSrc = firstSource(w, src, p);
        w.leg = Hop.Leg.REPLY;
        Walk.Delivered rep = w.output(req.node(), q);
        String lands = req.node().name;
        if (rep == null) {
            return new Trace(src.name, toText, dst.toString(), proto, port, false, lands, w.path, traced ? w.hops : none,
                    "the request arrives at " + lands + ", but the reply does not come back: " + w.reason);
        }
        String why = null;
        if (rep.node() != src) {
            why = "the reply to " + askedFrom + " is delivered to " + rep.node().name + ", not to " + src.name;
        } else if (!rep.p().src.equals(dst)) {
            why = "the reply comes from " + rep.p().src + ", not from " + dst + " (asymmetric NAT)";
        } else if (origSrc != null && !rep.p().dst.equals(origSrc)) {
            why = "the reply is addressed to " + rep.p().dst + ", not to " + origSrc;
        }
        return new Trace(src.name, toText, dst.toString(), proto, port, why == null, lands, w.path, traced ? w.hops : none, why);
    }

    private static Addr firstSource(Walk w, NodeState src, Walk.Pkt p) {
        return null;
    }

    public Check check(Expectation e) {
        Trace t;
        try {
            t = ping(e.from(), e.to(), e.proto(), e.port());
        } catch (IllegalArgumentException ex) {
            return new Check(e, false, null, ex.getMessage());
        }
        List<String> problems = new ArrayList<>();
        if (t.reaches() != e.reach()) {
            problems.add(e.reach() ? "expected to reach, but " + t.reason() : "expected no reach, but it reaches");
        }
        if (e.reach() && t.reaches()) {
            if (!e.via().isEmpty() && !inOrder(t.path(), e.via())) {
                problems.add("expected via " + String.join(" ", e.via()) + ", but the request went " + String.join(" > ", t.path()));
            }
            if (e.lands() != null && !e.lands().equals(t.lands())) {
                problems.add("expected to land on " + e.lands() + ", but it lands on " + t.lands());
            }
        }
        return new Check(e, problems.isEmpty(), t, problems.isEmpty() ? "holds" : String.join("; ", problems));
    }

    public List<Check> checkAll() {
        return topology.expectations().stream().map(this::check).toList();
    }

    private static boolean inOrder(List<String> path, List<String> via) {
        int i = 0;
        for (String n : path) {
            if (i < via.size() && via.get(i).equals(n)) {
                i++;
            }
        }
        return i == via.size();
    }

    /**
     * Every node pinging every other node's first address (ICMP), as {@code --matrix} shows it. One walk per
     * pair of equivalence classes ({@link HostClasses}), not per pair of nodes.
     */
    public Matrix matrix() {
        return matrix(true);
    }

    Matrix matrix(boolean byClass) {
        List<NodeState> all = new ArrayList<>(nodes.values());
        int n = all.size();
        Addr[] addr = new Addr[n];
        List<String> names = new ArrayList<>(n);
        List<String> addrs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            addr[i] = targetAddr(new Target(all.get(i).name, null, null));
            names.add(all.get(i).name);
            addrs.add(addr[i] == null ? "-" : addr[i].toString());
        }
        boolean[][] reach = new boolean[n][n];
        List<List<Integer>> classes = byClass ? HostClasses.of(this, all) : singletons(n);
        for (List<Integer> ci : classes) {
            for (List<Integer> cj : classes) {
                int a = ci.get(0);
                int b = ci == cj ? (ci.size() > 1 ? ci.get(1) : -1) : cj.get(0);
                if (b < 0 || addr[b] == null) {
                    continue;
                }
                boolean r = walk(all.get(a), names.get(b), addr[b], Proto.ICMP, null, false).reaches();
                if (!r) {
                    continue;
                }
                for (int i : ci) {
                    for (int j : cj) {
                        reach[i][j] = i != j;
                    }
                }
            }
        }
        return new Matrix(names, addrs, reach);
    }

    private static List<List<Integer>> singletons(int n) {
        List<List<Integer>> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            l.add(List.of(i));
        }
        return l;
    }
}
