package dev.topoc.backends.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a broadcast frame sent on one device arrives: the devices whose stack receives it (endpoints,
 * in breadth-first order), why it stopped elsewhere ({@link Note}s), and, when built with paths, the
 * hops to each endpoint. ARP requests are such broadcasts, so a flood also answers "who replies to ARP
 * for this address". A flood that only crossed up veth pairs and bridges without tags is
 * {@code symmetric}: every member reaches every other member, and {@link Segments} shares it among them.
 */
final class Flood {
    /** Why a frame did not go on: a reason and the nodes it concerns (used to explain ARP failures). */
    record Note(String text, Set<String> nodes) {}

    final Dev source;
    final List<Dev> members = new ArrayList<>();
    final Set<Dev> memberSet = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    final List<Note> notes = new ArrayList<>();
    boolean symmetric = true;
    /** Hops to each endpoint (only when built with paths). */
    final Map<Dev, List<Hop>> paths = new IdentityHashMap<>();
    private Map<Addr, Dev> arp;
    private List<Object[]> prefixLocals;

    Flood(Dev source) {
        this.source = source;
    }

    void addMember(Dev d) {
        if (memberSet.add(d)) {
            members.add(d);
        }
    }

    /**
     * The member that answers ARP for {@code a}, as Linux does: with arp_ignore 0 a node answers on any of its
     * devices for any of its local addresses (weak host), with arp_ignore 1 only for the receiving device's own; NDP
     * (IPv6) always only for the receiving device's own (measured: an NS on e1 for e2's address gets no answer);
     * never for loopback addresses, never on a NOARP device; with proxy_arp (and forwarding) on the receiving
     * device, also for an address the node routes out of another device.
     */
    synchronized Dev responder(Addr a, Dev asker) {
        if (arp == null) {
            arp = new HashMap<>();
            prefixLocals = new ArrayList<>();
            Set<NodeState> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
            for (Dev m : members) {
                if (m.noarp()) {
                    continue;
                }
                boolean ownOnly = m.node.sysctls.arpIgnore(m.name) >= 1; // arp_ignore 1: only addresses of the receiving device
                for (Addr x : ownOnly ? m.addrs.stream().map(Prefix::addr).toList() : m.node.ifaddrs) {
                    // NDP (ndisc_recv_ns) answers only for the receiving device's own addresses, whatever arp_ignore says
                    if (!x.isLoopback() && (!x.v6 || ownOnly || m.owns(x))) {
                        arp.putIfAbsent(x, m);
                    }
                }
                if (!ownOnly && seen.add(m.node)) {
                    for (NodeState.RouteEntry r : m.node.table(NodeState.LOCAL)) {
                        if (r.kind() == NodeState.RouteEntry.Kind.LOCAL && !r.to().isHost() && !r.to().addr().isLoopback()
                                && !r.to().addr().v6) {
                            prefixLocals.add(new Object[] {r, m});
                        }
                    }
                }
            }
        }
        Dev d = arp.get(a);
        if (d != null && d != asker) {
            return d;
        }
        for (Object[] pl : prefixLocals) {
            NodeState.RouteEntry r = (NodeState.RouteEntry) pl[0];
            Dev m = (Dev) pl[1];
            if (m != asker && r.to().contains(a) && r.dev().up && m.node.isLocal(a)) {
                return m;
            }
        }
        for (Dev m : members) {
            // proxy_arp: a forwarding device answers for an address its node routes out of another device
            if (m == asker || m.noarp() || a.v6 || !m.node.sysctls.proxyArp(m.name) || !m.node.sysctls.forwards(m.name, false)) {
                continue;
            }
            Walk.Lookup r = Walk.route(m.node, a, null, m.name);
            if (r.failure() == null && r.route().kind() == NodeState.RouteEntry.Kind.UNICAST && r.route().dev() != m) {
                return m;
            }
        }
        return null;
    }
}
