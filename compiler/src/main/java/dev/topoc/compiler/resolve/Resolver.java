package dev.topoc.compiler.resolve;

import dev.topoc.compiler.ast.ChainAst;
import dev.topoc.compiler.ast.ExpectAst;
import dev.topoc.compiler.ast.FwRuleAst;
import dev.topoc.compiler.ast.IfaceAst;
import dev.topoc.compiler.ast.LinkAst;
import dev.topoc.compiler.ast.MachineAst;
import dev.topoc.compiler.ast.Lit;
import dev.topoc.compiler.ast.NatAst;
import dev.topoc.compiler.ast.NodeAst;
import dev.topoc.compiler.ast.Prop;
import dev.topoc.compiler.ast.RouteAst;
import dev.topoc.compiler.ast.RuleAst;
import dev.topoc.compiler.ast.TopologyAst;
import dev.topoc.compiler.diag.Code;
import dev.topoc.compiler.diag.Msg;
import dev.topoc.compiler.diag.Diagnostic;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.diag.Span;
import dev.topoc.compiler.model.Action;
import dev.topoc.compiler.model.Chain;
import dev.topoc.compiler.model.ChainName;
import dev.topoc.compiler.model.Cidr;
import dev.topoc.compiler.model.CtState;
import dev.topoc.compiler.model.Expectation;
import dev.topoc.compiler.model.FwRule;
import dev.topoc.compiler.model.IfCommon;
import dev.topoc.compiler.model.IfKind;
import dev.topoc.compiler.model.IfMatch;
import dev.topoc.compiler.model.IfRef;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.IpvlanFlag;
import dev.topoc.compiler.model.IpvlanMode;
import dev.topoc.compiler.model.Link;
import dev.topoc.compiler.model.Machine;
import dev.topoc.compiler.model.MacvlanMode;
import dev.topoc.compiler.model.NatRule;
import dev.topoc.compiler.model.NatType;
import dev.topoc.compiler.model.Listen;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.model.Run;
import dev.topoc.compiler.model.NodeKind;
import dev.topoc.compiler.model.PortRange;
import dev.topoc.compiler.model.Proto;
import dev.topoc.compiler.model.Route;
import dev.topoc.compiler.model.RouteType;
import dev.topoc.compiler.model.Rule;
import dev.topoc.compiler.model.Sysctls;
import dev.topoc.compiler.model.Target;
import dev.topoc.compiler.model.Topology;
import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The resolver turns what was written (AST) into what it means (model).
 *
 * <p>It works in passes over drafts, so that a reference may point forward: (1) nodes, with ranges
 * expanded and names checked; (2) their declared interfaces; (3) links, which pair their endpoints
 * element by element and create the veth ends nobody declared; (4) L2 domains (links and bridge ports)
 * and {@code auto} addresses, allocated from each domain's subnet in model order, so the same file always
 * gets the same addresses; (5) interface records, routes, rules, NAT, firewall; (6) expectations.
 * Every problem becomes a diagnostic and the pass goes on, so one run reports all of them; the model it
 * returns is then partial and must not reach a backend (the CLI gates on errors).
 */
public final class Resolver {
    public static final int VXLAN_DEFAULT_PORT = Integer.parseInt(IfKind.VXLAN.defaultOf("port"));

    private final Diagnostics diagnostics;
    private final Values values;
    private final Map<String, NodeDraft> nodes = new LinkedHashMap<>();
    private final List<IfDraft> allIfaces = new ArrayList<>();
    private final List<Link> links = new ArrayList<>();
    private final Map<String, Machine> machines = new LinkedHashMap<>();

    private Resolver(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
        this.values = new Values(diagnostics);
    }

    /** Resolves a topology; {@code defaultName} names it when the file does not. */
    public static Topology resolve(TopologyAst ast, String defaultName, Diagnostics diagnostics) {
        return new Resolver(diagnostics).run(ast, defaultName);
    }

    // ---------------------------------------------------------------- drafts

    private static final class NodeDraft {
        final String name;
        final Lit where;
        final NodeAst ast;
        final Map<String, IfDraft> ifaces = new LinkedHashMap<>();
        NodeKind kind = NodeKind.NETNS;
        Optional<String> placement = Optional.empty();

        NodeDraft(String name, Lit where, NodeAst ast) {
            this.name = name;
            this.where = where;
            this.ast = ast;
        }
    }

    private static final class IfDraft {
        final NodeDraft node;
        final String name;
        final Span span;
        final IfaceAst ast; // null for a veth created by a link
        final IfKind kind;
        final int index;
        IfRef peer;
        Lit linkSubnet;
        final List<Cidr> addresses = new ArrayList<>();
        final List<Lit> autos = new ArrayList<>();
        String master;

        IfDraft(NodeDraft node, String name, Span span, IfaceAst ast, IfKind kind, int index) {
            this.node = node;
            this.name = name;
            this.span = span;
            this.ast = ast;
            this.kind = kind;
            this.index = index;
        }

        IfRef ref() {
            return new IfRef(node.name, name);
        }
    }

    // ---------------------------------------------------------------- passes

    private Topology run(TopologyAst ast, String defaultName) {
        String name = ast.name() != null ? ast.name().text() : defaultName;
        if (ast.name() != null) {
            values.checkName(name, ast.name(), "topology");
        }
        if (!withinObjectLimit(ast)) {
            return new Topology(name, ast.span(), List.of(), List.of(), List.of());
        }
        for (MachineAst m : ast.machines()) {
            declareMachine(m);
        }
        for (NodeAst n : ast.nodes()) {
            declareNode(n);
        }
        for (NodeDraft n : nodes.values()) {
            for (IfaceAst i : n.ast.interfaces()) {
                declareIface(n, i);
            }
        }
        for (LinkAst l : ast.links()) {
            link(l);
        }
        linkEndTypos();
        for (IfDraft d : allIfaces) {
            readAddresses(d);
        }
        new AddressAllocator(diagnostics).allocate(domains(), this::subnetOf);
        List<Node> built = new ArrayList<>();
        for (NodeDraft n : nodes.values()) {
            built.add(buildNode(n));
        }
        List<Expectation> expects = new ArrayList<>();
        for (ExpectAst e : ast.expects()) {
            expects.addAll(expectations(e));
        }
        return new Topology(name, ast.span(), List.copyOf(machines.values()), built, links, expects);
    }

