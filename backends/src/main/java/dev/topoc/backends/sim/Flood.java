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
    private Map<Addr, List<Dev>> arp;
    /** Whether a member answers ARP depending on the request's sender address (arp_ignore 2): set by {@link #responder}. */
    private boolean sipMatters;
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
     * The member that answers ARP for {@code a}, as Linux does (arp_process, arp_ignore; each value measured on this
     * kernel): with arp_ignore 0 (and 4-7, 9 and up: "reply") a node answers on any of its devices for any of its
     * local addresses (weak host), a whole prefix on {@code lo} included; 1 only for an address of the receiving
     * device; 2 as 1, and only when one of the receiving device's prefixes holds both that address and the request's
     * sender address {@code sip}; 3 for any of its addresses (not for the rest of a prefix on {@code lo}: the
     * address itself must be configured, inet_confirm_addr); 8 never. NDP (IPv6) always only for the receiving
     * device's own (measured: an NS on e1 for e2's address gets no answer); never for loopback addresses, never on a
     * NOARP device; with proxy_arp (and forwarding) on the receiving device, also for an address the node routes out
     * of another device (arp_ignore is not asked then, 8 included).
     */
    synchronized Dev responder(Addr a, Dev asker, Addr sip) {
        index();
        for (Dev d : arp.getOrDefault(a, List.of())) {
            if (d != asker && (a.v6 || arpIgnore(d) != 2 || sameSubnet(d, a, sip))) {
                return d;
            }
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

    /** Builds the answers by address (arp_ignore per member) and the prefixes made local by lo, once. */
    private void index() {
        if (arp != null) {
            return;
        }
        arp = new HashMap<>();
        prefixLocals = new ArrayList<>();
        Set<NodeState> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (Dev m : members) {
            if (m.noarp()) {
                continue;
            }
            int ignore = arpIgnore(m);
            boolean ownOnly = ignore == 1 || ignore == 2; // only addresses of the receiving device
            sipMatters |= ignore == 2;
            for (Addr x : ownOnly ? m.addrs.stream().map(Prefix::addr).toList() : m.node.ifaddrs) {
                // NDP (ndisc_recv_ns) answers only for the receiving device's own addresses, whatever arp_ignore says
                if (!x.isLoopback() && (!x.v6 || ownOnly || m.owns(x)) && (ignore != 8 || x.v6)) {
                    arp.computeIfAbsent(x, k -> new ArrayList<>(1)).add(m);
                }
            }
            if (ignore != 1 && ignore != 2 && ignore != 3 && ignore != 8 && seen.add(m.node)) {
                for (NodeState.RouteEntry r : m.node.table(NodeState.LOCAL)) {
                    if (r.kind() == NodeState.RouteEntry.Kind.LOCAL && !r.to().isHost() && !r.to().addr().isLoopback()
                            && !r.to().addr().v6) {
                        prefixLocals.add(new Object[] {r, m});
                    }
                }
            }
        }
    }

    /** arp_ignore as arp_ignore() switches over it: 1, 2, 3 and 8 mean something, every other value replies as 0. */
    static int arpIgnore(Dev m) {
        int v = m.node.sysctls.arpIgnore(m.name);
        return v == 1 || v == 2 || v == 3 || v == 8 ? v : 0;
    }

    /** arp_ignore 2: one prefix of {@code d} holds both {@code tip} and {@code sip} (an unknown sender: none does). */
    private static boolean sameSubnet(Dev d, Addr tip, Addr sip) {
        return sip != null && d.addrs.stream().anyMatch(p -> p.addr().v6 == tip.v6 && p.contains(tip) && p.contains(sip));
    }

    /** Whether some member's answer depends on the ARP request's sender address (arp_ignore 2). */
    synchronized boolean sipMatters() {
        index();
        return sipMatters;
    }
}
