package dev.topoc.live.diff;

import dev.topoc.backends.BackendOptions;
import dev.topoc.backends.nft.NftRuleset;
import dev.topoc.compiler.diag.Span;
import dev.topoc.compiler.analysis.Analysis;
import dev.topoc.compiler.model.IfKind;
import dev.topoc.compiler.model.IfRef;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.Link;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.model.NodeKind;
import dev.topoc.compiler.model.Route;
import dev.topoc.compiler.model.Rule;
import dev.topoc.compiler.model.Topology;
import dev.topoc.live.read.Canonical;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What the kernel should hold, node by node, as the differ compares it: a model seen through {@code --prefix} and
 * {@code --sandbox} (which nodes are provisioned, in which namespace), with what the bash backend would build made
 * explicit: the effective MTU of a cable end, the stub peer of a veth on no link, a sandboxed physical NIC as the
 * veth it becomes, the sysctls {@code forwarding} sets, and the nftables ruleset text ({@link NftRuleset}).
 *
 * <p>{@code topology}: the topology's name
 * <p>{@code file}: the file it came from (for messages), or a description such as "the state before this run"
 * <p>{@code nodes}: provisioned nodes, in build order (a sub-interface's node after its parent's node)
 */
public final class Desired {
    private final String topology;
    private final String file;
    private final List<DNode> nodes;
    private final Map<String, DNode> byName = new HashMap<>();

    public Desired(String topology, String file, List<DNode> nodes) {
        this.topology = topology;
        this.file = file;
        this.nodes = List.copyOf(nodes);
        this.nodes.forEach(n -> byName.putIfAbsent(n.name(), n));
    }

    public String topology() {
        return topology;
    }

    public String file() {
        return file;
    }

    public List<DNode> nodes() {
        return nodes;
    }

    /**
     * One provisioned node.
     *
     * @param namespace {@code ""} for the default namespace
     * @param ifaces by name, in the model's order
     * @param stubs names of the stub peers of veths on no link (expected in the kernel, never in the file)
     * @param sysctl key → value, {@code forwarding} included
     * @param nft the ruleset text to load with {@code nft -f}, null when none
     * @param nftListing when not null, the listing of table inet topoc that means the ruleset is in place (a rollback
     *     restores a listing it read); when null, the lab record's hash of the loaded text and listing decide
     */
    public record DNode(Node node, String namespace, Map<String, DIface> ifaces, Set<String> stubs, List<Route> routes,
            List<Rule> rules, Map<String, String> sysctl, String nft, String nftListing) {
        public String name() {
            return node.name();
        }

        public Span span() {
            return node.span();
        }
    }

    /**
     * One interface as it is built: {@code kind} is {@code veth} for a sandboxed physical NIC; {@code peer} is the
     * other end of its veth pair (null: a stub named {@code stub}); {@code mtu} is its own or its cable's when it
     * differs from the kernel's default (null: the default); {@code defaultMtu} is the MTU it has without one (what a
     * hand-set MTU goes back to: {@link Canonical#effectiveMtus}).
     */
    public record DIface(Interface model, IfKind kind, IfRef peer, String stub, Integer mtu, int defaultMtu) {
        public String name() {
            return model.name();
        }

        /** A NIC that exists before topoc and is never created or deleted by it (outside --sandbox). */
        public boolean preexisting() {
            return switch (kind) {
                case PHYSICAL, LOOPBACK -> true;
                case VETH, BRIDGE, VLAN, VXLAN, MACVLAN, IPVLAN, DUMMY, TUN, TAP -> false;
            };
        }
    }

    /** The provisioned node {@code name}, or null (a map look-up: the differ asks for every node several times). */
    public DNode node(String name) {
        return byName.get(name);
    }

    /** Node name → namespace ({@code ""} for the default one) of every provisioned node. */
    public Map<String, String> nodeToNamespace() {
        Map<String, String> m = new LinkedHashMap<>();
        nodes.forEach(n -> m.put(n.name(), n.namespace()));
        return m;
    }

    public static boolean provisioned(Node n, BackendOptions options) {
        return options.sandbox() || n.kind() != NodeKind.EXTERNAL;
    }

    public static String namespaceOf(Node n, BackendOptions options) {
        return options.sandbox() || n.kind() == NodeKind.NETNS ? options.namespace(n.name()) : "";
    }

    /** The desired state of {@code model} under {@code options}; {@code nft} rulesets rendered by {@link NftRuleset}. */
    public static Desired of(Topology model, BackendOptions options) {
        return of(model, options, fileName(model.span()), n -> acceptsEverything(n) ? null : NftRuleset.render(n).orElse(null),
                n -> null, Map.of());
    }

    /**
     * A node without NAT whose firewall chains all accept everything (policy accept, no rule) filters nothing: the same
     * as no firewall (the canonical form drops such chains), so {@code up} loads no table for it.
     */
    static boolean acceptsEverything(Node n) {
        return n.nat().isEmpty() && n.firewall().stream().allMatch(c -> c.policy() == dev.topoc.compiler.model.Action.ACCEPT
                && c.rules().isEmpty());
    }