    /**
     * Counts what the ranges expand to before expanding any (issue 18, item 11): over {@link Ranges#MAX_OBJECTS}
     * the topology is refused with E0007 at the range that crosses the limit, and nothing is allocated.
     */
    private boolean withinObjectLimit(TopologyAst ast) {
        long total = 0;
        for (NodeAst n : ast.nodes()) {
            long nodes = Ranges.count(n.name().text());
            long perNode = 1;
            for (IfaceAst i : n.interfaces()) {
                perNode = Math.min(Ranges.MAX_OBJECTS + 1, perNode + Ranges.count(i.name().text()));
                if (nodes * Math.min(perNode, Ranges.MAX_OBJECTS + 1) > Ranges.MAX_OBJECTS) {
                    return overLimit(i.name(), "`" + n.name().text() + "` × `" + i.name().text() + "`");
                }
            }
            total += nodes * perNode;
            if (total > Ranges.MAX_OBJECTS) {
                return overLimit(n.name(), "`" + n.name().text() + "`");
            }
        }
        for (LinkAst l : ast.links()) {
            total += Math.max(Ranges.count(l.a().text()), Ranges.count(l.b().text()));
            if (total > Ranges.MAX_OBJECTS) {
                return overLimit(l.a(), "the links up to `" + l.a().text() + "`");
            }
        }
        return true;
    }

    private boolean overLimit(Lit where, String what) {
        diagnostics.report(Msg.WOULD_MAKE_TOPOLOGY_MORE, where.span(), what,
                String.format(java.util.Locale.ROOT, "%,d", Ranges.MAX_OBJECTS));
        return false;
    }

    // ---------------------------------------------------------------- machines

