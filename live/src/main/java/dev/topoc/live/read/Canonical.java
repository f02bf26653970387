package dev.topoc.live.read;

import dev.topoc.compiler.diag.Span;
import dev.topoc.compiler.model.Chain;
import dev.topoc.compiler.model.Cidr;
import dev.topoc.compiler.model.IfCommon;
import dev.topoc.compiler.model.IfKind;
import dev.topoc.compiler.model.IfRef;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.Link;
import dev.topoc.compiler.model.NatRule;
import dev.topoc.compiler.model.NatType;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.model.NodeKind;
import dev.topoc.compiler.model.Route;
import dev.topoc.compiler.model.RouteType;
import dev.topoc.compiler.model.Rule;
import dev.topoc.compiler.model.Topology;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * One spelling of a model for comparison: what the kernel does by default is left out and order that carries no
 * meaning is fixed, so that the model read from a running network and the model compiled from a file are equal
 * exactly when they describe the same network. Applied to both sides: the reader returns canonical models, and a
 * caller comparing with a file passes the file's model through {@link #of} first.
 *
 * <ul>
 *   <li>MTUs equal to what the kernel gives the interface anyway are dropped (1500; 65536 on lo; a sub-interface
 *       takes its parent's, a VXLAN its device's minus 50 (IPv4) or 70 (IPv6), a bridge its ports' smallest); a
 *       veth pair whose two ends share an MTU carries it on the link;
 *   <li>a route's {@code dev} is dropped when its gateway lies in the connected subnet of exactly that one
 *       interface, metric 0 (IPv4) and 1024 (IPv6) are dropped; routes are sorted;
 *   <li>rules without a priority get the one the kernel gives them (one below the smallest non-zero priority of
 *       their family, in file order); rules are sorted by priority;
 *   <li>{@code forwarding} stands for both forwarding sysctls at 1; sysctls at their namespace default are dropped;
 *   <li>interfaces: {@code lo} first, then by name; addresses IPv4 first (each family in its order); links with
 *       their ends in name order, sorted; DNAT entries before masquerade/SNAT (the order nftables keeps them in);
 *       firewall chains input, forward, output, leaving out a chain that accepts everything (policy accept, no
 *       rules: the same as no chain); {@code subnet} pools (a file-only allocation aid) and
 *       expectations are dropped.
 * </ul>
 *
 * {@link #sandboxed} additionally maps a model the way {@code --sandbox} builds it: every node a namespace, and a
 * physical interface on a link a veth.
 */
public final class Canonical {
    private static final int MAX_DEPTH = 8;

    private final Topology model;
    private final Map<IfRef, Interface> byRef = new HashMap<>();
    private final Map<IfRef, Link> linkOf = new HashMap<>();

    private Canonical(Topology model) {
        this.model = model;
        model.nodes().forEach(n -> n.interfaces().forEach(i -> byRef.put(i.ref(), i)));
        model.links().forEach(l -> {
            linkOf.put(l.a(), l);
            linkOf.put(l.b(), l);
        });
    }

    public static Topology of(Topology model) {
        return new Canonical(model).canonical();
    }

    /**
     * Every interface of {@code model} → the MTU the kernel gives it: its own, its cable's, or the default of its kind
     * among its neighbours (a bridge its smallest port's, a VLAN/macvlan/ipvlan its parent's, a VXLAN its device's
     * less the encapsulation, lo 65536, anything else 1500). What the differ sets an MTU back to when the file
     * gives none.
     */
    public static Map<IfRef, Integer> effectiveMtus(Topology model) {
        Canonical c = new Canonical(model);
        Map<IfRef, Integer> out = new HashMap<>();
        c.byRef.forEach((ref, i) -> out.put(ref, c.effectiveMtu(i, 0)));
        return out;
    }

    /** The model as {@code --sandbox} builds it: node kinds netns, physical link ends veths; then {@link #of}. */
    public static Topology sandboxed(Topology model) {
        List<Node> nodes = new ArrayList<>();
        for (Node n : model.nodes()) {
            List<Interface> ifs = n.interfaces().stream().map(i -> i.as(Interface.Physical.class)
                    .filter(p -> p.peer() != null).map(p -> (Interface) new Interface.Veth(p.common(), p.peer())).orElse(i))
                    .toList();
            nodes.add(new Node(n.name(), n.span(), NodeKind.NETNS, n.machine(), n.forwarding(), ifs, n.routes(), n.rules(),
                    n.nat(), n.firewall(), n.sysctl(), n.listens(), n.runs()));
        }
        return of(new Topology(model.name(), model.span(), nodes, model.links(), model.expectations()));
    }

    private Topology canonical() {
        List<Link> links = new ArrayList<>();
        Map<IfRef, Integer> linkMtu = new HashMap<>();
        for (Link l : model.links()) {
            Integer ma = explicitMtu(l.a());
            Integer mb = explicitMtu(l.b());
            Integer shared = ma != null && ma.equals(mb) ? ma : null;
            if (shared != null) {
                linkMtu.put(l.a(), shared);
                linkMtu.put(l.b(), shared);
            }
            boolean swap = l.a().toString().compareTo(l.b().toString()) > 0;
            links.add(new Link(Span.NONE, swap ? l.b() : l.a(), swap ? l.a() : l.b(), shared, null));
        }
        links.sort(Comparator.comparing((Link l) -> l.a().toString()).thenComparing(l -> l.b().toString()));
        List<Node> nodes = new ArrayList<>();
        for (Node n : model.nodes()) {
            List<Interface> ifs = new ArrayList<>();
            for (Interface i : n.interfaces()) {
                Integer mtu = linkMtu.containsKey(i.ref()) ? null : explicitMtu(i.ref());
                ifs.add(withCommon(i, common(i.common(), mtu)));
            }
            ifs.sort(Comparator.comparing((Interface i) -> i.ifKind() == IfKind.LOOPBACK ? 0 : 1)
                    .thenComparing(Interface::name));
            nodes.add(node(n, ifs));
        }
        return new Topology(model.name(), Span.NONE, nodes, links, List.of());
    }

    private Node node(Node n, List<Interface> ifs) {
        List<Route> routes = n.routes().stream().map(r -> route(n, r)).sorted(Comparator.comparing(Canonical::routeKey))
                .toList();
        List<Rule> rules = rules(n.rules());
        Map<String, String> sysctl = new LinkedHashMap<>();
        // net.ipv4.conf.all.forwarding is ip_forward (one kernel value; the reader reads it as ip_forward)
        n.sysctl().forEach((k, v) -> {
            String key = k.equals("net.ipv4.conf.all.forwarding") ? "net.ipv4.ip_forward" : k;
            sysctl.remove(key);
            sysctl.put(key, v);
        });
        boolean forwarding = n.forwarding() || "1".equals(sysctl.get("net.ipv4.ip_forward"))
                && "1".equals(sysctl.get("net.ipv6.conf.all.forwarding"));
        Map<String, String> all = new HashMap<>(sysctl);
        if (forwarding) {
            sysctl.remove("net.ipv4.ip_forward");
            sysctl.remove("net.ipv6.conf.all.forwarding");
            all.put("net.ipv4.ip_forward", "1");
            all.put("net.ipv6.conf.all.forwarding", "1");
        }
        // a key at the value it has anyway (its namespace default; a per-interface key at what it follows, e.g. an
        // interface's forwarding with the node's) is what the kernel holds without it
        sysctl.entrySet().removeIf(e -> e.getValue().equals(NamespaceDump.defaultValue(e.getKey(), all::get)));
        List<NatRule> nat = new ArrayList<>(n.nat().stream().filter(r -> r.type() == NatType.DNAT).toList());
        nat.addAll(n.nat().stream().filter(r -> r.type() != NatType.DNAT).toList());
        List<Chain> firewall = n.firewall().stream()
                .filter(c -> c.policy() != dev.topoc.compiler.model.Action.ACCEPT || !c.rules().isEmpty())
                .sorted(Comparator.comparing(Chain::name)).toList();
        // workloads (listen, run) are processes, not kernel objects: the reader cannot see them, so neither side keeps them
        return new Node(n.name(), Span.NONE, n.kind(), n.machine(), forwarding, ifs, routes, rules, nat, firewall, sysctl,
                List.of(), List.of());
    }

    // ---------------------------------------------------------------- MTU

    /** The MTU an interface has when it differs from its kernel default, else null. */
    private Integer explicitMtu(IfRef ref) {
        Interface i = byRef.get(ref);
        if (i == null) {
            return null;
        }
        int effective = effectiveMtu(i, 0);
        return effective == defaultMtu(i, 0) ? null : effective;
    }

    private int effectiveMtu(Interface i, int depth) {
        if (i.common().mtu() != null) {
            return i.common().mtu();
        }
        Link l = linkOf.get(i.ref());
        if (l != null && l.mtu() != null && cableEnd(i)) {
            return l.mtu();
        }
        return defaultMtu(i, depth);
    }

    private int defaultMtu(Interface i, int depth) {
        if (depth > MAX_DEPTH) {
            return 1500;
        }
        return i.accept(new Interface.Cases<Integer>() {
            @Override public Integer veth(Interface.Veth v) { return 1500; }
            @Override public Integer bridge(Interface.Bridge b) {
                return byRef.values().stream().filter(p -> p.node().equals(b.node()) && b.name().equals(p.common().master()))
                        .mapToInt(p -> effectiveMtu(p, depth + 1)).min().orElse(1500);
            }
            @Override public Integer vlan(Interface.Vlan v) { return parentMtu(v.parent(), depth); }
            @Override public Integer vxlan(Interface.Vxlan x) {
                int overhead = x.local() != null && x.local().isIPv6() || x.remote() != null && x.remote().isIPv6()
                        || x.group() != null && x.group().isIPv6() ? 70 : 50;
                return (x.dev() == null ? 1500 : parentMtu(new IfRef(x.node(), x.dev()), depth)) - overhead;
            }
            @Override public Integer macvlan(Interface.Macvlan m) { return parentMtu(m.parent(), depth); }
            @Override public Integer ipvlan(Interface.Ipvlan p) { return parentMtu(p.parent(), depth); }
            @Override public Integer physical(Interface.Physical p) { return 1500; }
            @Override public Integer dummy(Interface.Dummy d) { return 1500; }
            @Override public Integer tun(Interface.Tun t) { return 1500; }
            @Override public Integer tap(Interface.Tap t) { return 1500; }
            @Override public Integer loopback(Interface.Loopback l) { return 65536; }
        });
    }

    /** Whether the interface is a cable end, taking a link's {@code mtu}. */
    private static boolean cableEnd(Interface i) {
        return switch (i.ifKind()) {
            case VETH, PHYSICAL -> true;
            case BRIDGE, VLAN, VXLAN, MACVLAN, IPVLAN, DUMMY, TUN, TAP, LOOPBACK -> false;
        };
    }
    private int parentMtu(IfRef parent, int depth) {
        Interface p = byRef.get(parent);
        return p == null ? 1500 : effectiveMtu(p, depth + 1);
    }

    private static IfCommon common(IfCommon c, Integer mtu) {
        List<Cidr> addresses = new ArrayList<>(c.addresses().stream().filter(Cidr::isIpv4).toList());
        addresses.addAll(c.addresses().stream().filter(a -> !a.isIpv4()).toList());
        return new IfCommon(c.node(), c.name(), Span.NONE, addresses, mtu, c.mac() == null ? null : c.mac().toLowerCase(),
                c.master(), c.up(), c.hairpin());
    }

    static Interface withCommon(Interface i, IfCommon c) {
        return i.accept(new Interface.Cases<Interface>() {
            @Override public Interface veth(Interface.Veth v) { return new Interface.Veth(c, v.peer()); }
            @Override public Interface bridge(Interface.Bridge b) { return new Interface.Bridge(c, b.stp(), null); }
            @Override public Interface vlan(Interface.Vlan v) { return new Interface.Vlan(c, v.parent(), v.id()); }
            @Override public Interface vxlan(Interface.Vxlan x) {
                return new Interface.Vxlan(c, x.vni(), x.local(), x.remote(), x.group(), x.dev(), x.port());
            }
            @Override public Interface macvlan(Interface.Macvlan m) { return new Interface.Macvlan(c, m.parent(), m.mode()); }
            @Override public Interface ipvlan(Interface.Ipvlan p) {
                return new Interface.Ipvlan(c, p.parent(), p.mode(), p.flag());
            }
            @Override public Interface physical(Interface.Physical p) { return new Interface.Physical(c, p.peer()); }
            @Override public Interface dummy(Interface.Dummy d) { return new Interface.Dummy(c); }
            @Override public Interface tun(Interface.Tun t) { return new Interface.Tun(c); }
            @Override public Interface tap(Interface.Tap t) { return new Interface.Tap(c); }
            @Override public Interface loopback(Interface.Loopback l) { return new Interface.Loopback(c); }
        });
    }

    // ---------------------------------------------------------------- routes and rules

    private Route route(Node n, Route r) {
        String dev = r.dev();
        if (r.type() != RouteType.UNICAST) {
            dev = null;
        } else if (r.via() != null && dev != null) {
            List<Interface> onLink = n.interfaces().stream()
                    .filter(i -> i.addresses().stream().anyMatch(a -> a.contains(r.via()))).toList();
            if (onLink.size() == 1 && onLink.get(0).name().equals(dev)) {
                dev = null;
            }
        }
        Integer metric = r.metric();
        if (metric != null && (r.to().isIpv4() ? metric == 0 : metric == 1024)) {
            metric = null;
        }
        String table = r.table() == null ? "main" : r.table();
        return new Route(Span.NONE, r.to(), r.via(), dev, metric, table, r.src(), r.type() == null ? RouteType.UNICAST : r.type());
    }

    private static String routeKey(Route r) {
        return (r.to().isIpv4() ? "4 " : "6 ") + r.table() + " " + r.to() + " " + r.type() + " " + r.metric() + " " + r.via()
                + " " + r.dev() + " " + r.src();
    }

    private static List<Rule> rules(List<Rule> rules) {
        TreeSet<Integer> v4 = new TreeSet<>(List.of(0, 32766, 32767));
        TreeSet<Integer> v6 = new TreeSet<>(List.of(0, 32766));
        List<Rule> out = new ArrayList<>();
        for (Rule r : rules) {
            boolean ipv6 = r.from() != null && !r.from().isIpv4() || r.to() != null && !r.to().isIpv4();
            TreeSet<Integer> used = ipv6 ? v6 : v4;
            int priority;
            if (r.priority() != null) {
                priority = r.priority();
            } else {
                Integer lowest = used.higher(0);
                priority = lowest == null ? 0 : lowest - 1;
            }
            used.add(priority);
            out.add(new Rule(Span.NONE, priority, r.from(), r.to(), r.iif(), r.oif(), r.fwmark(), r.table()));
        }
        out.sort(Comparator.comparing((Rule r) -> r.from() != null && !r.from().isIpv4()
                || r.to() != null && !r.to().isIpv4() ? 1 : 0).thenComparing(Rule::priority));
        return out;
    }
}
