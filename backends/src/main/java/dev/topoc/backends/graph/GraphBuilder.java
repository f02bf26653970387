package dev.topoc.backends.graph;

import dev.topoc.backends.graph.Graph.BridgeBox;
import dev.topoc.backends.graph.Graph.Box;
import dev.topoc.backends.graph.Graph.Domain;
import dev.topoc.backends.graph.Graph.Edge;
import dev.topoc.backends.graph.Graph.EdgeKind;
import dev.topoc.backends.graph.Graph.PathInfo;
import dev.topoc.backends.graph.Graph.Port;
import dev.topoc.compiler.analysis.Analysis;
import dev.topoc.compiler.analysis.L2Domains;
import dev.topoc.compiler.analysis.Overlay;
import dev.topoc.compiler.model.Cidr;
import dev.topoc.compiler.model.IfKind;
import dev.topoc.compiler.model.IfRef;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.Link;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.model.NodeKind;
import dev.topoc.compiler.model.Route;
import dev.topoc.compiler.model.Topology;
import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Model → {@link Graph}. Design: every interface gets a port id ({@code node:iface}); collapsing only
 * changes that mapping (members of a group of identical nodes map to the first member's ports, the
 * ports facing a group map to the first of them), so edges, domains and the highlighted path are computed
 * the same way with or without it, and edges that land on the same pair of ports merge with a count.
 * L2 domains, parents and link peers come from the model's {@link Analysis} (VXLAN overlays by VNI and
 * port, as the simulator and validation see them). Everything is visited in model order, so the drawing is deterministic.
 */
public final class GraphBuilder {
    /** The smallest group of identical nodes that {@code --collapse} folds into one. */
    public static final int COLLAPSE_MIN = 3;

    /** Light fill and darker stroke per L2 domain, used in turn. */
    private static final String[][] PALETTE = {
        {"#dbeafe", "#2563eb"}, {"#dcfce7", "#16a34a"}, {"#fef3c7", "#d97706"}, {"#fce7f3", "#db2777"},
        {"#e0e7ff", "#4f46e5"}, {"#ccfbf1", "#0d9488"}, {"#ffedd5", "#ea580c"}, {"#f3e8ff", "#9333ea"},
        {"#ecfccb", "#65a30d"}, {"#e0f2fe", "#0284c7"},
    };
    private static final Pattern NUMBERED = Pattern.compile("^(.*?)(\\d+)([^\\d]*)$");

    private final Topology model;
    private final GraphOptions options;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final Analysis analysis;
    /** Collapsed groups by any member's name; each list is in model order. */
    private final Map<String, List<Node>> groupOf = new HashMap<>();
    /** Interfaces drawn as one port, by the port's id (only for merged ports facing a group). */
    private final Map<String, List<Interface>> mergedPorts = new HashMap<>();
    private final Map<IfRef, String> portId = new HashMap<>();
    private final Map<IfRef, Domain> domainOf = new HashMap<>();
    private final List<Domain> domains = new ArrayList<>();

    private GraphBuilder(Topology model, GraphOptions options) {
        this.model = model;
        this.options = options == null ? GraphOptions.DEFAULT : options;
        this.analysis = Analysis.of(model);
        model.nodes().forEach(n -> nodes.put(n.name(), n));
    }

    /** @throws IllegalArgumentException when the highlighted path names a node or interface the model lacks */
    public static Graph build(Topology model, GraphOptions options) {
        return new GraphBuilder(model, options).build();
    }

    private Graph build() {
        if (options.collapse()) {
            findGroups();
        }
        assignPortIds();
        findDomains();
        List<Box> boxes = new ArrayList<>();
        for (Node n : model.nodes()) {
            List<Node> group = groupOf.get(n.name());
            if (group == null || group.get(0) == n) {
                boxes.add(box(n, group == null ? List.of(n) : group));
            }
        }
        List<Edge> edges = edges();
        PathInfo path = null;
        if (options.highlight() != null) {
            path = highlight(options.highlight(), boxes, edges);
        }
        return new Graph(model.name(), boxes, edges, domains, path);
    }

    // ---- collapsing -------------------------------------------------------------------------------