    /** A host name as Ansible takes it: dot-separated labels of letters, digits and inner hyphens. */
    private static final java.util.regex.Pattern HOST_NAME = java.util.regex.Pattern.compile(
            "(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

    private void declareMachine(MachineAst ast) {
        Lit name = ast.name();
        if (!values.checkName(name.text(), name, "machine")) {
            return;
        }
        Machine previous = machines.get(name.text());
        if (previous != null) {
            duplicate(name.span(), "machine", name.text(), previous.span());
            return;
        }
        Optional<Lit> sshLit = ast.value("ssh");
        if (sshLit.isEmpty()) {
            diagnostics.report(Msg.MACHINE_NEEDS_SSH, name.span(), name.text());
        }
        String ssh = sshLit.filter(this::sshAddress).map(Lit::text).orElse(null);
        Optional<IPAddress> underlay = ast.value("underlay").flatMap(v -> values.ip(v, "underlay"));
        int mtu = ast.value("mtu").flatMap(v -> values.integer32(v, "mtu", 68, 65535)).orElse(Machine.DEFAULT_MTU);
        machines.put(name.text(), new Machine(name.text(), name.span(), ssh, underlay, mtu));
    }

    private boolean sshAddress(Lit v) {
        String t = v.text();
        IPAddress ip = new inet.ipaddr.IPAddressString(t).getAddress();
        if (ip != null && !ip.isPrefixed() || HOST_NAME.matcher(t).matches() && t.length() <= 253) {
            return true;
        }
        diagnostics.report(Msg.SSH_TAKES_ADDRESS_OR_HOST, v.span(), t);
        return false;
    }

    /** {@code machine NAME} in a node: a machine the topology declares. */
    private Optional<String> placement(NodeAst ast) {
        Optional<Lit> m = ast.value("machine");
        if (m.isEmpty() || !values.checkName(m.get().text(), m.get(), "machine")) {
            return Optional.empty();
        }
        String name = m.get().text();
        if (!machines.containsKey(name)) {
            String node = ast.name().text();
            Optional<String> close = dev.topoc.compiler.ast.Keys.closest(name, List.copyOf(machines.keySet()));
            if (close.isPresent()) {
                diagnostics.report(Msg.MACHINE_UNKNOWN_CLOSE, m.get().span(), node, name, close.get());
            } else if (machines.isEmpty()) {
                diagnostics.report(Msg.MACHINE_UNKNOWN_NONE_DECLARED, m.get().span(), node, name);
            } else {
                diagnostics.report(Msg.MACHINE_UNKNOWN_CHOICES, m.get().span(), node, name,
                        String.join(", ", machines.keySet()));
            }
        }
        return Optional.of(name);
    }

    private void declareNode(NodeAst ast) {
        Optional<List<String>> names = Ranges.expand(ast.name(), diagnostics);
        if (names.isEmpty()) {
            return;
        }
        NodeKind kind = ast.value("kind").flatMap(k -> values.word(k, "kind", NodeKind::of, NodeKind.choices()))
                .orElse(NodeKind.NETNS);
        Optional<String> placement = placement(ast);
        for (String n : names.get()) {
            if (!values.checkName(n, ast.name(), "node")) {
                continue;
            }
            NodeDraft previous = nodes.get(n);
            if (previous != null) {
                duplicate(ast.name().span(), "node", n, previous.where.span());
                continue;
            }
            NodeDraft d = new NodeDraft(n, ast.name(), ast);
            d.kind = kind;
            d.placement = placement;
            nodes.put(n, d);
        }
    }

    private void duplicate(Span here, String what, String name, Span first) {
        diagnostics.add(Code.DUPLICATE_NAME.at(here, what,
                name).withNotes(List.of(new Diagnostic.Note(first, "first defined here"))));
    }

    private void declareIface(NodeDraft node, IfaceAst ast) {
        Optional<List<String>> names = Ranges.expand(ast.name(), diagnostics);
        if (names.isEmpty()) {
            return;
        }
        IfKind kind = ifaceKind(ast, names.get());
        if (kind == null) {
            return;
        }
        for (String n : names.get()) {
            if (!values.checkName(n, ast.name(), "interface")) {
                continue;
            }
            IfDraft previous = node.ifaces.get(n);
            if (previous != null) {
                duplicate(ast.name().span(), "interface", node.name + ":" + n, previous.span);
                continue;
            }
            if (n.equals("lo") && kind != IfKind.LOOPBACK) {
                diagnostics.report(Msg.LO_LOOPBACK_INTERFACE_CANNOT, ast.name().span(), kind.word());
                continue;
            }
            addIface(node, n, ast.name().span(), ast, kind);
        }
    }

    private IfDraft addIface(NodeDraft node, String name, Span span, IfaceAst ast, IfKind kind) {
        IfDraft d = new IfDraft(node, name, span, ast, kind, allIfaces.size());
        node.ifaces.put(name, d);
        allIfaces.add(d);
        return d;
    }

    /** The interface's kind, with its keys checked against the kind; null when the kind is unknown. */
    private IfKind ifaceKind(IfaceAst ast, List<String> names) {
        Optional<Lit> kindLit = ast.value("kind");
        IfKind kind;
        if (kindLit.isPresent()) {
            String word = kindLit.get().text();
            Optional<IfKind> known = IfKind.of(word);
            if (known.isEmpty()) {
                String hint = dev.topoc.compiler.ast.Keys.closest(word, IfKind.words())
                        .map(s -> "did you mean `" + s + "`? ").orElse("");
                diagnostics.report(Code.UNKNOWN_KIND, kindLit.get().span(), word, hint,
                        String.join(", ", IfKind.words()));
                return null;
            }
            kind = known.get();
        } else {
            kind = names.size() == 1 && names.get(0).equals("lo") ? IfKind.LOOPBACK : IfKind.DEFAULT;
        }
        for (Prop p : ast.props()) {
            if (!kind.accepts(p.name())) {
                diagnostics.report(Msg.KEY_NOT_FOR_KIND, p.key().span(), p.name(), kind.word(), kindsWith(p.name()));
            }
        }
        return kind;
    }

    private static String kindsWith(String key) {
        List<String> kinds = Arrays.stream(IfKind.values()).filter(k -> k.ownKeys().stream()
                .anyMatch(o -> o.name().equals(key))).map(IfKind::word).toList();
        return kinds.isEmpty() ? "" : " (it is a key of: " + String.join(", ", kinds) + ")";
    }

    private void link(LinkAst ast) {
        Optional<List<IfRef>> as = endpoints(ast.a());
        Optional<List<IfRef>> bs = endpoints(ast.b());
        Integer mtu = ast.value("mtu").flatMap(v -> values.integer32(v, "mtu", 68, 65535)).orElse(null);
        Integer vni = ast.value("vni").flatMap(v -> values.integer32(v, "vni", 1, 16777215)).orElse(null);
        Integer port = ast.value("port").flatMap(v -> values.integer32(v, "port", 1, 65535)).orElse(null);
        Lit subnetLit = ast.value("subnet").orElse(null);
        Cidr subnet = subnetLit == null ? null : values.network(subnetLit, "subnet").orElse(null);
        if (as.isEmpty() || bs.isEmpty()) {
            return;
        }
        if (as.get().size() != bs.get().size()) {
            diagnostics.report(Msg.ENDS_LINK_EXPAND_INTERFACES, ast.b().span(), as.get().size(), bs.get().size());
            return;
        }
        for (int i = 0; i < as.get().size(); i++) {
            IfDraft a = linkEnd(as.get().get(i), ast.a());
            IfDraft b = linkEnd(bs.get().get(i), ast.b());
            if (a == null || b == null) {
                continue;
            }
            if (a == b) {
                diagnostics.report(Msg.LINK_CANNOT_CONNECT_ITSELF, ast.b().span(), a.ref());
                continue;
            }
            a.peer = b.ref();
            b.peer = a.ref();
            a.linkSubnet = subnetLit;
            b.linkSubnet = subnetLit;
            links.add(new Link(ast.span(), a.ref(), b.ref(), mtu, subnet, vni, port));
        }
    }

    /**
     * A link end naming an interface its node does not declare creates a veth of that name (that is how
     * most links are written). When the node declares a veth of a similar name that
     * is on no link, the end is almost surely a typo of it ({@code left:eht0} for {@code eth0}): reported,
     * rather than building a dangling cable beside an unused interface. (A declared veth on no link has
     * no peer and carries nothing; a physical interface on no link is normal, so it is no candidate.)
     */
    private void linkEndTypos() {
        for (NodeDraft n : nodes.values()) {
            List<String> unlinked = n.ifaces.values().stream()
                    .filter(d -> d.ast != null && d.peer == null && d.kind == IfKind.VETH)
                    .map(d -> d.name).toList();
            if (unlinked.isEmpty()) {
                continue;
            }
            for (IfDraft d : List.copyOf(n.ifaces.values())) {
                if (d.ast != null) {
                    continue;
                }
                dev.topoc.compiler.ast.Keys.closest(d.name, unlinked).ifPresent(s -> diagnostics.report(Msg.NODE_DECLARES_INTERFACE_DID,
                        d.span, n.name, d.name, s));
            }
        }
    }

    /** {@code node:if} with ranges in either part, expanded node-major. */
    private Optional<List<IfRef>> endpoints(Lit lit) {
        String text = lit.text();
        int colon = text.indexOf(':');
        if (colon <= 0 || colon == text.length() - 1 || text.indexOf(':', colon + 1) >= 0) {
            diagnostics.report(Msg.LINK_END_WRITTEN_NODE, lit.span(), text);
            return Optional.empty();
        }
        Optional<List<String>> ns = Ranges.expand(new Lit(text.substring(0, colon), lit.span()), diagnostics);
        Optional<List<String>> is = Ranges.expand(new Lit(text.substring(colon + 1), lit.span()), diagnostics);
        if (ns.isEmpty() || is.isEmpty()) {
            return Optional.empty();
        }
        List<IfRef> out = new ArrayList<>();
        for (String n : ns.get()) {
            for (String i : is.get()) {
                out.add(new IfRef(n, i));
            }
        }
        return Optional.of(out);
    }

    private IfDraft linkEnd(IfRef ref, Lit where) {
        NodeDraft node = nodes.get(ref.node());
        if (node == null) {
            unknownNode(ref.node(), where.span());
            return null;
        }
        IfDraft d = node.ifaces.get(ref.iface());
        if (d == null) {
            if (!values.checkName(ref.iface(), where, "interface")) {
                return null;
            }
            d = addIface(node, ref.iface(), where.span(), null, IfKind.VETH);
        } else if (!isCableEnd(d.kind)) {
            diagnostics.report(Msg.INTERFACE_LINK_END_MUST, where.span(), ref, d.kind.word());
            return null;
        }
        if (d.peer != null) {
            diagnostics.add(Code.IFACE_IN_TWO_LINKS.at(where.span(), ref, d.peer));
            return null;
        }
        return d;
    }

    private void unknownNode(String name, Span where) {
        String hint = dev.topoc.compiler.ast.Keys.closest(name, List.copyOf(nodes.keySet()))
                .map(s -> "; did you mean `" + s + "`?").orElse("");
        diagnostics.report(Msg.NO_NODE_NAMED, where, name, hint);
    }

    // ---------------------------------------------------------------- addresses

    private void readAddresses(IfDraft d) {
        if (d.ast == null) {
            return;
        }
        for (Lit a : d.ast.values("addresses")) {
            if (a.text().equals("auto")) {
                d.autos.add(a);
            } else {
                values.hostCidr(a, "addresses").ifPresent(d.addresses::add);
            }
        }
        d.ast.value("master").ifPresent(m -> d.master = m.text());
    }

    /** L2 domains: interfaces joined by links and by bridge membership, in model order. */
    private List<AddressAllocator.Domain> domains() {
        int[] parent = new int[allIfaces.size()];
        for (int i = 0; i < parent.length; i++) {
            parent[i] = i;
        }
        for (IfDraft d : allIfaces) {
            if (d.peer != null) {
                union(parent, d.index, draft(d.peer).index);
            }
            if (d.master != null) {
                IfDraft m = d.node.ifaces.get(d.master);
                if (m != null && m.kind == IfKind.BRIDGE) {
                    union(parent, d.index, m.index);
                }
            }
        }
        Map<Integer, AddressAllocator.Domain> byRoot = new LinkedHashMap<>();
        for (IfDraft d : orderedIfaces()) {
            byRoot.computeIfAbsent(find(parent, d.index), r -> new AddressAllocator.Domain(new ArrayList<>()))
                    .members().add(new AddressAllocator.Member(d.addresses, d.autos, d.ref(), d));
        }
        return List.copyOf(byRoot.values());
    }

    /** Interfaces in model order: node by node, each node's interfaces in declaration order. */
    private List<IfDraft> orderedIfaces() {
        List<IfDraft> out = new ArrayList<>();
        nodes.values().forEach(n -> out.addAll(n.ifaces.values()));
        return out;
    }

    private IfDraft draft(IfRef ref) {
        return nodes.get(ref.node()).ifaces.get(ref.iface());
    }

    /** The pool of a domain: the first bridge subnet, else the first link subnet. */
    private Optional<AddressAllocator.Pool> subnetOf(AddressAllocator.Domain domain) {
        for (AddressAllocator.Member m : domain.members()) {
            IfDraft d = (IfDraft) m.owner();
            if (d.ast != null && d.kind == IfKind.BRIDGE) {
                Optional<Lit> s = d.ast.value("subnet");
                if (s.isPresent()) {
                    return values.network(s.get(), "subnet").map(c -> new AddressAllocator.Pool(c, s.get()));
                }
            }
        }
        for (AddressAllocator.Member m : domain.members()) {
            IfDraft d = (IfDraft) m.owner();
            if (d.linkSubnet != null) {
                return values.network(d.linkSubnet, "subnet").map(c -> new AddressAllocator.Pool(c, d.linkSubnet));
            }
        }
        return Optional.empty();
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private static void union(int[] parent, int a, int b) {
        parent[find(parent, a)] = find(parent, b);
    }

    // ---------------------------------------------------------------- nodes

    private Node buildNode(NodeDraft n) {
        NodeAst ast = n.ast;
        boolean forwarding = ast.prop("forwarding").flatMap(p -> values.flag(p.value(), "forwarding")).orElse(false);
        Optional<String> machine = n.placement;
        List<Interface> ifaces = new ArrayList<>();
        IfDraft lo = n.ifaces.get("lo");
        ifaces.add(lo != null ? buildIface(lo)
                : new Interface.Loopback(new IfCommon(n.name, "lo", n.where.span(), List.of(), null, null, null, true, false)));
        for (IfDraft d : n.ifaces.values()) {
            if (d != lo) {
                ifaces.add(buildIface(d));
            }
        }
        List<Route> routes = new ArrayList<>();
        ast.routes().forEach(r -> route(n, r).ifPresent(routes::add));
        List<Rule> rules = new ArrayList<>();
        ast.rules().forEach(r -> rule(n, r).ifPresent(rules::add));
        List<NatRule> nat = new ArrayList<>();
        ast.nat().forEach(r -> nat(n, r).ifPresent(nat::add));
        List<Chain> chains = new ArrayList<>();
        Map<ChainName, Span> seenChains = new HashMap<>();
        for (ChainAst c : ast.firewall()) {
            chain(n, c).ifPresent(chain -> {
                Span first = seenChains.putIfAbsent(chain.name(), c.name().span());
                if (first != null) {
                    duplicate(c.name().span(), "firewall chain", chain.name().word(), first);
                } else {
                    chains.add(chain);
                }
            });
        }
        Map<String, String> sysctl = new LinkedHashMap<>();
        for (Prop p : ast.props()) {
            if (p.name().equals("sysctl")) {
                sysctl(p, sysctl, n.ifaces.keySet());
            }
        }
        List<Listen> listens = new ArrayList<>();
        List<Run> runs = new ArrayList<>();
        for (Prop p : ast.props()) {
            if (p.name().equals("listen")) {
                listen(p).ifPresent(listens::add);
            } else if (p.name().equals("run")) {
                run(p).ifPresent(runs::add);
            }
        }
        return new Node(n.name, n.where.span(), n.kind, machine, forwarding, ifaces, routes, rules, nat, chains, sysctl,
                listens, runs);
    }

    /** {@code listen PROTO PORTS [on ADDRESS]}; whether the address is the node's is the validator's to say. */
    private Optional<Listen> listen(Prop p) {
        if (p.values().size() < 2 || p.values().size() > 3) {
            diagnostics.report(Msg.LISTEN_TAKES_PROTOCOL_PORT, p.key().span());
            return Optional.empty();
        }
        Optional<Proto> proto = transport(p.values().get(0));
        Optional<PortRange> ports = values.ports(p.values().get(1), "listen");
        IPAddress on = null;
        if (p.values().size() == 3) {
            Optional<IPAddress> a = values.ip(p.values().get(2), "on");
            if (a.isEmpty()) {
                return Optional.empty();
            }
            on = a.get();
        }
        if (proto.isEmpty() || ports.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Listen(p.key().span(), proto.get(), ports.get(), on));
    }

    /** {@code run "COMMAND"}: one line of shell, run as root in the node. */
    private Optional<Run> run(Prop p) {
        Lit command = p.value();
        if (p.values().size() != 1 || command.text().isBlank()) {
            diagnostics.report(Msg.RUN_TAKES_ONE_COMMAND, p.key().span());
            return Optional.empty();
        }
        if (command.text().chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
            diagnostics.report(Msg.RUN_COMMAND_ONE_LINE, command.span());
            return Optional.empty();
        }
        return Optional.of(new Run(p.key().span(), command.text()));
    }

    private void sysctl(Prop p, Map<String, String> into, java.util.Set<String> ifaces) {
        if (p.values().size() != 2) {
            diagnostics.report(Msg.SYSCTL_TAKES_KEY_VALUE, p.key().span());
            return;
        }
        Lit key = p.values().get(0);
        Lit value = p.values().get(1);
        java.util.Set<String> names = new java.util.HashSet<>(ifaces);
        names.add("lo");
        Sysctls.Verdict v = Sysctls.check(key.text(), names);
        if (!v.ok()) {
            diagnostics.report(v.suggestion() == null ? Msg.SYSCTL_REFUSED : Msg.SYSCTL_REFUSED_CLOSE, key.span(), v.error(),
                    v.suggestion());
            return;
        }
        if (!value.text().matches("[A-Za-z0-9_.:,\\-]{1,200}")) {
            diagnostics.report(Msg.SYSCTL_VALUE_MAY_CONTAIN, value.span(), value.text());
            return;
        }
        into.put(key.text(), value.text());
    }

    private Interface buildIface(IfDraft d) {
        IfaceAst ast = d.ast;
        Integer mtu = null;
        String mac = null;
        boolean up = true;
        boolean hairpin = false;
        if (ast != null) {
            hairpin = ast.prop("hairpin").flatMap(p -> values.flag(p.value(), "hairpin")).orElse(false);
            if (hairpin && d.master == null) {
                diagnostics.report(Msg.HAIRPIN_APPLIES_BRIDGE_PORT, ast.prop("hairpin").get().key().span(), d.name);
            }
            mtu = ast.value("mtu").flatMap(v -> values.integer32(v, "mtu", 68, 65535)).orElse(null);
            mac = ast.value("mac").filter(this::checkMac).map(Lit::text).map(s -> s.toLowerCase(java.util.Locale.ROOT))
                    .orElse(null);
            up = ast.prop("up").flatMap(p -> values.flag(p.value(), "up")).orElse(true);
            ast.value("master").ifPresent(m -> checkMaster(d, m));
        }
        IfCommon c = new IfCommon(d.node.name, d.name, d.span, d.addresses, mtu, mac, d.master, up, hairpin);
        return switch (d.kind) {
            case VETH -> new Interface.Veth(c, d.peer);
            case PHYSICAL -> new Interface.Physical(c, d.peer);
            case DUMMY -> new Interface.Dummy(c);
            case TUN -> new Interface.Tun(c);
            case TAP -> new Interface.Tap(c);
            case LOOPBACK -> new Interface.Loopback(c);
            case BRIDGE -> new Interface.Bridge(c,
                    ast.prop("stp").flatMap(p -> values.flag(p.value(), "stp"))
                            .orElse(Boolean.parseBoolean(IfKind.BRIDGE.defaultOf("stp"))),
                    ast.value("subnet").flatMap(s -> values.network(s, "subnet")).orElse(null));
            case VLAN -> new Interface.Vlan(c, parent(d),
                    required(ast, "id", "a VLAN id, e.g. `id 10`").flatMap(v -> values.integer32(v, "id", 1, 4094,
                            "an 802.1Q tag has 12 bits of VLAN id, and 0 and 4095 are reserved")).orElse(0));
            case VXLAN -> vxlan(d, c);
            case MACVLAN -> new Interface.Macvlan(c, parent(d), ast.value("mode")
                    .flatMap(m -> values.word(m, "mode", MacvlanMode::of, MacvlanMode.choices()))
                    .orElse(MacvlanMode.of(IfKind.MACVLAN.defaultOf("mode")).orElseThrow()));
            case IPVLAN -> new Interface.Ipvlan(c, parent(d),
                    ast.value("mode").flatMap(m -> values.word(m, "mode", IpvlanMode::of, IpvlanMode.choices()))
                            .orElse(IpvlanMode.of(IfKind.IPVLAN.defaultOf("mode")).orElseThrow()),
                    ast.value("flag").flatMap(m -> values.word(m, "flag", IpvlanFlag::of, IpvlanFlag.choices()))
                            .orElse(null));
        };
    }

    /** Kinds a link may plug a cable into. */
    private static boolean isCableEnd(IfKind kind) {
        return switch (kind) {
            case VETH, PHYSICAL -> true;
            case BRIDGE, VLAN, VXLAN, MACVLAN, IPVLAN, DUMMY, TUN, TAP, LOOPBACK -> false;
        };
    }

    private Interface.Vxlan vxlan(IfDraft d, IfCommon c) {
        IfaceAst ast = d.ast;
        long vni = required(ast, "vni", "a VXLAN network identifier, e.g. `vni 42`")
                .flatMap(v -> values.integer(v, "vni", 0, 16_777_215, "a VXLAN network identifier has 24 bits (RFC 7348)"))
                .orElse(0L);
        IPAddress local = ast.value("local").flatMap(v -> values.ip(v, "local")).orElse(null);
        IPAddress remote = ast.value("remote").flatMap(v -> values.ip(v, "remote")).orElse(null);
        IPAddress group = ast.value("group").flatMap(v -> values.ip(v, "group")).orElse(null);
        String dev = ast.value("dev").filter(v -> ifaceOf(d.node, v)).map(Lit::text).orElse(null);
        int port = ast.value("port").flatMap(v -> values.integer32(v, "port", 1, 65535)).orElse(VXLAN_DEFAULT_PORT);
        if (remote != null && group != null) {
            diagnostics.report(Msg.VXLAN_DEVICE_SENDS_EITHER, ast.value("group").get().span());
        }
        return new Interface.Vxlan(c, vni, local, remote, group, dev, port);
    }

    private Optional<Lit> required(IfaceAst ast, String key, String what) {
        Optional<Lit> v = ast.value(key);
        if (v.isEmpty()) {
            diagnostics.report(Msg.INTERFACE_NEEDS_KEY, ast.name().span(), ast.name().text(), key, what);
        }
        return v;
    }

    /** {@code parent IF} (same node) or {@code parent NODE:IF}; must exist. */
    private IfRef parent(IfDraft d) {
        Optional<Lit> p = required(d.ast, "parent", "the interface it is created on, `IF` or `NODE:IF`");
        if (p.isEmpty()) {
            return null;
        }
        String text = p.get().text();
        int colon = text.indexOf(':');
        String nodeName = colon < 0 ? d.node.name : text.substring(0, colon);
        String ifName = colon < 0 ? text : text.substring(colon + 1);
        NodeDraft node = nodes.get(nodeName);
        if (node == null) {
            unknownNode(nodeName, p.get().span());
            return null;
        }
        IfDraft parent = node.ifaces.get(ifName);
        if (parent == null) {
            unknownIface(node, ifName, p.get().span());
            return null;
        }
        if (parent == d) {
            diagnostics.report(Msg.INTERFACE_CANNOT_OWN_PARENT, p.get().span(), d.name);
            return null;
        }
        return parent.ref();
    }

    private void unknownIface(NodeDraft node, String ifName, Span where) {
        String hint = dev.topoc.compiler.ast.Keys.closest(ifName, List.copyOf(node.ifaces.keySet()))
                .map(s -> "; did you mean `" + s + "`?").orElse("");
        diagnostics.report(Msg.NODE_HAS_NO_INTERFACE, where, node.name, ifName, hint);
    }

    private boolean ifaceOf(NodeDraft node, Lit name) {
        if (name.text().equals("lo") || node.ifaces.containsKey(name.text())) {
            return true;
        }
        unknownIface(node, name.text(), name.span());
        return false;
    }

    private void checkMaster(IfDraft d, Lit m) {
        IfDraft master = d.node.ifaces.get(m.text());
        if (master == null) {
            unknownIface(d.node, m.text(), m.span());
        } else if (master.kind != IfKind.BRIDGE) {
            diagnostics.report(Msg.MASTER_INTERFACE_INTERFACE_CAN, m.span(), m.text(), master.kind.word());
        } else if (master == d) {
            diagnostics.report(Msg.BRIDGE_CANNOT_OWN_MASTER, m.span(), d.name);
        }
    }

    private boolean checkMac(Lit mac) {
        if (!Values.MAC.matcher(mac.text()).matches()) {
            diagnostics.report(Msg.NOT_A_MAC, mac.span(), mac.text());
            return false;
        }
        int first = Integer.parseInt(mac.text().substring(0, 2), 16);
        if ((first & 1) != 0) {
            diagnostics.report(mac.text().equalsIgnoreCase("ff:ff:ff:ff:ff:ff") ? Msg.BROADCAST_MAC
                    : Msg.MULTICAST_MAC_ADDRESS_LOWEST, mac.span(), mac.text());
            return false;
        }
        if (mac.text().equals("00:00:00:00:00:00")) {
            diagnostics.report(Msg.MAC_ALL_ZERO, mac.span());
            return false;
        }
        return true;
    }

    // ---------------------------------------------------------------- routes and rules

    private Optional<Route> route(NodeDraft n, RouteAst r) {
        Optional<Lit> toLit = r.value("to");
        if (toLit.isEmpty()) {
            diagnostics.report(Msg.ROUTE_NEEDS_DESTINATION_DEFAULT, r.span());
            return Optional.empty();
        }
        IPAddress via = r.value("via").flatMap(v -> values.ip(v, "via")).orElse(null);
        IPAddress src = r.value("src").flatMap(v -> values.ip(v, "src")).orElse(null);
        String dev = r.value("dev").filter(v -> ifaceOf(n, v)).map(Lit::text).orElse(null);
        Integer metric = r.value("metric").flatMap(v -> values.integer(v, "metric", 0, 4_294_967_295L))
                .map(Long::intValue).orElse(null);
        String table = r.value("table").flatMap(this::table).orElse("main");
        RouteType type = r.value("type").flatMap(v -> values.word(v, "type", RouteType::of, RouteType.choices()))
                .orElse(RouteType.UNICAST);
        Cidr to;
        if (toLit.get().text().equals("default")) {
            boolean v6 = via != null ? via.isIPv6() : src != null && src.isIPv6();
            to = new Cidr(Values.parse(v6 ? "::" : "0.0.0.0"), 0);
        } else {
            Optional<Cidr> parsed = values.network(toLit.get(), "to");
            if (parsed.isEmpty()) {
                return Optional.empty();
            }
            to = parsed.get();
        }
        if (via != null && via.isIPv4() != to.isIpv4()) {
            diagnostics.report(Msg.GATEWAY_SAME_ADDRESS_FAMILY, r.value("via").get().span(), via, to);
        }
        if (type != RouteType.UNICAST && via != null) {
            diagnostics.report(Msg.ROUTE_TYPE_WITHOUT_GATEWAY, r.value("via").get().span(), type.word());
        }
        if (type == RouteType.UNICAST && via == null && dev == null) {
            diagnostics.report(Msg.ROUTE_NEEDS_GATEWAY_VIA, toLit.get().span());
        }
        return Optional.of(new Route(r.span(), to, via, dev, metric, table, src, type));
    }

    private Optional<String> table(Lit t) {
        String text = t.text();
        if (text.equals("main") || text.equals("local") || text.equals("default")) {
            return Optional.of(text);
        }
        return values.integer(t, "table", 1, 4_294_967_295L, "a Linux routing table id is a 32-bit number "
                + "(RTA_TABLE) and 0 means no table").map(v -> switch (v.intValue()) {
            case 254 -> "main";
            case 255 -> "local";
            case 253 -> "default";
            default -> Long.toString(v);
        });
    }

    private Optional<Rule> rule(NodeDraft n, RuleAst r) {
        Optional<Lit> tableLit = r.value("table");
        if (tableLit.isEmpty()) {
            diagnostics.report(Msg.RULE_NEEDS_TABLE_LOOK, r.span());
        }
        Optional<String> table = tableLit.flatMap(this::table);
        Integer priority = r.value("priority").flatMap(v -> values.integer32(v, "priority", 0, Integer.MAX_VALUE,
                "topoc takes priorities up to 2^31-1; Linux itself takes a 32-bit FRA_PRIORITY, up to 4294967295"))
                .orElse(null);
        Cidr from = r.value("from").flatMap(v -> values.network(v, "from")).orElse(null);
        Cidr to = r.value("to").flatMap(v -> values.network(v, "to")).orElse(null);
        String iif = r.value("iif").filter(v -> ifaceOf(n, v)).map(Lit::text).orElse(null);
        String oif = r.value("oif").filter(v -> ifaceOf(n, v)).map(Lit::text).orElse(null);
        Long fwmark = r.value("fwmark").flatMap(v -> values.integer(v, "fwmark", 0, 4_294_967_295L)).orElse(null);
        return table.map(t -> new Rule(r.span(), priority, from, to, iif, oif, fwmark, t));
    }

    // ---------------------------------------------------------------- NAT and firewall

    private Optional<NatRule> nat(NodeDraft n, NatAst r) {
        Optional<NatType> type = r.value("type").flatMap(v -> values.word(v, "type", NatType::of, NatType.choices()));
        if (r.value("type").isEmpty()) {
            diagnostics.report(Msg.NAT_ENTRY_NEEDS_TYPE, r.span());
        }
        Cidr from = r.value("from").flatMap(v -> values.network(v, "from")).orElse(null);
        IPAddress dst = r.value("dst").flatMap(v -> values.ip(v, "dst")).orElse(null);
        IfMatch out = r.value("out").flatMap(v -> ifMatch(n, v)).orElse(null);
        IfMatch in = r.value("in").flatMap(v -> ifMatch(n, v)).orElse(null);
        Proto proto = r.value("proto").flatMap(v -> transport(v)).orElse(null);
        PortRange port = r.value("port").flatMap(v -> values.ports(v, "port")).orElse(null);
        if (port != null && proto == null) {
            diagnostics.report(Msg.PORT_NEEDS_PROTOCOL_ADD, r.value("port").get().span());
        }
        if (type.isEmpty()) {
            return Optional.empty();
        }
        IPAddress toAddress = null;
        Integer toPort = null;
        Optional<Lit> to = r.value("to");
        switch (type.get()) {
            case MASQUERADE -> to.ifPresent(t -> diagnostics.report(Msg.MASQUERADE_TAKES_ADDRESS_OUTGOING, t.span()));
            case SNAT -> {
                if (to.isEmpty()) {
                    diagnostics.report(Msg.SNAT_NEEDS_ADDRESS, r.span());
                } else {
                    toAddress = values.ip(to.get(), "to").orElse(null);
                }
            }
            case DNAT -> {
                if (to.isEmpty()) {
                    diagnostics.report(Msg.DNAT_NEEDS_ADDRESS_PORT, r.span());
                } else {
                    String[] hp = hostPort(to.get().text());
                    toAddress = values.ip(new Lit(hp[0], to.get().span()), "to").orElse(null);
                    if (hp[1] != null) {
                        toPort = values.integer32(new Lit(hp[1], to.get().span()), "to port", 1, 65535).orElse(null);
                        if (proto == null) {
                            diagnostics.report(Msg.FORWARDING_PORT_NEEDS_PROTOCOL, to.get().span());
                        }
                    }
                }
                r.value("out").ifPresent(o -> diagnostics.report(Msg.DNAT_HAPPENS_BEFORE_ROUTING, o.span()));
            }
        }
        return Optional.of(new NatRule(r.span(), type.get(), from, toAddress, toPort, out, in, proto, port, dst));
    }

    /** An expectation's {@code family}: 4 or 6 ({@code v4}/{@code v6} in the DSL). */
    private Optional<Integer> family(Lit f) {
        String t = f.text().trim();
        if (t.equals("4") || t.equals("6")) {
            return Optional.of(Integer.parseInt(t));
        }
        diagnostics.report(Msg.FAMILY_NEITHER_4_NOR_6, f.span(), t);
        return Optional.empty();
    }

    /** Splits {@code 10.0.0.1:80} or {@code [2001:db8::1]:80} into host and port (port null when absent). */
    static String[] hostPort(String text) {
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close > 0 && text.startsWith(":", close + 1)) {
                return new String[] {text.substring(1, close), text.substring(close + 2)};
            }
            return new String[] {text, null};
        }
        int colon = text.indexOf(':');
        if (colon > 0 && text.indexOf(':', colon + 1) < 0) {
            return new String[] {text.substring(0, colon), text.substring(colon + 1)};
        }
        return new String[] {text, null};
    }

