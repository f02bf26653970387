package dev.topoc.backends.sim;

import dev.topoc.backends.sim.NodeState.RouteEntry;
import dev.topoc.compiler.model.IfKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The verdict of a ping, for the matrix, memoised by the state that decides it. On a <em>plain</em> node (no
 * netfilter, only the three default policy rules, no {@code sysctl}, no ipvlan children) what {@link Walk} does with a packet
 * depends only on its destination (the route: longest prefix, then metric; no rule looks at the source or the
 * incoming interface), its source (the martian check), its TTL, and the walk's neighbour entries. So the route
 * is looked up once per (node, destination) and the ARP exchange once per (device, next hop), and a walk is
 * then a loop over those memos, without hops or messages. Everything else follows {@link Walk} step by step
 * (its step count, its TTL, the entries a node learns from an ARP request and uses for its answer); a walk that
 * meets a node or device this class does not model answers {@code null}, and the caller walks it in full.
 * {@code MatrixTest} compares both on every sample and on the generated fabrics of bench/gen-fabric.py.
 */
final class PlainWalk {
    private static final int MAX_STEPS = 256;
    /** Beyond this many memo slots (destinations × nodes), routes are looked up without memo. */
    private static final long MAX_SLOTS = 32_000_000L;
    private static final RouteEntry NO_ROUTE = new RouteEntry(null, RouteEntry.Kind.BLACKHOLE, null, null, 0, null, 0, "", null);

    private final DataPlane plane;
    private final NodeState[] nodes;
    private final boolean[] plain;
    /** destination -> node index -> the route Walk.route chooses there (NO_ROUTE: none usable, or a blackhole). */
    private final Map<Addr, RouteEntry[]> routes = new HashMap<>();
    /** sending device -> next hop -> the device that answers its ARP request and whose answer comes back. */
    private final Map<Dev, Map<Addr, Dev>> arp = new IdentityHashMap<>();
    private long slots;
    private final Map<Dev, Boolean> cables = new IdentityHashMap<>();
    private final Fib[] fibs;

    PlainWalk(DataPlane plane, List<NodeState> all) {
        this.plane = plane;
        this.nodes = all.toArray(new NodeState[0]);
        this.plain = new boolean[nodes.length];
        this.fibs = new Fib[nodes.length];
        for (NodeState n : nodes) {
            // no sysctl: a setting Walk may come to model (rp_filter, per-interface forwarding...) sends the node to Walk
            plain[n.index] = !n.netfilter && n.defaultRulesOnly && n.model.sysctl().isEmpty()
                    && n.devs.stream().allMatch(d -> d.ipvlans.isEmpty());
        }
    }

    /** One neighbour entry learned during a walk: {@code at} (the device that answered) knows {@code addr} is on {@code asker}. */
    private record Learned(Dev at, Addr addr, Dev asker) {}

    /** The state of one walk (request and reply). */
    private final class Run {
        int steps;
        List<Learned> learned;
        NodeState delivered;
        Addr src;
        boolean unknown;
    }

    /** Does {@code from} reach {@code dst} (an ICMP echo and its reply)? Null when the walk leaves what this class models. */
    Boolean reaches(NodeState from, Addr dst) {
        if (dst.v6 ? plane.bridgeNf6 : plane.bridgeNf) {
            return null; // bridged frames may cross a node's netfilter (br_netfilter): Walk decides
        }
        Boolean fast = byDestination(from, dst);
        return fast != null ? fast : stepByStep(from, dst);
    }

    // ------------------------------------------------------------------ per destination

    private static final int DROP = -1;
    private static final int UNKNOWN = -2;
    private static final int TODO = -3;
    private static final int BUSY = -4;
    /** A packet forwarded by more than this many routers dies of its TTL (64, checked before each decrement). */
    private static final int MAX_FORWARDS = 63;

    /** Per destination, per node index: where packets for it go (see {@link #fates}). */
    private static final class Fates {
        /** Where a packet received at the node is delivered (node index), DROP, UNKNOWN, or TODO/BUSY while computed. */
        final int[] at;
        /** How many routers forward it on the way there. */
        final int[] forwards;
        /** Where a packet the node sends is delivered (its own route first: no forwarding check, no TTL spent). */
        final int[] sent;
        /** The source address the node chooses for it (null: none, or not asked yet). */
        final Addr[] source;
        /** The node that has this destination as an interface address (-1: several; null: none). */
        final Integer owner;