    private void findGroups() {
        Map<String, List<Node>> bySignature = new LinkedHashMap<>();
        for (Node n : model.nodes()) {
            bySignature.computeIfAbsent(signature(n), k -> new ArrayList<>()).add(n);
        }
        for (List<Node> g : bySignature.values()) {
            if (g.size() >= COLLAPSE_MIN) {
                g.forEach(n -> groupOf.put(n.name(), g));
            }
        }
    }

    /** What makes two nodes look alike: everything but their names and host addresses. */
    private String signature(Node n) {
        StringBuilder sb = new StringBuilder();
        sb.append(n.kind()).append('|').append(n.forwarding()).append('|').append(n.machine().orElse(""))
                .append("|nat ").append(n.nat().size()).append("|fw ").append(n.firewall().size())
                .append("|rules ").append(n.rules().size()).append("|sysctl ").append(n.sysctl());
        for (Route r : n.routes()) {
            sb.append("|route ").append(r.to()).append(' ').append(r.via()).append(' ').append(r.dev()).append(' ')
                    .append(r.metric()).append(' ').append(r.table()).append(' ').append(r.src()).append(' ').append(r.type());
        }
        for (Interface i : n.interfaces()) {
            var c = i.common();
            sb.append("|if ").append(i.name()).append(' ').append(detail(i)).append(' ').append(c.master()).append(' ')
                    .append(c.mtu()).append(' ').append(c.up()).append(' ').append(c.hairpin());
            c.addresses().forEach(a -> sb.append(' ').append(a.networkCidr()));
            IfRef p = analysis.peer(i.ref());
            if (p != null) {
                var pi = model.iface(p);
                sb.append(" peer ").append(p.node()).append(' ').append(pi.map(x -> x.common().master()).orElse(null));
            }
        }
        return sb.toString();
    }

    private void assignPortIds() {
        for (Node n : model.nodes()) {
            List<Node> group = groupOf.get(n.name());
            String owner = group == null ? n.name() : group.get(0).name();
            for (Interface i : n.interfaces()) {
                portId.put(i.ref(), owner + ":" + i.name());
            }
        }
        if (groupOf.isEmpty()) {
            return;
        }
        for (Node n : model.nodes()) {
            if (groupOf.containsKey(n.name())) {
                continue;
            }
            Map<String, List<Interface>> alike = new LinkedHashMap<>();
            for (Interface i : n.interfaces()) {
                IfRef p = analysis.peer(i.ref());
                if (p == null || !groupOf.containsKey(p.node()) || i.ifKind() == IfKind.BRIDGE) {
                    continue;
                }
                var c = i.common();
                String key = detail(i) + '|' + c.master() + '|' + c.mtu() + '|' + c.up() + '|' + c.hairpin() + '|'
                        + groupOf.get(p.node()).get(0).name() + '|' + p.iface() + '|' + c.addresses().size();
                alike.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
            }
            for (List<Interface> same : alike.values()) {
                if (same.size() < 2) {
                    continue;
                }
                String id = portId.get(same.get(0).ref());
                same.forEach(i -> portId.put(i.ref(), id));
                mergedPorts.put(id, same);
            }
        }
    }

    // ---- L2 domains -------------------------------------------------------------------------------

    /**
     * The analysis's L2 domains, drawn: {@code lo} is left out, and a domain is drawn when it has two
     * interfaces or a bridge.
     */
    private void findDomains() {
        Map<IfRef, Cidr> linkSubnets = new HashMap<>();
        for (Link l : model.links()) {
            if (l.subnet() != null) {
                linkSubnets.put(l.a(), l.subnet());
            }
        }
        for (L2Domains.Domain domain : analysis.domains().all()) {
            List<Interface> m = domain.members().stream().filter(i -> i.ifKind() != IfKind.LOOPBACK).toList();
            boolean hasBridge = m.stream().anyMatch(i -> i.ifKind() == IfKind.BRIDGE);
            if (m.size() < 2 && !hasBridge) {
                continue;
            }
            String[] colours = PALETTE[domains.size() % PALETTE.length];
            Domain d = new Domain(domains.size() + 1, domainTitle(domains.size() + 1, m), subnets(m, linkSubnets),
                    m.size(), colours[0], colours[1]);
            domains.add(d);
            m.forEach(i -> domainOf.put(i.ref(), d));
        }
    }

