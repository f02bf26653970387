package dev.topoc.live.read;

import dev.topoc.backends.BackendOptions;
import dev.topoc.compiler.model.IfKind;
import dev.topoc.compiler.model.IfRef;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.Link;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.model.NodeKind;
import dev.topoc.compiler.model.Topology;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Where a read model and a file's model differ, object by object, for {@code inspect}'s "in sync" and for tests
 * that need to say which object is off rather than print two whole models. Both sides are compared in their
 * {@link Canonical} form.
 *
 * @param node   the node ({@code ""} for a link)
 * @param object the object, e.g. {@code interface eth0}, {@code route 10.0.0.0/8 via 10.0.0.1}, {@code link a:x -- b:y}
 * @param change {@code missing} (in the file, not live), {@code extra} (live, not in the file) or {@code differs}
 */
public record Drift(String node, String object, String change) {
    @Override
    public String toString() {
        return (node.isEmpty() ? "" : node + ": ") + object + ": " + change;
    }

    /**
     * The file's model as a reader of its running lab would find it: only the nodes the bash backend provisions
     * with {@code options}, in {@link Canonical} form ({@link Canonical#sandboxed} under {@code --sandbox}).
     */
    public static Topology expected(Topology file, BackendOptions options) {
        if (options.sandbox()) {
            return Canonical.sandboxed(file);
        }
        Set<String> kept = new LinkedHashSet<>();
        file.nodes().stream().filter(n -> n.kind() != NodeKind.EXTERNAL).forEach(n -> kept.add(n.name()));
        List<Node> nodes = file.nodes().stream().filter(n -> kept.contains(n.name())).map(n -> new Node(n.name(), n.span(),
                NodeKind.NETNS, n.machine(), n.forwarding(), n.interfaces().stream().map(i -> i.as(Interface.Physical.class)
                        .map(p -> (Interface) new Interface.Physical(p.common(), null)).orElse(i)).toList(), n.routes(), n.rules(), n.nat(),
                n.firewall(), n.sysctl(), n.listens(), n.runs())).toList();
        List<Link> links = file.links().stream().filter(l -> kept.contains(l.a().node()) && kept.contains(l.b().node()))
                .filter(l -> !physical(file, l.a()) && !physical(file, l.b())).toList();
        return Canonical.of(new Topology(file.name(), file.span(), nodes, links, List.of()));
    }

    private static boolean physical(Topology file, IfRef end) {
        return file.iface(end).filter(i -> i.ifKind() == IfKind.PHYSICAL).isPresent();
    }

    /** Every difference between {@code expected} and {@code live} (both canonical), node by node. */
    public static List<Drift> between(Topology expected, Topology live) {
        List<Drift> out = new ArrayList<>();
        Map<String, Node> liveNodes = live.nodesByName();
        for (Node e : expected.nodes()) {
            Node l = liveNodes.get(e.name());
            if (l == null) {
                out.add(new Drift(e.name(), "node", "missing"));
                continue;
            }
            node(e, l, out);
        }
        Set<String> expectedNames = expected.nodesByName().keySet();
        live.nodes().stream().filter(n -> !expectedNames.contains(n.name()))
                .forEach(n -> out.add(new Drift(n.name(), "node", "extra")));
        sets("", expected.links(), live.links(), l -> "link " + l.a() + " -- " + l.b()
                + (l.mtu() == null ? "" : " mtu " + l.mtu()), out);
        return out;
    }

    private static void node(Node e, Node l, List<Drift> out) {
        String n = e.name();
        for (Interface i : e.interfaces()) {
            Interface li = l.iface(i.name()).orElse(null);
            if (li == null) {
                out.add(new Drift(n, "interface " + i.name(), "missing"));
            } else if (!i.equals(li)) {
                out.add(new Drift(n, "interface " + i.name(), "differs: file " + i + ", live " + li));
            }
        }
        l.interfaces().stream().filter(i -> e.iface(i.name()).isEmpty())
                .forEach(i -> out.add(new Drift(n, "interface " + i.name(), "extra")));
        sets(n, e.routes(), liveRoutes(e, l), r -> "route " + r.type().word() + " " + r.to() + (r.via() == null ? "" : " via " + r.via())
                + (r.dev() == null ? "" : " dev " + r.dev()) + (r.metric() == null ? "" : " metric " + r.metric())
                + " table " + r.table() + (r.src() == null ? "" : " src " + r.src()), out);
        sets(n, e.rules(), l.rules(), r -> "rule " + r.priority() + " from " + r.from() + " to " + r.to() + " iif " + r.iif()
                + " oif " + r.oif() + " fwmark " + r.fwmark() + " lookup " + r.table(), out);
        if (!e.nat().equals(l.nat())) {
            out.add(new Drift(n, "nat", "differs: file " + e.nat() + ", live " + l.nat()));
        }
        if (!e.firewall().equals(l.firewall())) {
            out.add(new Drift(n, "firewall", "differs: file " + e.firewall() + ", live " + l.firewall()));
        }
        if (e.forwarding() != l.forwarding()) {
            out.add(new Drift(n, "forwarding", "differs: file " + e.forwarding() + ", live " + l.forwarding()));
        }
        if (!e.sysctl().equals(l.sysctl())) {
            out.add(new Drift(n, "sysctl", "differs: file " + e.sysctl() + ", live " + l.sysctl()));
        }
    }

    /**
     * The live routes, where a route the file gives without {@code dev} (and {@link Canonical} could not drop the
     * kernel's: its gateway lies in the subnets of several interfaces, e.g. an address left on a bridge port) is
     * matched by the live route that differs only by a device whose subnet holds the gateway: the kernel's choice.
     */
    private static List<dev.topoc.compiler.model.Route> liveRoutes(Node e, Node l) {
        List<dev.topoc.compiler.model.Route> out = new ArrayList<>();
        for (var r : l.routes()) {
            var undeviced = new dev.topoc.compiler.model.Route(r.span(), r.to(), r.via(), null, r.metric(), r.table(), r.src(),
                    r.type());
            boolean candidate = r.via() != null && r.dev() != null && l.iface(r.dev()).map(i -> i.addresses().stream()
                    .anyMatch(a -> a.contains(r.via()))).orElse(false);
            out.add(candidate && !e.routes().contains(r) && e.routes().contains(undeviced) ? undeviced : r);
        }
        return out;
    }

    private static <T> void sets(String node, List<T> expected, List<T> live, Function<T, String> name, List<Drift> out) {
        for (T t : expected) {
            if (!live.contains(t)) {
                out.add(new Drift(node, name.apply(t), "missing"));
            }
        }
        for (T t : live) {
            if (!expected.contains(t)) {
                out.add(new Drift(node, name.apply(t), "extra"));
            }
        }
    }
}
