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
     * The member that answers ARP for {@code a}, as Linux does (arp_ignore 0): a node answers on any of its
     * devices for any of its local addresses (weak host), never for loopback addresses, never on a NOARP device.
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
                for (Addr x : m.node.ifaddrs) {
                    if (!x.isLoopback()) {
                        arp.putIfAbsent(x, m);
                    }
                }
                if (seen.add(m.node)) {
                    for (NodeState.RouteEntry r : m.node.table(NodeState.LOCAL)) {
                        if (r.kind() == NodeState.RouteEntry.Kind.LOCAL && !r.to().isHost() && !r.to().addr().isLoopback()) {
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
        return null;
    }
}