        Fates(int n, Integer owner) {
            at = new int[n];
            forwards = new int[n];
            sent = new int[n];
            source = new Addr[n];
            java.util.Arrays.fill(at, TODO);
            java.util.Arrays.fill(sent, TODO);
            this.owner = owner;
        }
    }

    private final Map<Addr, Fates> fates = new HashMap<>();
    /** The node that has each interface address up (-1: several). */
    private Map<Addr, Integer> owners;

    /**
     * The verdict from per-destination memos, where it is decided by destinations alone: every device crossed is
     * one end of a plain cable (what one end sends only its peer receives, so a learned neighbour entry and an
     * ARP exchange reach the same device), the source is an address of {@code from} alone and the destination of
     * at most the node it lands on (so no martian check can drop the packet outside a loop, which drops it anyway).
     * Then a packet received at a node goes where that node's route for its destination sends it, whoever sent it:
     * one memo per (destination, node) answers every source. Null where this does not hold.
     */
    private Boolean byDestination(NodeState from, Addr dst) {
        if (owners == null) {
            owners = new HashMap<>();
            for (NodeState n : nodes) {
                for (Addr a : n.ifaddrs) {
                    owners.merge(a, n.index, (x, y) -> -1);
                }
            }
        }
        if (!plain[from.index] || dst.isLoopback()) {
            return null;
        }
        Fates f = fates(dst);
        if (f == null) {
            return null;
        }
        int lands = sent(f, from.index, dst);
        if (lands < 0) {
            return lands == DROP ? Boolean.FALSE : null;
        }
        Addr src = f.source[from.index];
        if (src == null) {
            src = Walk.chooseSource(from, fib(from.index).lookup(dst).route, dst);
            if (src == null) {
                return Boolean.FALSE;
            }
            f.source[from.index] = src;
        }
        if (f.owner != null && f.owner != lands || src.isLoopback() || src.isLinkLocal()) {
            // a link-local source is not forwarded off its link (beyond scope): its fate is not the destination's alone
            return null;
        }
        Fates g = fates(src);
        if (g == null || g.owner == null || g.owner != from.index) {
            return null;
        }
        int home = sent(g, lands, src);
        if (home < 0) {
            return home == DROP ? Boolean.FALSE : null;
        }
        return home == from.index;
    }

    /** Where a packet node {@code n} sends to {@code dst} is delivered (node index), or DROP, UNKNOWN; memoised. */
    private int sent(Fates f, int n, Addr dst) {
        int known = f.sent[n];
        if (known != TODO) {
            return known;
        }
        int r;
        Fib.Entry e = plain[n] ? fib(n).lookup(dst) : null;
        if (e == null) {
            r = UNKNOWN;
        } else if (e.route == NO_ROUTE) {
            r = DROP;
        } else if (e.route.kind() == RouteEntry.Kind.LOCAL) {
            r = n;
        } else {
            int next = hop(e, dst);
            if (next < 0) {
                r = next;
            } else {
                r = received(f, next, dst);
                if (r >= 0 && f.forwards[next] > MAX_FORWARDS) {
                    r = DROP;
                }
            }
        }
        f.sent[n] = r;
        return r;
    }

    private Fates fates(Addr dst) {
        Fates f = fates.get(dst);
        if (f == null && slots + 4L * nodes.length <= MAX_SLOTS) {
            f = new Fates(nodes.length, owners.get(dst));
            slots += 4L * nodes.length;
            fates.put(dst, f);
        }
        return f;
    }

    /** As {@link #hopVia}, memoised in the entry for a route with a gateway (its next hop does not depend on {@code dst}). */
    private int hop(Fib.Entry e, Addr dst) {
        if (e.route.gw() == null) {
            return hopVia(e.route, dst);
        }
        if (e.via == TODO) {
            e.via = hopVia(e.route, dst);
        }
        return e.via;
    }

