package dev.topoc.compiler.analysis;

import dev.topoc.compiler.model.Cidr;
import dev.topoc.compiler.model.IfRef;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.Link;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.model.Topology;
import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What validation, every backend and the simulator need to know about a model beyond its records,
 * computed once per {@link Topology}: interfaces by reference, the owner of every address, the parent
 * a sub-interface is stacked on and the children of every parent, link peers, and (on first use) the L2
 * domains ({@link L2Domains}). Where a node reaches a gateway on-link is in {@link Connected}.
 *
 * <p>Design: {@link #of(Topology)} memoizes by identity (a topology is an immutable record whose
 * equality ignores spans, so two equal models from different files must not share an analysis whose
 * interfaces point at the other file), keeping the last few, because one run of the CLI asks from
 * several stages (validation, then a backend or the simulator) about the same instance. Everything is
 * hashed, so building it is linear in the size of the model; it is safe to share between threads.
 */
public final class Analysis {
    private static final int RECENT = 4;
    private static final List<Analysis> recent = new ArrayList<>(RECENT);

    private final Topology topology;
    private final Map<String, Node> nodes = new HashMap<>();
    private final Map<IfRef, Interface> ifaces = new HashMap<>();
    /** Canonical address text (no prefix length) → the first interface that has it. */
    private final Map<String, Interface> addressOwner = new HashMap<>();
    private final Map<IfRef, List<Interface>> children = new HashMap<>();
    private final Map<IfRef, IfRef> peers = new HashMap<>();
    private final Map<IfRef, Link> links = new HashMap<>();
    private final Map<IfRef, Integer> mtus = new java.util.concurrent.ConcurrentHashMap<>();
    private L2Domains domains;

    private Analysis(Topology topology) {
        this.topology = topology;
        for (Node n : topology.nodes()) {
            nodes.putIfAbsent(n.name(), n);
            for (Interface i : n.interfaces()) {
                ifaces.putIfAbsent(i.ref(), i);
                for (Cidr c : i.addresses()) {
                    addressOwner.putIfAbsent(addressKey(c.address()), i);
                }
                IfRef parent = parentOf(i);
                if (parent != null) {
                    children.computeIfAbsent(parent, k -> new ArrayList<>()).add(i);
                }
            }
        }
        for (Link l : topology.links()) {
            peers.put(l.a(), l.b());
            peers.put(l.b(), l.a());
            links.put(l.a(), l);
            links.put(l.b(), l);
        }
    }

    /** The analysis of {@code topology}, built on first use and shared by every later caller with the same instance. */
    public static Analysis of(Topology topology) {
        synchronized (recent) {
            for (Analysis a : recent) {
                if (a.topology == topology) {
                    return a;
                }
            }
        }
        Analysis fresh = new Analysis(topology);
        synchronized (recent) {
            for (Analysis a : recent) {
                if (a.topology == topology) {
                    return a;
                }
            }
            if (recent.size() == RECENT) {
                recent.remove(0);
            }
            recent.add(fresh);
        }
        return fresh;
    }

    public Topology topology() {
        return topology;
    }

    /** The node of that name, or null. */
    public Node node(String name) {
        return nodes.get(name);
    }

    /** The interface a reference names, or null. */
    public Interface iface(IfRef ref) {
        return ref == null ? null : ifaces.get(ref);
    }

    /** The first interface (in model order) that has {@code address}, whatever its prefix length; null if none. */
    public Interface owner(IPAddress address) {
        return addressOwner.get(addressKey(address));
    }

    /** How addresses are compared: canonical text without the prefix length. */
    public static String addressKey(IPAddress address) {
        return address.withoutPrefixLength().toCanonicalString();
    }

    /** The interface a vlan, macvlan or ipvlan is stacked on; null for other kinds. */
    public static IfRef parentOf(Interface i) {
        return i.accept(PARENT);
    }

    private static final Interface.Cases<IfRef> PARENT = new Interface.Cases<>() {
        @Override public IfRef vlan(Interface.Vlan i) { return i.parent(); }
        @Override public IfRef macvlan(Interface.Macvlan i) { return i.parent(); }
        @Override public IfRef ipvlan(Interface.Ipvlan i) { return i.parent(); }
        // a VXLAN's `dev` carries its packets but the VXLAN is not stacked on it (it may live elsewhere)
        @Override public IfRef vxlan(Interface.Vxlan i) { return null; }
        @Override public IfRef veth(Interface.Veth i) { return null; }
        @Override public IfRef bridge(Interface.Bridge i) { return null; }
        @Override public IfRef physical(Interface.Physical i) { return null; }
        @Override public IfRef dummy(Interface.Dummy i) { return null; }
        @Override public IfRef tun(Interface.Tun i) { return null; }
        @Override public IfRef tap(Interface.Tap i) { return null; }
        @Override public IfRef loopback(Interface.Loopback i) { return null; }
    };

    /** The sub-interfaces stacked on {@code parent} (vlans, macvlans, ipvlans), in model order. */
    public List<Interface> children(IfRef parent) {
        return children.getOrDefault(parent, List.of());
    }

    /** The other end of the link that ends at {@code end}, or null. */
    public IfRef peer(IfRef end) {
        return peers.get(end);
    }

    /** Bytes a VXLAN adds to the frame it carries: outer IPv4 20, UDP 8, VXLAN 8, inner Ethernet 14. */
    public static final int VXLAN_OVERHEAD = 50;

    /**
     * The MTU the kernel gives {@code i} as the backends build it: its own {@code mtu}, else its link's, else the
     * kernel's default for its kind: 65536 for lo; a bridge the smallest of its ports' (the kernel follows them);
     * a VXLAN its `dev`'s minus {@link #VXLAN_OVERHEAD} (1500 without `dev`; all measured); a vlan, macvlan or ipvlan its
     * parent's; 1500 otherwise.
     */
    public int mtu(Interface i) {
        Integer known = mtus.get(i.ref());
        if (known != null) {
            return known;
        }
        int m = computeMtu(i, 0);
        mtus.put(i.ref(), m);
        return m;
    }

    private int computeMtu(Interface i, int depth) {
        if (i.common().mtu() != null) {
            return i.common().mtu();
        }
        Link l = links.get(i.ref());
        if (l != null && l.mtu() != null) {
            return l.mtu();
        }
        if (depth > 8) {
            return 1500;
        }
        return switch (i.ifKind()) {
            case LOOPBACK -> 65536;
            case BRIDGE -> {
                int min = Integer.MAX_VALUE;
                for (Interface p : nodes.get(i.node()).interfaces()) {
                    if (i.name().equals(p.common().master())) {
                        min = Math.min(min, computeMtu(p, depth + 1));
                    }
                }
                yield min == Integer.MAX_VALUE ? 1500 : min;
            }
            case VXLAN -> {
                Interface.Vxlan v = (Interface.Vxlan) i;
                Interface under = v.dev() == null ? null : ifaces.get(new IfRef(i.node(), v.dev()));
                yield under == null ? 1500 : computeMtu(under, depth + 1) - VXLAN_OVERHEAD;
            }
            case VLAN, MACVLAN, IPVLAN -> {
                Interface parent = iface(parentOf(i));
                yield parent == null ? 1500 : computeMtu(parent, depth + 1);
            }
            case VETH, PHYSICAL, DUMMY, TUN, TAP -> 1500;
        };
    }

    /** The broadcast domains, computed on first use. */
    public synchronized L2Domains domains() {
        if (domains == null) {
            domains = new L2Domains(topology);
        }
        return domains;
    }
}