    private Optional<IfMatch> ifMatch(NodeDraft n, Lit v) {
        boolean negated = v.text().startsWith("!");
        String name = negated ? v.text().substring(1) : v.text();
        if (!values.checkName(name, v, "interface")) {
            return Optional.empty();
        }
        if (!name.equals("lo") && !n.ifaces.containsKey(name)) {
            String hint = dev.topoc.compiler.ast.Keys.closest(name, List.copyOf(n.ifaces.keySet()))
                    .map(s -> "did you mean `" + (negated ? "!" : "") + s + "`? ").orElse("");
            diagnostics.report(negated ? Msg.NAT_NEGATED_UNKNOWN_INTERFACE : Msg.NAT_UNKNOWN_INTERFACE, v.span(), n.name,
                    name, hint, String.join(", ", interfacesWithLo(n)));
            return Optional.empty();
        }
        return Optional.of(new IfMatch(name, negated));
    }

    private static List<String> interfacesWithLo(NodeDraft n) {
        List<String> names = new ArrayList<>();
        if (!n.ifaces.containsKey("lo")) {
            names.add("lo");
        }
        names.addAll(n.ifaces.keySet());
        return names;
    }

    private Optional<Proto> transport(Lit v) {
        return values.word(v, "proto", p -> Proto.of(p).filter(x -> x != Proto.ICMP), "tcp | udp");
    }

