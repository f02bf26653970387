package dev.topoc.compiler.analysis;

import dev.topoc.compiler.model.IfRef;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.Link;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.model.Topology;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The L2 domains (broadcast domains) of a topology, by union-find over interfaces: the two ends of a
 * link, a bridge and its ports, a macvlan or ipvlan and its parent, VXLAN devices of one {@link Overlay}
 * (VNI and port), and VLANs of one id whose parents share a domain (repeated until stable, for VLANs on
 * VLANs). Near-linear. Get it from {@link Analysis#domains()}.
 */
public final class L2Domains {
    /** One domain: its number (equal numbers, same domain) and its interfaces in model order. */
    public record Domain(int id, List<Interface> members) {
        public Domain {
            members = List.copyOf(members);
        }
    }

    private final Map<IfRef, Integer> index = new HashMap<>();
    private final List<Interface> all = new ArrayList<>();
    private final int[] parent;
    /** The root of every interface, fixed once built, so that look-ups never write (safe to share). */
    private final int[] root;
    private List<Domain> list;

    L2Domains(Topology topology) {
        for (Node n : topology.nodes()) {
            for (Interface i : n.interfaces()) {
                if (index.putIfAbsent(i.ref(), all.size()) == null) {
                    all.add(i);
                }
            }
        }
        parent = new int[all.size()];
        for (int k = 0; k < parent.length; k++) {
            parent[k] = k;
        }
        for (Link l : topology.links()) {
            union(l.a(), l.b());
        }
        Joins joins = new Joins();
        List<Interface.Vlan> vlans = joins.vlans;
        for (Interface i : all) {
            if (i.common().master() != null) {
                union(i.ref(), new IfRef(i.node(), i.common().master()));
            }
            i.accept(joins);
        }
        // VLANs on VLANs: repeat until the pairing by (parent's domain, id) is stable
        for (int round = 0; round < 8; round++) {
            boolean changed = false;
            Map<String, IfRef> byTag = new HashMap<>();
            for (Interface.Vlan v : vlans) {
                Integer p = index.get(v.parent());
                if (p == null) {
                    continue;
                }
                IfRef first = byTag.putIfAbsent(find(p) + "/" + v.id(), v.ref());
                if (first != null && find(index.get(first)) != find(index.get(v.ref()))) {
                    union(first, v.ref());
                    changed = true;
                }
            }
            if (!changed) {
                break;
            }
        }
        root = new int[parent.length];
        for (int k = 0; k < root.length; k++) {
            root[k] = find(k);
        }
    }

    /** What joins an interface to others besides links and masters, by kind. */
    private final class Joins implements Interface.Cases<Void> {
        final Map<Overlay, IfRef> overlays = new HashMap<>();
        /** Joined after the rest, by tag over the parent's domain. */
        final List<Interface.Vlan> vlans = new ArrayList<>();

        @Override
        public Void vlan(Interface.Vlan i) {
            vlans.add(i);
            return null;
        }

        @Override
        public Void vxlan(Interface.Vxlan i) {
            IfRef first = overlays.putIfAbsent(Overlay.of(i), i.ref());
            if (first != null) {
                union(first, i.ref());
            }
            return null;
        }

        @Override
        public Void macvlan(Interface.Macvlan i) {
            union(i.ref(), i.parent());
            return null;
        }

        @Override
        public Void ipvlan(Interface.Ipvlan i) {
            union(i.ref(), i.parent());
            return null;
        }

        @Override public Void veth(Interface.Veth i) { return null; }
        @Override public Void bridge(Interface.Bridge i) { return null; }
        @Override public Void physical(Interface.Physical i) { return null; }
        @Override public Void dummy(Interface.Dummy i) { return null; }
        @Override public Void tun(Interface.Tun i) { return null; }
        @Override public Void tap(Interface.Tap i) { return null; }
        @Override public Void loopback(Interface.Loopback i) { return null; }
    }

    /** The domain of an interface (equal numbers: same domain); -1 for an unknown reference. */
    public int of(IfRef ref) {
        Integer i = index.get(ref);
        return i == null ? -1 : root[i];
    }

    public boolean same(IfRef a, IfRef b) {
        int da = of(a);
        return da >= 0 && da == of(b);
    }

    /** Every domain, singletons included, in the model order of their first interface. */
    public synchronized List<Domain> all() {
        if (list == null) {
            Map<Integer, List<Interface>> members = new LinkedHashMap<>();
            for (Interface i : all) {
                members.computeIfAbsent(of(i.ref()), k -> new ArrayList<>()).add(i);
            }
            List<Domain> out = new ArrayList<>(members.size());
            members.forEach((id, m) -> out.add(new Domain(id, m)));
            list = List.copyOf(out);
        }
        return list;
    }

    private void union(IfRef a, IfRef b) {
        Integer ia = index.get(a);
        Integer ib = index.get(b);
        if (ia == null || ib == null) {
            return;
        }
        int ra = find(ia);
        int rb = find(ib);
        if (ra != rb) {
            parent[Math.max(ra, rb)] = Math.min(ra, rb);
        }
    }

    private int find(int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }
}