    private static String domainTitle(int number, List<Interface> members) {
        for (Interface i : members) {
            String segment = switch (i.ifKind()) {
                case VLAN -> "VLAN " + ((Interface.Vlan) i).id();
                case VXLAN -> "VXLAN " + ((Interface.Vxlan) i).vni();
                case VETH, BRIDGE, MACVLAN, IPVLAN, PHYSICAL, DUMMY, TUN, TAP, LOOPBACK -> null;
            };
            if (segment != null) {
                return "L2 " + number + " (" + segment + ")";
            }
        }
        return "L2 " + number;
    }

    /** Declared subnets first (bridge pools, link subnets), then the networks of the members' addresses. */
    private static String subnets(List<Interface> members, Map<IfRef, Cidr> linkSubnets) {
        Set<String> out = new LinkedHashSet<>();
        for (Interface i : members) {
            i.as(Interface.Bridge.class).map(Interface.Bridge::subnet).ifPresent(subnet -> out.add(subnet.toString()));
            Cidr s = linkSubnets.get(i.ref());
            if (s != null) {
                out.add(s.toString());
            }
        }
        for (Interface i : members) {
            i.addresses().forEach(a -> out.add(a.networkCidr().toString()));
        }
        return out.isEmpty() ? "no addresses" : String.join(", ", out);
    }

    // ---- boxes and ports --------------------------------------------------------------------------

    private Box box(Node n, List<Node> group) {
        List<String> lines = new ArrayList<>();
        String kind = switch (n.kind()) {
            case NETNS -> "netns";
            case ROOT -> "root namespace";
            case EXTERNAL -> "external";
        };
        if (group.size() > 1) {
            lines.add(group.size() + " identical " + kind + " nodes");
        } else {
            lines.add(kind + n.machine().map(m -> " on " + m).orElse(""));
        }
        List<String> roles = new ArrayList<>();
        if (n.forwarding()) {
            roles.add("forwarding");
        }
        if (!n.nat().isEmpty()) {
            roles.add("nat");
        }
        if (!n.firewall().isEmpty()) {
            roles.add("firewall");
        }
        if (!n.rules().isEmpty()) {
            roles.add("policy rules");
        }
        if (!roles.isEmpty()) {
            lines.add(String.join(" · ", roles));
        }
        Map<String, List<Port>> bridgePorts = new LinkedHashMap<>();
        for (Interface.Bridge b : n.interfaces(Interface.Bridge.class)) {
            bridgePorts.put(b.name(), new ArrayList<>());
        }
        List<Port> ports = new ArrayList<>();
        for (Interface i : n.interfaces()) {
            String id = portId.get(i.ref());
            if (!id.equals(n.name() + ":" + i.name()) || i.ifKind() == IfKind.BRIDGE || hidden(i)) {
                continue;
            }
            Port p = port(i, id, alike(i, id, group));
            String master = i.common().master();
            if (master != null && bridgePorts.containsKey(master)) {
                bridgePorts.get(master).add(p);
            } else {
                ports.add(p);
            }
        }
        List<BridgeBox> bridges = new ArrayList<>();
        for (Interface.Bridge b : n.interfaces(Interface.Bridge.class)) {
            String id = portId.get(b.ref());
            Domain d = domainOf.get(b.ref());
            String title = "bridge " + b.name() + (b.stp() ? " · stp" : "")
                    + (d != null ? "\n" + d.title() + ": " + d.subnets() : "");
            bridges.add(new BridgeBox(id + "#bridge", title, port(b, id, alike(b, id, group)),
                    bridgePorts.get(b.name()), d));
        }
        String title = group.size() > 1 ? compressNames(group.stream().map(Node::name).toList()) : n.name();
        return new Box(n.name(), title, lines, n.kind() == NodeKind.EXTERNAL, group.size(), ports, bridges, null,
                n.machine().orElse(null));
    }

    /** {@code lo} is drawn only when it carries addresses of its own. */
    private static boolean hidden(Interface i) {
        return i.ifKind() == IfKind.LOOPBACK && i.addresses().isEmpty();
    }