    private Optional<Chain> chain(NodeDraft n, ChainAst c) {
        Optional<ChainName> name = values.word(c.name(), "firewall chain", ChainName::of, ChainName.choices());
        Action policy = c.value("policy")
                .flatMap(v -> values.word(v, "policy", p -> Action.of(p).filter(a -> a != Action.REJECT), "accept | drop"))
                .orElse(Action.ACCEPT);
        List<FwRule> rules = new ArrayList<>();
        for (FwRuleAst r : c.rules()) {
            fwRule(n, r).ifPresent(rules::add);
        }
        return name.map(nm -> new Chain(c.span(), nm, policy, rules));
    }

    private Optional<FwRule> fwRule(NodeDraft n, FwRuleAst r) {
        Optional<Lit> actionLit = r.value("action");
        if (actionLit.isEmpty()) {
            diagnostics.report(Msg.FIREWALL_RULE_NEEDS_ACTION, r.span());
        }
        Optional<Action> action = actionLit.flatMap(v -> values.word(v, "action", Action::of, Action.choices()));
        Proto proto = r.value("proto").flatMap(v -> values.word(v, "proto", Proto::of, Proto.choices())).orElse(null);
        Cidr from = r.value("from").flatMap(v -> values.network(v, "from")).orElse(null);
        Cidr to = r.value("to").flatMap(v -> values.network(v, "to")).orElse(null);
        PortRange sport = r.value("sport").flatMap(v -> values.ports(v, "sport")).orElse(null);
        PortRange dport = r.value("dport").flatMap(v -> values.ports(v, "dport")).orElse(null);
        for (String key : List.of("sport", "dport")) {
            r.value(key).filter(v -> proto != Proto.TCP && proto != Proto.UDP).ifPresent(v -> diagnostics.report(Msg.NEEDS_PROTO_TCP_PROTO,
                    v.span(), key));
        }
        String iif = r.value("iif").filter(v -> ifaceOf(n, v)).map(Lit::text).orElse(null);
        String oif = r.value("oif").filter(v -> ifaceOf(n, v)).map(Lit::text).orElse(null);
        Set<CtState> state = EnumSet.noneOf(CtState.class);
        for (Lit s : r.values("state")) {
            values.word(s, "state", CtState::of, CtState.choices()).ifPresent(state::add);
        }
        return action.map(a -> new FwRule(r.span(), a, proto, from, to, sport, dport, iif, oif, state));
    }