    private Fib fib(int n) {
        Fib f = fibs[n];
        if (f == null) {
            f = fibs[n] = new Fib(nodes[n]);
        }
        return f;
    }

    /**
     * A plain node's tables (local, main, default: its three default rules) as arrays sorted the way
     * NodeState.lookupTable ranks matches (longest prefix, then lowest metric, then first installed), with masks
     * precomputed, so the first match is the answer; routes through a device that is down are left out, as
     * lookupTable skips them.
     */
    private static final class Fib {
        static final class Entry {
            final RouteEntry route;
            final boolean v6;
            final long hiMask;
            final long loMask;
            final long hiNet;
            final long loNet;
            int via = TODO;

            Entry(RouteEntry route) {
                this.route = route;
                Addr net = route.to() == null ? null : route.to().addr();
                int len = route.to() == null ? 0 : route.to().len();
                v6 = net != null && net.v6;
                if (net == null) {
                    hiMask = loMask = hiNet = loNet = 0;
                    return;
                }
                if (!v6) {
                    hiMask = 0;
                    loMask = (0xffffffffL << (32 - len)) & 0xffffffffL;
                } else if (len <= 64) {
                    // a shift by 64 is a shift by 0 in Java: a /64 needs its mask spelled out (found by the IPv6 matrix
                    // test: every /64 route matched every IPv6 address)
                    hiMask = len == 64 ? -1L : ~(-1L >>> len);
                    loMask = 0;
                } else {
                    hiMask = -1L;
                    loMask = len == 128 ? -1L : ~(-1L >>> (len - 64));
                }
                hiNet = net.hi & hiMask;
                loNet = net.lo & loMask;
            }

            boolean matches(Addr a) {
                return a.v6 == v6 && (a.hi & hiMask) == hiNet && (a.lo & loMask) == loNet;
            }
        }

        private static final Entry NONE = new Entry(NO_ROUTE);
        private final Entry[][] tables = new Entry[DEFAULT_TABLES.length][];

        Fib(NodeState n) {
            for (int t = 0; t < DEFAULT_TABLES.length; t++) {
                List<RouteEntry> rs = n.tables.getOrDefault(DEFAULT_TABLES[t], List.of()).stream()
                        .filter(r -> r.dev() == null || r.dev().up)
                        .sorted(java.util.Comparator.comparingInt((RouteEntry r) -> -r.to().len()).thenComparingInt(RouteEntry::metric))
                        .toList();
                tables[t] = rs.stream().map(Entry::new).toArray(Entry[]::new);
            }
        }

        /** The entry Walk.route chooses for {@code dst} (NONE's route is NO_ROUTE: no usable route). */
        Entry lookup(Addr dst) {
            for (Entry[] table : tables) {
                for (Entry e : table) {
                    if (e.matches(dst)) {
                        RouteEntry.Kind k = e.route.kind();
                        return k == RouteEntry.Kind.LOCAL || k == RouteEntry.Kind.UNICAST ? e : NONE;
                    }
                }
            }
            return NONE;
        }
    }

    /** The node a frame sent by {@code rt} toward {@code dst} is received on (index), or DROP, UNKNOWN (not a plain cable). */
    private int hopVia(RouteEntry rt, Addr dst) {
        Dev dev = rt.dev();
        if (!cables.computeIfAbsent(dev, PlainWalk::plainCable)) {
            return UNKNOWN;
        }
        if (!dev.up || dev.noCarrier != null) {
            return DROP;
        }
        if (plane.segments.flood(dev).sipMatters()) {
            return UNKNOWN; // arp_ignore 2: the answer depends on the sender address, which depends on the source
        }
        Dev resp = answerer(dev, rt.gw() != null ? rt.gw() : dst);
        return resp == null ? DROP : resp.node.index;
    }

    /** One end of a veth or physical cable to another such end, neither a bridge port nor a parent of anything. */
    private static boolean plainCable(Dev d) {
        return (d.kind == IfKind.VETH || d.kind == IfKind.PHYSICAL) && d.peer != null && d.peer.peer == d && bare(d) && bare(d.peer);
    }