    /** The interfaces one port stands for: itself, its twins in a collapsed group, or a merged set. */
    private List<Interface> alike(Interface i, String id, List<Node> group) {
        List<Interface> merged = mergedPorts.get(id);
        if (merged != null) {
            return merged;
        }
        if (group.size() == 1) {
            return List.of(i);
        }
        List<Interface> out = new ArrayList<>();
        for (Node m : group) {
            m.iface(i.name()).ifPresent(out::add);
        }
        return out;
    }

    private Port port(Interface i, String id, List<Interface> alike) {
        List<String> lines = new ArrayList<>();
        List<String> names = alike.stream().map(Interface::name).distinct().toList();
        lines.add(names.size() > 1 ? compressNames(names) + " ×" + alike.size() : i.name());
        lines.add(detail(i));
        lines.addAll(addressLines(alike));
        var c = i.common();
        List<String> settings = new ArrayList<>();
        if (c.mtu() != null) {
            settings.add("mtu " + c.mtu());
        }
        if (c.mac() != null) {
            settings.add("mac " + c.mac());
        }
        if (!c.up()) {
            settings.add("down");
        }
        if (c.hairpin()) {
            settings.add("hairpin");
        }
        if (!settings.isEmpty()) {
            lines.add(String.join(" · ", settings));
        }
        return new Port(id, lines, domainOf.get(i.ref()), false);
    }

    /** The kind and what it hangs on: {@code vlan 100 on veth-ns1}, {@code vxlan 100 → 172.16.0.20:4789}. */
    private static String detail(Interface i) {
        return i.accept(new Interface.Cases<>() {
            public String veth(Interface.Veth v) { return v.kind(); }
            public String bridge(Interface.Bridge b) { return b.kind(); }
            public String vlan(Interface.Vlan v) {
                return "vlan " + v.id() + " on " + where(v, v.parent());
            }
            public String vxlan(Interface.Vxlan x) {
                return "vxlan " + x.vni()
                        + (x.remote() != null ? " → " + x.remote().toCanonicalString() : "")
                        + (x.group() != null ? " group " + x.group().toCanonicalString() : "")
                        + ":" + x.port() + (x.dev() != null ? " dev " + x.dev() : "");
            }
            public String macvlan(Interface.Macvlan m) {
                return "macvlan " + m.mode().word() + " on " + where(m, m.parent());
            }
            public String ipvlan(Interface.Ipvlan v) {
                return "ipvlan " + v.mode().word() + (v.flag() != null ? " " + v.flag().word() : "") + " on " + where(v, v.parent());
            }
            public String physical(Interface.Physical p) { return p.kind(); }
            public String dummy(Interface.Dummy d) { return d.kind(); }
            public String tun(Interface.Tun t) { return t.kind(); }
            public String tap(Interface.Tap t) { return t.kind(); }
            public String loopback(Interface.Loopback l) { return l.kind(); }
        });
    }

    private static String where(Interface i, IfRef parentRef) {
        return parentRef.node().equals(i.node()) ? parentRef.iface() : parentRef.toString();
    }

    /** One line per address; across twins, the lowest and highest ({@code 10.200.0.2/16 … 10.200.3.233/16}). */
    private static List<String> addressLines(List<Interface> alike) {
        Interface first = alike.get(0);
        List<String> out = new ArrayList<>();
        if (alike.stream().anyMatch(i -> i.addresses().size() != first.addresses().size())) {
            out.add("(addresses differ)");
            return out;
        }
        for (int k = 0; k < first.addresses().size(); k++) {
            Cidr lo = first.addresses().get(k);
            Cidr hi = lo;
            for (Interface i : alike) {
                Cidr a = i.addresses().get(k);
                if (compare(a.address(), lo.address()) < 0) {
                    lo = a;
                }
                if (compare(a.address(), hi.address()) > 0) {
                    hi = a;
                }
            }
            out.add(lo.equals(hi) ? lo.toString() : lo + " … " + hi);
        }
        return out;
    }