    // ---------------------------------------------------------------- expectations

    private List<Expectation> expectations(ExpectAst e) {
        Optional<Lit> fromLit = e.value("from");
        Optional<Lit> toLit = e.value("to");
        Optional<Lit> reachLit = e.value("reach");
        if (fromLit.isEmpty() || toLit.isEmpty()) {
            diagnostics.report(Msg.EXPECTATION_NEEDS_FROM_TO, e.span());
            return List.of();
        }
        if (reachLit.isEmpty()) {
            diagnostics.report(Msg.EXPECTATION_NEEDS_REACH_TRUE, e.span());
        }
        boolean reach = reachLit.flatMap(v -> values.flag(v, "reach")).orElse(true);
        Proto proto = e.value("proto").flatMap(v -> values.word(v, "proto", Proto::of, Proto.choices())).orElse(Proto.ICMP);
        Optional<Lit> portLit = e.value("port").or(() -> toLit.flatMap(Resolver::targetPort));
        Integer port = portLit.flatMap(v -> values.integer32(v, "port", 1, 65535)).orElse(null);
        if (proto != Proto.ICMP && port == null && portLit.isEmpty()) {
            diagnostics.report(Msg.EXPECTATION_NEEDS_PORT_E, e.value("proto").get().span(), proto.word());
        }
        if (proto == Proto.ICMP && port != null) {
            diagnostics.report(Msg.ICMP_HAS_NO_PORTS, portLit.get().span());
        }
        Optional<Lit> sizeLit = e.value("size");
        int size = sizeLit.flatMap(v -> values.integer32(v, "size", 0, 65507)).orElse(Expectation.DEFAULT_SIZE);
        Optional<Lit> dfLit = e.value("df");
        boolean df = dfLit.flatMap(v -> values.flag(v, "df")).orElse(false);
        if (proto != Proto.ICMP && (sizeLit.isPresent() || dfLit.isPresent())) {
            diagnostics.report(Msg.SIZE_DF_DESCRIBE_ICMP, sizeLit.orElseGet(dfLit::get).span(), proto.word());
        }
        Integer family = e.value("family").flatMap(this::family).orElse(null);
        List<String> via = new ArrayList<>();
        for (Lit v : e.values("via")) {
            if (knownNode(v)) {
                via.add(v.text());
            }
        }
        String lands = e.value("lands").filter(this::knownNode).map(Lit::text).orElse(null);
        Optional<List<String>> froms = Ranges.expand(fromLit.get(), diagnostics);
        Optional<List<Target>> tos = targets(toLit.get());
        if (froms.isEmpty() || tos.isEmpty()) {
            return List.of();
        }
        for (String f : froms.get()) {
            if (!nodes.containsKey(f)) {
                unknownNode(f, fromLit.get().span());
                return List.of();
            }
        }
        List<String> fs = froms.get();
        List<Target> ts = tos.get();
        if (fs.size() != ts.size() && fs.size() != 1 && ts.size() != 1) {
            diagnostics.report(Msg.SIDES_EXPECTATION_EXPAND_NAMES, toLit.get().span(), fs.size(), ts.size());
            return List.of();
        }
        if (family != null) {
            for (Target t : ts) {
                if (t.address() != null && t.address().isIPv6() != (family == 6)) {
                    diagnostics.report(Msg.EXPECT_FAMILY_AGAINST_ADDRESS, e.value("family").get().span(), t,
                            t.address().isIPv6() ? 6 : 4, family);
                    return List.of();
                }
            }
        }
        int count = Math.max(fs.size(), ts.size());
        List<Expectation> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(new Expectation(e.span(), fs.get(fs.size() == 1 ? 0 : i), ts.get(ts.size() == 1 ? 0 : i), proto,
                    port, reach, via, lands, size, df, family));
        }
        return out;
    }

    /** The port of a {@code node:port} target ({@code nginx:80}), if that is how the target is written. */
    private static Optional<Lit> targetPort(Lit to) {
        int colon = to.text().indexOf(':');
        String after = colon < 0 ? "" : to.text().substring(colon + 1);
        return after.matches("\\d+") && to.text().indexOf(':', colon + 1) < 0
                ? Optional.of(new Lit(after, to.span())) : Optional.empty();
    }

    private boolean knownNode(Lit name) {
        if (nodes.containsKey(name.text())) {
            return true;
        }
        unknownNode(name.text(), name.span());
        return false;
    }

    private Optional<List<Target>> targets(Lit lit) {
        IPAddress address = Values.parse(lit.text());
        if (address != null && !address.isPrefixed()) {
            return Optional.of(List.of(new Target(null, null, address)));
        }
        String text = lit.text();
        int colon = text.indexOf(':');
        String nodePart = colon < 0 ? text : text.substring(0, colon);
        Optional<List<String>> ns = Ranges.expand(new Lit(nodePart, lit.span()), diagnostics);
        if (ns.isEmpty()) {
            return Optional.empty();
        }
        List<Target> out = new ArrayList<>();
        for (String n : ns.get()) {
            NodeDraft node = nodes.get(n);
            if (node == null) {
                if (address == null && !Values.NAME.matcher(n).matches()) {
                    diagnostics.report(Msg.NEITHER_NODE_NODE_INTERFACE, lit.span(), text);
                } else {
                    unknownNode(n, lit.span());
                }
                return Optional.empty();
            }
            String ifName = colon < 0 ? null : text.substring(colon + 1);
            if (ifName != null && ifName.matches("\\d+")) {
                ifName = null; // `node:port`: the port is read by expectations()
            }
            if (ifName != null && !node.ifaces.containsKey(ifName) && !ifName.equals("lo")) {
                unknownIface(node, ifName, lit.span());
                return Optional.empty();
            }
            out.add(new Target(n, ifName, null));
        }
        return Optional.of(out);
    }
}
