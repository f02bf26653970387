package dev.topoc.compiler.validate;

import dev.topoc.compiler.model.IfRef;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.Link;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.model.Topology;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The L2 domains (broadcast domains) of a topology, by union-find over interfaces: the two ends of a
 * link, a bridge and its ports, a macvlan or ipvlan and its parent, VXLAN devices of one VNI and port
 * (the overlay), and VLANs of one id whose parents share a domain. Near-linear.
 */
final class L2Domains {
    private final Map<IfRef, Integer> index = new HashMap<>();
    private int[] parent;

    L2Domains(Topology topology) {
        List<Interface> all = new ArrayList<>();
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
        Map<String, IfRef> overlay = new HashMap<>();
        List<Interface.Vlan> vlans = new ArrayList<>();
        for (Interface i : all) {
            if (i.common().master() != null) {
                union(i.ref(), new IfRef(i.node(), i.common().master()));
            }
            i.accept(new Interface.Cases<Void>() {
                public Void veth(Interface.Veth v) { return null; }
                public Void bridge(Interface.Bridge b) { return null; }
                public Void vlan(Interface.Vlan v) {
                    vlans.add(v);
                    return null;
                }
                public Void vxlan(Interface.Vxlan x) {
                    IfRef first = overlay.putIfAbsent(x.vni() + "/" + x.port(), x.ref());
                    if (first != null) {
                        union(first, x.ref());
                    }
                    return null;
                }
                public Void macvlan(Interface.Macvlan m) {
                    union(m.ref(), m.parent());
                    return null;
                }
                public Void ipvlan(Interface.Ipvlan v) {
                    union(v.ref(), v.parent());
                    return null;
                }
                public Void physical(Interface.Physical p) { return null; }
                public Void dummy(Interface.Dummy d) { return null; }
                public Void tun(Interface.Tun t) { return null; }
                public Void tap(Interface.Tap t) { return null; }
                public Void loopback(Interface.Loopback l) { return null; }
            });
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
    }

    /** The domain of an interface (equal numbers: same domain); -1 for an unknown reference. */
    int of(IfRef ref) {
        Integer i = index.get(ref);
        return i == null ? -1 : find(i);
    }

    boolean same(IfRef a, IfRef b) {
        int da = of(a);
        return da >= 0 && Objects.equals(da, of(b));
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