    private static int compare(IPAddress a, IPAddress b) {
        if (a.isIPv4() != b.isIPv4()) {
            return a.isIPv4() ? -1 : 1;
        }
        return a.compareTo(b);
    }

    /** {@code h[1..1000]} for h1..h1000; otherwise the first and last names with a count. */
    static String compressNames(List<String> names) {
        String prefix = null;
        String suffix = null;
        List<Long> numbers = new ArrayList<>();
        for (String name : names) {
            Matcher m = NUMBERED.matcher(name);
            if (!m.matches() || m.group(2).length() > 1 && m.group(2).startsWith("0") || m.group(2).length() > 12) {
                numbers = null;
                break;
            }
            if (prefix == null) {
                prefix = m.group(1);
                suffix = m.group(3);
            } else if (!prefix.equals(m.group(1)) || !suffix.equals(m.group(3))) {
                numbers = null;
                break;
            }
            numbers.add(Long.parseLong(m.group(2)));
        }
        if (numbers != null && numbers.size() > 1) {
            boolean contiguous = true;
            for (int k = 1; k < numbers.size(); k++) {
                contiguous &= numbers.get(k) == numbers.get(k - 1) + 1;
            }
            if (contiguous) {
                return prefix + "[" + numbers.get(0) + ".." + numbers.get(numbers.size() - 1) + "]" + suffix;
            }
        }
        if (names.size() <= 3) {
            return String.join(", ", names);
        }
        return names.get(0) + ", " + names.get(1) + " … " + names.get(names.size() - 1);
    }

    // ---- edges ------------------------------------------------------------------------------------

    private record EdgeKey(EdgeKind kind, String from, String to) {}

    private static final class EdgeAcc {
        int count;
        final Set<Integer> mtus = new LinkedHashSet<>();
        String label;
        Domain domain;
    }

    private List<Edge> edges() {
        Map<EdgeKey, EdgeAcc> acc = new LinkedHashMap<>();
        for (Link l : model.links()) {
            EdgeAcc e = add(acc, EdgeKind.LINK, l.a(), l.b(), "");
            if (e != null) {
                e.mtus.add(l.mtu());
            }
        }
        List<Interface.Vxlan> vxlans = new ArrayList<>();
        for (Node n : model.nodes()) {
            for (Interface i : n.interfaces()) {
                i.as(Interface.Vxlan.class).ifPresent(vxlans::add);
                IfRef parentRef = Analysis.parentOf(i);
                if (parentRef != null && portId.containsKey(parentRef)) {
                    add(acc, EdgeKind.PARENT, i.ref(), parentRef, "");
                }
            }
        }
        for (int a = 0; a < vxlans.size(); a++) {
            for (int b = a + 1; b < vxlans.size(); b++) {
                Interface.Vxlan x = vxlans.get(a);
                Interface.Vxlan y = vxlans.get(b);
                if (Overlay.of(x).equals(Overlay.of(y)) && !x.node().equals(y.node())) {
                    add(acc, EdgeKind.TUNNEL, x.ref(), y.ref(), "vxlan " + x.vni());
                }
            }
        }
        List<Edge> out = new ArrayList<>();
        for (var e : acc.entrySet()) {
            EdgeAcc v = e.getValue();
            List<String> parts = new ArrayList<>();
            if (v.count > 1) {
                parts.add("×" + v.count);
            }
            if (!v.label.isEmpty()) {
                parts.add(v.label);
            }
            if (v.mtus.size() == 1 && v.mtus.iterator().next() != null) {
                parts.add("mtu " + v.mtus.iterator().next());
            } else if (v.mtus.size() > 1) {
                parts.add("mtu varies");
            }
            out.add(new Edge(e.getKey().kind(), e.getKey().from(), e.getKey().to(), String.join(" · ", parts), v.domain, 0, false));
        }
        return out;
    }

    private EdgeAcc add(Map<EdgeKey, EdgeAcc> acc, EdgeKind kind, IfRef a, IfRef b, String label) {
        String from = portId.get(a);
        String to = portId.get(b);
        if (from == null || to == null || from.equals(to)) {
            return null;
        }
        EdgeAcc e = acc.computeIfAbsent(new EdgeKey(kind, from, to), k -> new EdgeAcc());
        e.count++;
        e.label = label;
        e.domain = domainOf.get(a);
        return e;
    }

