package dev.topoc.compiler.machines;

import dev.topoc.compiler.diag.Span;
import dev.topoc.compiler.model.Cidr;
import dev.topoc.compiler.model.IfCommon;
import dev.topoc.compiler.model.IfKind;
import dev.topoc.compiler.model.IfRef;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.Link;
import dev.topoc.compiler.model.Machine;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.model.NodeKind;
import dev.topoc.compiler.model.Route;
import dev.topoc.compiler.model.RouteType;
import dev.topoc.compiler.model.Topology;
import inet.ipaddr.IPAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Stitches the links that cross machines (docs/machines.md, "Stitching"). A link whose two ends are on
 * different machines becomes, on each machine, the node's end cabled to a veth {@code st<VNI>-v} in the
 * machine's default namespace, enslaved with a VXLAN device {@code st<VNI>-vx} (local: the machine's
 * underlay, remote: the other machine's, UDP port 4789 or the link's {@code port}) to a bridge
 * {@code st<VNI>-br}. The VNI is the link's {@code vni}, else allocated from the link's end names
 * ({@link #tunnels}). Links with a {@code physical} end are real cables and are never stitched.
 *
 * <p>Callers pass a valid topology (the validator's machine rule has accepted it); stitching itself never
 * reports.
 */
public final class Stitching {
    public static final int VXLAN_PORT = 4789;
    /** VXLAN overhead over an IPv4 underlay: outer IPv4 20 + UDP 8 + VXLAN 8 + inner Ethernet 14. */
    public static final int OVERHEAD_IPV4 = 50;
    /** VXLAN overhead over an IPv6 underlay: outer IPv6 40 + UDP 8 + VXLAN 8 + inner Ethernet 14. */
    public static final int OVERHEAD_IPV6 = 70;
    /** VNIs are 24 bits; 0 is left out. */
    public static final int MAX_VNI = 16_777_215;

    private Stitching() {}

    // ---------------------------------------------------------------- placement

    /**
     * Where each node lives: its {@code machine}, or for an {@code external} node without one, the machine of
     * the first node it is linked to (in link order; the first machine when it is linked to none). Nodes of a
     * topology without machines are on none (empty map).
     */
    public static Map<String, String> placement(Topology t) {
        Map<String, String> place = new LinkedHashMap<>();
        if (t.machines().isEmpty()) {
            return place;
        }
        for (Node n : t.nodes()) {
            n.machine().ifPresent(m -> place.put(n.name(), m));
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Link l : t.links()) {
                for (IfRef[] e : new IfRef[][] {{l.a(), l.b()}, {l.b(), l.a()}}) {
                    if (!place.containsKey(e[0].node()) && isExternal(t, e[0].node()) && place.containsKey(e[1].node())) {
                        place.put(e[0].node(), place.get(e[1].node()));
                        changed = true;
                    }
                }
            }
        }
        for (Node n : t.nodes()) {
            if (n.kind() == NodeKind.EXTERNAL) {
                place.putIfAbsent(n.name(), t.machines().get(0).name());
            }
        }
        return place;
    }

    private static boolean isExternal(Topology t, String node) {
        return t.node(node).map(n -> n.kind() == NodeKind.EXTERNAL).orElse(false);
    }

    /** Whether the link's ends are on two machines and neither is a physical NIC (a real cable). */
    public static boolean crosses(Topology t, Map<String, String> place, Link l) {
        String ma = place.get(l.a().node());
        String mb = place.get(l.b().node());
        return ma != null && mb != null && !ma.equals(mb) && !physical(t, l.a()) && !physical(t, l.b());
    }

    private static boolean physical(Topology t, IfRef end) {
        return t.iface(end).map(i -> i.ifKind() == IfKind.PHYSICAL).orElse(false);
    }

    /** The VXLAN overhead of an underlay address's family. */
    public static int overhead(IPAddress underlay) {
        return underlay.isIPv4() ? OVERHEAD_IPV4 : OVERHEAD_IPV6;
    }

    /** The largest inner MTU a tunnel between the two machines carries: the smaller underlay MTU less the overhead. */
    public static int budget(Machine a, Machine b) {
        return Math.min(a.mtu(), b.mtu()) - overhead(a.underlay().orElseThrow());
    }

    // ---------------------------------------------------------------- tunnels and VNIs

    /**
     * The tunnels of the topology, in link order. A link's own {@code vni} is kept; the others get
     * {@code 1 + FNV-1a("A:IF -- B:IF") mod 16777215} over the two end names in sorted order, so a VNI depends on
     * the link alone; a VNI already taken (by a link's own {@code vni}, a declared {@code vxlan} device, or a
     * link earlier in the order of those end names) moves to the next free one. Links between machines without
     * an underlay are left out (the validator reports them).
     */
    public static List<Tunnel> tunnels(Topology t) {
        Map<String, String> place = placement(t);
        Map<String, Machine> machines = new HashMap<>();
        t.machines().forEach(m -> machines.put(m.name(), m));
        List<Link> crossing = new ArrayList<>();
        for (Link l : t.links()) {
            if (crosses(t, place, l) && machines.get(place.get(l.a().node())).underlay().isPresent()
                    && machines.get(place.get(l.b().node())).underlay().isPresent()) {
                crossing.add(l);
            }
        }
        Set<Long> taken = new HashSet<>();
        for (Node n : t.nodes()) {
            n.interfaces(Interface.Vxlan.class).forEach(x -> taken.add(x.vni()));
        }
        Map<Link, Integer> vnis = new IdentityHashMap<>();
        for (Link l : crossing) {
            if (l.vni() != null) {
                vnis.put(l, l.vni());
                taken.add((long) l.vni());
            }
        }
        List<Link> allocated = crossing.stream().filter(l -> l.vni() == null)
                .sorted(java.util.Comparator.comparing(Stitching::key)).toList();
        for (Link l : allocated) {
            long v = 1 + Integer.toUnsignedLong(fnv1a(key(l))) % MAX_VNI;
            while (taken.contains(v)) {
                v = v % MAX_VNI + 1;
            }
            taken.add(v);
            vnis.put(l, (int) v);
        }
        List<Tunnel> out = new ArrayList<>();
        for (Link l : crossing) {
            Machine ma = machines.get(place.get(l.a().node()));
            Machine mb = machines.get(place.get(l.b().node()));
            int budget = budget(ma, mb);
            out.add(new Tunnel(l, l.a(), ma, l.b(), mb, vnis.get(l), l.port() != null ? l.port() : VXLAN_PORT, budget,
                    l.mtu() != null ? l.mtu() : budget));
        }
        return out;
    }

    /** The link's end names in sorted order, {@code "A:IF -- B:IF"}: what its allocated VNI depends on. */
    public static String key(Link l) {
        String a = l.a().toString();
        String b = l.b().toString();
        return a.compareTo(b) <= 0 ? a + " -- " + b : b + " -- " + a;
    }

    /** 32-bit FNV-1a over the UTF-8 bytes. */
    static int fnv1a(String s) {
        int h = 0x811c9dc5;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x01000193;
        }
        return h;
    }

    // ---------------------------------------------------------------- default namespaces

    /**
     * The node that is each machine's default namespace: the {@code root} node placed on it, else a new one named
     * after the machine (or {@code host-N}, N its position, when a node already has that name).
     */
    public static Map<String, String> defaultNamespaces(Topology t) {
        Map<String, String> out = new LinkedHashMap<>();
        Set<String> names = new HashSet<>(t.nodesByName().keySet());
        for (Machine m : t.machines()) {
            t.nodes().stream().filter(n -> n.kind() == NodeKind.ROOT && n.machine().equals(Optional.of(m.name())))
                    .findFirst().ifPresent(n -> out.put(m.name(), n.name()));
        }
        for (int i = 0; i < t.machines().size(); i++) {
            Machine m = t.machines().get(i);
            if (out.containsKey(m.name())) {
                continue;
            }
            String name = m.name();
            for (int k = i + 1; names.contains(name); k++) {
                name = "host-" + k;
            }
            names.add(name);
            out.put(m.name(), name);
        }
        return out;
    }

    // ---------------------------------------------------------------- stitching

    /** The whole stitched topology and each machine's part (see {@link Stitched}). */
    public static Stitched of(Topology t) {
        if (t.machines().isEmpty()) {
            return new Stitched(t, List.of());
        }
        Map<String, String> place = placement(t);
        Map<String, String> dns = defaultNamespaces(t);
        Map<String, Machine> machines = new LinkedHashMap<>();
        t.machines().forEach(m -> machines.put(m.name(), m));
        Map<Link, Tunnel> tunnels = new IdentityHashMap<>();
        tunnels(t).forEach(x -> tunnels.put(x.link(), x));

        Map<String, List<Interface>> extra = new HashMap<>(); // default namespace node → stitching devices
        Map<IfRef, IfRef> wholePeer = new HashMap<>();
        Map<IfRef, IfRef> partPeer = new HashMap<>();
        List<Link> wholeLinks = new ArrayList<>();
        Map<String, List<Link>> partLinks = new HashMap<>();
        for (Link l : t.links()) {
            Tunnel x = tunnels.get(l);
            if (x == null) {
                wholeLinks.add(l);
                String ma = place.get(l.a().node());
                String mb = place.get(l.b().node());
                if (ma != null && ma.equals(mb)) {
                    partLinks.computeIfAbsent(ma, k -> new ArrayList<>()).add(l);
                } else {
                    partPeer.put(l.a(), null); // a real cable between machines: nothing to build on either
                    partPeer.put(l.b(), null);
                }
                continue;
            }
            side(x, l, x.a(), x.ma(), x.mb(), dns, extra, wholePeer, partPeer, wholeLinks, partLinks, true);
            side(x, l, x.b(), x.mb(), x.ma(), dns, extra, wholePeer, partPeer, wholeLinks, partLinks, false);
        }

        // the underlay: each machine's default namespace on one L2 network, through a generated external switch
        Set<String> nodeNames = new HashSet<>(t.nodesByName().keySet());
        nodeNames.addAll(dns.values());
        String switchName = "underlay";
        for (int k = 2; nodeNames.contains(switchName); k++) {
            switchName = "underlay" + k;
        }
        Map<String, Interface> underlayIf = new HashMap<>();
        Map<String, List<Route>> underlayRoutes = new HashMap<>();
        List<Interface> switchIfaces = new ArrayList<>();
        Span at = t.span();
        int port = 0;
        for (Machine m : t.machines()) {
            if (m.underlay().isEmpty()) {
                continue;
            }
            String d = dns.get(m.name());
            Optional<Node> existing = t.node(d);
            IPAddress u = m.underlay().get();
            boolean owned = existing.map(n -> n.interfaces().stream().flatMap(i -> i.addresses().stream())
                    .anyMatch(c -> c.address().withoutPrefixLength().equals(u.withoutPrefixLength()))).orElse(false);
            if (owned) {
                continue; // the file models this machine's underlay NIC itself
            }
            Set<String> ifNames = new HashSet<>();
            existing.ifPresent(n -> n.interfaces().forEach(i -> ifNames.add(i.name())));
            extra.getOrDefault(d, List.of()).forEach(i -> ifNames.add(i.name()));
            String ul = "ul0";
            for (int k = 1; ifNames.contains(ul); k++) {
                ul = "ul" + k;
            }
            port++;
            String p = "p" + port;
            underlayIf.put(d, new Interface.Physical(new IfCommon(d, ul, m.span(), List.of(new Cidr(u.withoutPrefixLength(),
                    u.getBitCount())), m.mtu(), null, null, true, false), new IfRef(switchName, p)));
            switchIfaces.add(new Interface.Veth(new IfCommon(switchName, p, m.span(), List.of(), m.mtu(), null, "br0", true,
                    false), new IfRef(d, ul)));
            wholeLinks.add(new Link(m.span(), new IfRef(d, ul), new IfRef(switchName, p), m.mtu(), null));
            List<Route> routes = new ArrayList<>();
            for (Machine o : t.machines()) {
                if (o != m && o.underlay().isPresent() && o.underlay().get().isIPv4() == u.isIPv4()) {
                    IPAddress ou = o.underlay().get().withoutPrefixLength();
                    routes.add(new Route(m.span(), new Cidr(ou, ou.getBitCount()), null, ul, null, "main", null,
                            RouteType.UNICAST));
                }
            }
            underlayRoutes.put(d, routes);
        }

        List<Node> whole = new ArrayList<>();
        Map<String, List<Node>> partNodes = new HashMap<>();
        for (Node n : t.nodes()) {
            whole.add(rewrite(n, wholePeer, extra.getOrDefault(n.name(), List.of()), underlayIf.get(n.name()),
                    underlayRoutes.getOrDefault(n.name(), List.of()), n.machine()));
            String m = place.get(n.name());
            if (m != null) {
                partNodes.computeIfAbsent(m, k -> new ArrayList<>()).add(rewrite(n, partPeer,
                        extra.getOrDefault(n.name(), List.of()), null, List.of(), n.machine()));
            }
        }
        for (Machine m : t.machines()) {
            String d = dns.get(m.name());
            if (t.node(d).isPresent()) {
                continue;
            }
            Node fresh = new Node(d, m.span(), NodeKind.ROOT, Optional.of(m.name()), false, List.of(loopback(d, m.span())),
                    List.of(), List.of(), List.of(), List.of(), Map.of(), List.of(), List.of());
            if (extra.containsKey(d) || underlayIf.containsKey(d)) {
                whole.add(rewrite(fresh, wholePeer, extra.getOrDefault(d, List.of()), underlayIf.get(d),
                        underlayRoutes.getOrDefault(d, List.of()), fresh.machine()));
            }
            if (extra.containsKey(d)) {
                partNodes.computeIfAbsent(m.name(), k -> new ArrayList<>())
                        .add(rewrite(fresh, partPeer, extra.get(d), null, List.of(), fresh.machine()));
            }
        }
        if (!switchIfaces.isEmpty()) {
            List<Interface> ifs = new ArrayList<>();
            ifs.add(loopback(switchName, at));
            ifs.add(new Interface.Bridge(new IfCommon(switchName, "br0", at, List.of(), null, null, null, true, false), false, null));
            ifs.addAll(switchIfaces);
            whole.add(new Node(switchName, at, NodeKind.EXTERNAL, Optional.empty(), false, ifs, List.of(), List.of(), List.of(),
                    List.of(), Map.of(), List.of(), List.of()));
        }
        Topology wholeTopology = new Topology(t.name(), t.span(), t.machines(), whole, wholeLinks, t.expectations());
        List<MachinePart> parts = new ArrayList<>();
        for (Machine m : t.machines()) {
            parts.add(new MachinePart(m, new Topology(t.name() + "-" + m.name(), t.span(), List.of(m),
                    partNodes.getOrDefault(m.name(), List.of()), partLinks.getOrDefault(m.name(), List.of()), List.of())));
        }
        return new Stitched(wholeTopology, parts);
    }

    /** One machine's side of a tunnel: the veth, bridge and VXLAN device in its default namespace, and the new cable. */
    private static void side(Tunnel x, Link l, IfRef end, Machine here, Machine there, Map<String, String> dns,
            Map<String, List<Interface>> extra, Map<IfRef, IfRef> wholePeer, Map<IfRef, IfRef> partPeer,
            List<Link> wholeLinks, Map<String, List<Link>> partLinks, boolean carriesSubnet) {
        String d = dns.get(here.name());
        Span at = l.span();
        List<Interface> devices = extra.computeIfAbsent(d, k -> new ArrayList<>());
        devices.add(new Interface.Bridge(new IfCommon(d, x.bridge(), at, List.of(), x.mtu(), null, null, true, false), false, null));
        devices.add(new Interface.Veth(new IfCommon(d, x.veth(), at, List.of(), null, null, x.bridge(), true, false), end));
        devices.add(new Interface.Vxlan(new IfCommon(d, x.vxlan(), at, List.of(), x.mtu(), null, x.bridge(), true, false),
                x.vni(), here.underlay().orElseThrow().withoutPrefixLength(), there.underlay().orElseThrow().withoutPrefixLength(),
                null, null, x.port()));
        IfRef peer = new IfRef(d, x.veth());
        wholePeer.put(end, peer);
        partPeer.put(end, peer);
        Link cable = new Link(at, end, peer, x.mtu(), carriesSubnet ? l.subnet() : null);
        wholeLinks.add(cable);
        partLinks.computeIfAbsent(here.name(), k -> new ArrayList<>()).add(cable);
    }

    private static Interface.Loopback loopback(String node, Span at) {
        return new Interface.Loopback(new IfCommon(node, "lo", at, List.of(), null, null, null, true, false));
    }

    /** The node with new peers for its cable ends, stitching devices and underlay NIC added, and underlay routes. */
    private static Node rewrite(Node n, Map<IfRef, IfRef> peers, List<Interface> devices, Interface underlay,
            List<Route> routes, Optional<String> machine) {
        List<Interface> ifs = new ArrayList<>();
        for (Interface i : n.interfaces()) {
            if (!peers.containsKey(i.ref())) {
                ifs.add(i);
                continue;
            }
            IfRef peer = peers.get(i.ref());
            ifs.add(i.accept(new Repeer(peer)));
        }
        ifs.addAll(devices);
        if (underlay != null) {
            ifs.add(underlay);
        }
        List<Route> allRoutes = new ArrayList<>(n.routes());
        allRoutes.addAll(routes);
        return new Node(n.name(), n.span(), n.kind(), machine, n.forwarding(), ifs, allRoutes, n.rules(), n.nat(),
                n.firewall(), n.sysctl(), n.listens(), n.runs());
    }

    /** A cable end with another peer (only veth and physical interfaces are cable ends). */
    private record Repeer(IfRef peer) implements Interface.Cases<Interface> {
        public Interface veth(Interface.Veth i) { return new Interface.Veth(i.common(), peer); }
        public Interface physical(Interface.Physical i) { return new Interface.Physical(i.common(), peer); }
        public Interface bridge(Interface.Bridge i) { return i; }
        public Interface vlan(Interface.Vlan i) { return i; }
        public Interface vxlan(Interface.Vxlan i) { return i; }
        public Interface macvlan(Interface.Macvlan i) { return i; }
        public Interface ipvlan(Interface.Ipvlan i) { return i; }
        public Interface dummy(Interface.Dummy i) { return i; }
        public Interface tun(Interface.Tun i) { return i; }
        public Interface tap(Interface.Tap i) { return i; }
        public Interface loopback(Interface.Loopback i) { return i; }
    }
}