    /**
     * The desired state of a model, with the rulesets given by {@code nft} and the listings that mean they are in place
     * (the rollback passes the listings it read before the run), and extra sysctls per node ({@code sysctl}: the
     * values read before the run).
     */
    public static Desired of(Topology model, BackendOptions options, String file, java.util.function.Function<Node, String> nft,
            java.util.function.Function<Node, String> nftListing, Map<String, Map<String, String>> sysctl) {
        Map<String, Node> byName = model.nodesByName();
        Map<IfRef, Link> cables = new HashMap<>();
        for (Link l : model.links()) {
            Node a = byName.get(l.a().node());
            Node b = byName.get(l.b().node());
            boolean physicalEnd = model.iface(l.a()).filter(i -> i.ifKind() == IfKind.PHYSICAL).isPresent()
                    || model.iface(l.b()).filter(i -> i.ifKind() == IfKind.PHYSICAL).isPresent();
            if (a != null && b != null && provisioned(a, options) && provisioned(b, options) && (options.sandbox() || !physicalEnd)) {
                cables.put(l.a(), l);
                cables.put(l.b(), l);
            }
        }
        Topology canonical = options.sandbox() ? Canonical.sandboxed(model) : Canonical.of(model);
        Map<IfRef, Integer> explicitMtu = explicitMtus(canonical);
        Map<IfRef, Integer> effectiveMtu = Canonical.effectiveMtus(canonical);
        List<DNode> nodes = new ArrayList<>();
        for (Node n : buildOrder(model, options)) {
            Map<String, DIface> ifaces = new LinkedHashMap<>();
            Set<String> stubs = new LinkedHashSet<>();
            for (Interface i : n.interfaces()) {
                Link cable = cables.get(i.ref());
                IfRef peer = cable == null ? null : cable.a().equals(i.ref()) ? cable.b() : cable.a();
                Integer mtu = explicitMtu.get(i.ref());
                IfKind kind = i.ifKind();
                String stub = null;
                if (i.ifKind() == IfKind.PHYSICAL && options.sandbox()) {
                    kind = IfKind.VETH;
                }
                if (kind == IfKind.VETH && peer == null) {
                    stub = stubName(n, i.name());
                    stubs.add(stub);
                }
                ifaces.put(i.name(), new DIface(i, kind, peer, stub, mtu, effectiveMtu.getOrDefault(i.ref(), 1500)));
            }
            Map<String, String> sys = new LinkedHashMap<>();
            if (n.forwarding()) {
                sys.put("net.ipv4.ip_forward", "1");
                sys.put("net.ipv6.conf.all.forwarding", "1");
            }
            sys.putAll(sysctl.getOrDefault(n.name(), Map.of()));
            sys.putAll(n.sysctl());
            nodes.add(new DNode(n, namespaceOf(n, options), ifaces, stubs, n.routes(), n.rules(), sys, nft.apply(n),
                    nftListing.apply(n)));
        }
        return new Desired(model.name(), file, nodes);
    }

    /**
     * Interface → the MTU it has when that differs from the kernel's default for it (its own or its cable's), as the
     * reader's {@link Canonical} form spells it: what the differ compares with the read model, which is canonical.
     */
    public static Map<IfRef, Integer> explicitMtus(Topology canonical) {
        Map<IfRef, Integer> out = new HashMap<>();
        for (Link l : canonical.links()) {
            if (l.mtu() != null) {
                out.put(l.a(), l.mtu());
                out.put(l.b(), l.mtu());
            }
        }
        for (Node n : canonical.nodes()) {
            for (Interface i : n.interfaces()) {
                if (i.common().mtu() != null) {
                    out.put(i.ref(), i.common().mtu());
                }
            }
        }
        return out;
    }

    /** The same name the bash backend gives the stub peer of a veth on no link. */
    static String stubName(Node node, String name) {
        String base = (name.length() > 12 ? name.substring(0, 12) : name) + "-x";
        String candidate = base;
        int n = 0;
        while (node.iface(candidate).isPresent()) {
            candidate = base + (++n);
        }
        return candidate;
    }

    /** Model order, except that a node whose sub-interface has its parent on another node comes after that node. */
    static List<Node> buildOrder(Topology model, BackendOptions options) {
        List<Node> nodes = model.nodes().stream().filter(n -> provisioned(n, options)).toList();
        List<Node> out = new ArrayList<>();
        Set<String> placed = new LinkedHashSet<>();
        Set<String> names = new LinkedHashSet<>();
        nodes.forEach(n -> names.add(n.name()));
        boolean progress = true;
        while (out.size() < nodes.size() && progress) {
            progress = false;
            for (Node n : nodes) {
                if (placed.contains(n.name())) {
                    continue;
                }
                boolean ready = n.interfaces().stream().map(Desired::parentOf)
                        .allMatch(p -> p == null || p.node().equals(n.name()) || placed.contains(p.node()) || !names.contains(p.node()));
                if (ready) {
                    out.add(n);
                    placed.add(n.name());
                    progress = true;
                    break;
                }
            }
        }
        nodes.stream().filter(n -> !placed.contains(n.name())).forEach(out::add); // a cycle: validation names it
        return out;
    }

    static IfRef parentOf(Interface i) {
        return Analysis.parentOf(i);
    }

    private static String fileName(Span span) {
        if (span == null) {
            return "<live>";
        }
        Path p = Path.of(span.file()).getFileName();
        return p == null ? span.file() : p.toString();
    }
}