    // ---- the highlighted path ---------------------------------------------------------------------

    private PathInfo highlight(TracePath path, List<Box> boxes, List<Edge> edges) {
        List<String> ids = new ArrayList<>();
        // over machines the simulator walks the stitched topology: its tunnel devices and the machines' generated
        // default namespaces are not drawn, so their hops are left out (docs/machines.md)
        boolean stitched = !model.machines().isEmpty();
        for (TracePath.Hop h : path.hops()) {
            Node n = nodes.get(h.node());
            if (stitched && (n == null || h.iface() != null && n.iface(h.iface()).isEmpty())) {
                ids.add(null);
                continue;
            }
            if (n == null) {
                throw new IllegalArgumentException("the path names node `" + h.node() + "`, which the topology does not have");
            }
            if (h.iface() == null) {
                ids.add(null);
                continue;
            }
            Interface i = n.iface(h.iface()).orElseThrow(() -> new IllegalArgumentException(
                    "the path names interface `" + h.node() + ":" + h.iface() + "`, which the topology does not have"));
            ids.add(portId.get(i.ref()));
        }
        Set<String> onPath = new HashSet<>();
        ids.stream().filter(Objects::nonNull).forEach(onPath::add);
        int step = 0;
        String last = null;
        for (String id : ids) {
            if (id == null) {
                continue;
            }
            if (last != null && !last.equals(id)) {
                step++;
                mark(edges, last, id, step);
            }
            last = id;
        }
        String dropNode = null;
        if (path.drop() != null) {
            Node n = nodes.get(path.drop().node());
            if (n == null && stitched) {
                n = nodes.get(ids.stream().filter(Objects::nonNull).reduce((x, y) -> y).map(id -> id.split(":")[0]).orElse(""));
            }
            if (n == null) {
                throw new IllegalArgumentException("the path is dropped at node `" + path.drop().node() + "`, which the topology does not have");
            }
            List<Node> group = groupOf.get(n.name());
            dropNode = group == null ? n.name() : group.get(0).name();
            if (last != null) {
                edges.add(new Edge(EdgeKind.DROP, last, dropNode + "#drop", "", null, step + 1, true));
            }
        }
        for (int k = 0; k < boxes.size(); k++) {
            Box b = boxes.get(k);
            String drop = b.id().equals(dropNode) ? path.drop().reason() : null;
            boxes.set(k, new Box(b.id(), b.title(), b.lines(), b.external(), b.count(), lit(b.ports(), onPath),
                    b.bridges().stream().map(br -> new BridgeBox(br.id(), br.title(), lit(br.self(), onPath),
                            lit(br.ports(), onPath), br.domain())).toList(), drop, b.machine()));
        }
        return new PathInfo(path.label(), path.drop() == null, path.drop() == null ? null : path.drop().node(),
                path.drop() == null ? null : path.drop().reason());
    }

    /** Puts step {@code step} on the cable between {@code from} and {@code to}, or adds a hop inside a node. */
    private static void mark(List<Edge> edges, String from, String to, int step) {
        for (int k = 0; k < edges.size(); k++) {
            Edge e = edges.get(k);
            if (e.step() > 0 || e.kind() == EdgeKind.PATH || e.kind() == EdgeKind.DROP) {
                continue;
            }
            boolean forward = e.from().equals(from) && e.to().equals(to);
            if (forward || e.from().equals(to) && e.to().equals(from)) {
                String label = step + (e.label().isEmpty() ? "" : " · " + e.label());
                edges.set(k, new Edge(e.kind(), e.from(), e.to(), label, e.domain(), step, forward));
                return;
            }
        }
        edges.add(new Edge(EdgeKind.PATH, from, to, String.valueOf(step), null, step, true));
    }

    private static List<Port> lit(List<Port> ports, Set<String> onPath) {
        return ports.stream().map(p -> lit(p, onPath)).toList();
    }

    private static Port lit(Port p, Set<String> onPath) {
        return onPath.contains(p.id()) ? new Port(p.id(), p.lines(), p.domain(), true) : p;
    }
}