    private static boolean bare(Dev d) {
        return d.master == null && !d.hairpin && d.vlans.isEmpty() && d.macvlans.isEmpty() && d.ipvlans.isEmpty()
                && d.addrs.stream().noneMatch(a -> a.addr().isLoopback());
    }

    /**
     * Where a packet for {@code dst} received at node {@code start} is delivered, memoised in {@code f} with the
     * number of routers that forward it on the way; a loop is DROP. Iterative: paths may be long.
     */
    private int received(Fates f, int start, Addr dst) {
        if (f.at[start] != TODO) {
            return f.at[start] == BUSY ? DROP : f.at[start];
        }
        List<Integer> stack = new ArrayList<>();
        int at = start;
        int result;
        while (true) {
            int known = f.at[at];
            if (known == BUSY) {
                result = DROP; // a loop: every node on it forwards for ever
                break;
            }
            if (known != TODO) {
                result = known;
                break;
            }
            NodeState n = nodes[at];
            if (!plain[at]) {
                f.at[at] = UNKNOWN;
                result = UNKNOWN;
                break;
            }
            Fib.Entry e = fib(at).lookup(dst);
            RouteEntry rt = e.route;
            if (rt != NO_ROUTE && rt.kind() == RouteEntry.Kind.LOCAL) {
                f.at[at] = at;
                f.forwards[at] = 0;
                result = at;
                break;
            }
            if (!n.forwarding || rt == NO_ROUTE) {
                f.at[at] = DROP;
                result = DROP;
                break;
            }
            int next = hop(e, dst);
            if (next < 0) {
                f.at[at] = next;
                result = next;
                break;
            }
            f.at[at] = BUSY;
            stack.add(at);
            at = next;
        }
        int forwards = result >= 0 ? f.forwards[at] : 0;
        for (int k = stack.size() - 1; k >= 0; k--) {
            int m = stack.get(k);
            f.at[m] = result;
            f.forwards[m] = result >= 0 ? ++forwards : 0;
        }
        return f.at[start];
    }

    // ------------------------------------------------------------------ step by step

    private Boolean stepByStep(NodeState from, Addr dst) {
        Run r = new Run();
        if (!output(r, from, null, dst)) {
            return r.unknown ? null : Boolean.FALSE;
        }
        NodeState lands = r.delivered;
        Addr askedFrom = r.src;
        if (!output(r, lands, dst, askedFrom)) {
            return r.unknown ? null : Boolean.FALSE;
        }
        return r.delivered == from; // without NAT the reply comes from the address asked
    }

    private RouteEntry route(NodeState n, Addr dst) {
        RouteEntry[] memo = routes.get(dst);
        if (memo == null && slots + nodes.length <= MAX_SLOTS) {
            memo = new RouteEntry[nodes.length];
            slots += nodes.length;
            routes.put(dst, memo);
        }
        RouteEntry e = memo == null ? null : memo[n.index];
        if (e == null) {
            e = defaultRules(n, dst);
            if (memo != null) {
                memo[n.index] = e;
            }
        }
        return e;
    }

    /**
     * Walk.route for a plain node: its rules are the three default ones (local, main, default), which look at
     * nothing but the tables; the first table with a matching route decides, and only local and unicast routes
     * are usable. (Walk.route also words the failure, which the matrix does not need.)
     */
    private static RouteEntry defaultRules(NodeState n, Addr dst) {
        for (int table : DEFAULT_TABLES) {
            RouteEntry r = n.lookupTable(table, dst);
            if (r != null) {
                return r.kind() == RouteEntry.Kind.LOCAL || r.kind() == RouteEntry.Kind.UNICAST ? r : NO_ROUTE;
            }
        }
        return NO_ROUTE;
    }

    private static final int[] DEFAULT_TABLES = {NodeState.LOCAL, NodeState.MAIN, NodeState.DEFAULT};

    /** Walk.output for a packet from {@code src} (null: the route chooses) to {@code dst}; true when delivered. */
    private boolean output(Run r, NodeState n, Addr src, Addr dst) {
        if (!plain[n.index]) {
            r.unknown = true;
            return false;
        }
        RouteEntry rt = route(n, dst);
        if (rt == NO_ROUTE) {
            return false;
        }
        if (src == null) {
            src = Walk.chooseSource(n, rt, dst);
            if (src == null) {
                return false;
            }
        }
        r.src = src;
        if (rt.kind() == RouteEntry.Kind.LOCAL) {
            r.delivered = n;
            return true;
        }
        return transmit(r, n, rt, src, dst, 64);
    }

    private boolean transmit(Run r, NodeState n, RouteEntry rt, Addr src, Addr dst, int ttl) {
        while (true) {
            if (++r.steps > MAX_STEPS) {
                return false;
            }
            Dev dev = rt.dev();
            Dev resp;
            switch (dev.kind) {
                case LOOPBACK -> resp = dev;
                case DUMMY, TUN, TAP -> {
                    return false;
                }
                case IPVLAN -> {
                    r.unknown = true;
                    return false;
                }
                case VETH, PHYSICAL, BRIDGE, VLAN, VXLAN, MACVLAN -> {
                    if (!dev.up || dev.noCarrier != null) {
                        return false;
                    }
                    Addr nh = rt.gw() != null ? rt.gw() : dst;
                    resp = learned(r, dev, nh);
                    if (resp != null) {
                        if (!plane.segments.unicast(dev, resp).memberSet.contains(resp)) {
                            return false;
                        }
                    } else {
                        if (plane.segments.flood(dev).sipMatters()) {
                            r.unknown = true; // arp_ignore 2: the answer depends on the sender address (Walk decides)
                            return false;
                        }
                        resp = answerer(dev, nh);
                        if (resp == null) {
                            return false;
                        }
                        Walk.Pkt p = new Walk.Pkt();
                        p.src = src;
                        Addr sip = Walk.arpSender(n, dev, p, nh);
                        if (sip != null) {
                            if (r.learned == null) {
                                r.learned = new ArrayList<>(4);
                            }
                            r.learned.add(new Learned(resp, sip, dev));
                        }
                    }
                }
                default -> throw new IllegalStateException(dev.kind.toString());
            }
            // Walk.receive on resp
            n = resp.node;
            if (++r.steps > MAX_STEPS) {
                return false;
            }
            if (!plain[n.index]) {
                r.unknown = true;
                return false;
            }
            if (resp.kind != IfKind.LOOPBACK && n.ifaddrs.contains(src)) {
                return false; // martian source
            }
            rt = route(n, dst);
            if (rt != NO_ROUTE && rt.kind() == RouteEntry.Kind.LOCAL) {
                r.delivered = n;
                return true;
            }
            if (!n.forwarding || rt == NO_ROUTE || ttl <= 1) {
                return false;
            }
            if (src.isLinkLocal() && rt.dev() != resp) {
                return false; // Walk.receive: beyond scope of a link-local source
            }
            ttl--;
        }
    }

    /** The asking device {@code dev} learned {@code nh} from when it answered an ARP request earlier in the walk, else null. */
    private static Dev learned(Run r, Dev dev, Addr nh) {
        if (r.learned == null) {
            return null;
        }
        Dev found = null;
        for (Learned l : r.learned) {
            if (l.at == dev && l.addr.equals(nh)) {
                found = l.asker; // a later entry replaces an earlier one, as in Walk's map
            }
        }
        return found;
    }

    /** The device that answers {@code dev}'s ARP request for {@code nh} when its answer comes back, else null; memoised. */
    private Dev answerer(Dev dev, Addr nh) {
        Map<Addr, Dev> m = arp.computeIfAbsent(dev, d -> new HashMap<>());
        if (m.containsKey(nh)) {
            return m.get(nh); // null: nobody
        }
        Flood fl = plane.segments.flood(dev);
        Dev a = fl.responder(nh, dev, null); // not arp_ignore 2 (callers check sipMatters)
        if (a != null && (!plane.segments.unicast(a, dev).memberSet.contains(dev)
                || !fl.symmetric && !plane.segments.unicast(dev, a).memberSet.contains(a))) {
            a = null; // no answer, or (macvlan passthru) an answer the unicast frames that follow do not reach, as in Walk
        }
        m.put(nh, a);
        return a;
    }
}
