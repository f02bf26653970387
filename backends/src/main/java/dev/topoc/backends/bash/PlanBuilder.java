package dev.topoc.backends.bash;

import dev.topoc.backends.BackendOptions;
import dev.topoc.backends.IpArgs;
import dev.topoc.backends.StandIn;
import dev.topoc.backends.nft.NftRuleset;
import dev.topoc.compiler.analysis.Analysis;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.diag.Span;
import dev.topoc.compiler.model.Cidr;
import dev.topoc.compiler.model.IfKind;
import dev.topoc.compiler.model.IfRef;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.Link;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.model.NodeKind;
import dev.topoc.compiler.model.Route;
import dev.topoc.compiler.model.Run;
import dev.topoc.compiler.model.Rule;
import dev.topoc.compiler.model.Sysctls;
import dev.topoc.compiler.model.Topology;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Turns a model into a {@link Plan}. Decisions made here, so that the template only lays them out:
 *
 * <ul>
 *   <li>Which nodes are built: all under {@code --sandbox}; otherwise netns and root nodes (the root node in
 *       the default namespace), never external ones.
 *   <li>The order of node steps: model order, except that a sub-interface's node comes after its parent's node
 *       and after the node at the other end of the parent's cable (the sub-interface is created on the parent's
 *       node, straight into its own namespace), and outside the sandbox the root node comes first.
 *   <li>Which step creates each veth pair: the step of the end that comes first, creating both ends directly
 *       in their namespaces ({@code link add name A type veth peer name B netns NS}); the other end is configured
 *       in its own node's step.
 *   <li>Inside a node's batch: create links (bridges, veth pairs, tun/tap/dummy, sub-interfaces parents
 *       first, vxlan), then per interface mtu, mac, master, hairpin, addresses, up; then routes and rules.
 * </ul>
 */
final class PlanBuilder {
    /** What {@code --prefix} accepts (the CLI checks it first): never a character a shell or `ip -batch` reads. */
    static final java.util.regex.Pattern PREFIX = java.util.regex.Pattern.compile("([A-Za-z0-9][A-Za-z0-9_.-]{0,31})?");
    private final Topology model;
    private final BackendOptions options;
    private final Diagnostics diagnostics;
    private final Map<String, Node> byName;
    private final String file;
    /** Links built as veth pairs, by each of their ends. */
    private final Map<IfRef, Link> cables = new HashMap<>();
    /** Interfaces that are not built (a cable to an unprovisioned node, or a child of one). */
    private final Set<IfRef> skipped = new HashSet<>();
    private final Map<String, Integer> position = new HashMap<>();
    /** Every interface by its reference: looked up once per link end, so it must not be a scan (issue 18, item 13). */
    private final Map<IfRef, Interface> interfaces = new HashMap<>();
    private List<Node> order = List.of();

    PlanBuilder(Topology model, BackendOptions options, Diagnostics diagnostics) {
        this.model = model;
        this.options = options;
        this.diagnostics = diagnostics;
        this.byName = model.nodesByName();
        model.nodes().forEach(n -> n.interfaces().forEach(i -> interfaces.put(i.ref(), i)));
        this.file = Shell.display(fileName(model.span()));
    }

    Plan build() {
        if (!PREFIX.matcher(options.prefix()).matches()) {
            diagnostics.report(BashCode.BASH_BAD_PREFIX, model.span(), Shell.display(options.prefix()));
            return null;
        }
        findCables();
        order = stepOrder();
        for (int i = 0; i < order.size(); i++) {
            position.put(order.get(i).name(), i);
        }
        List<Plan.Step> steps = new ArrayList<>();
        List<String> rootLinks = new ArrayList<>();
        List<Plan.PhysicalCheck> physicals = new ArrayList<>();
        List<String> rootUndo = new ArrayList<>();
        boolean rootNft = false;
        for (Node n : order) {
            Plan.Step s = new StepBuilder(n, steps.size() + 2).build();
            steps.add(s);
            rootLinks.addAll(s.ownLinks());
            if (!inNamespace(n)) {
                rootUndo.addAll(n.rules().stream().filter(r -> !isIpv6(r)).map(r -> "rule del" + ruleArgs(r)).toList());
                rootNft |= s.nft() != null;
            }
            if (!options.sandbox()) {
                n.interfaces(Interface.Physical.class)
                        .forEach(i -> physicals.add(new Plan.PhysicalCheck(Shell.quote(i.name()),
                                inNamespace(n) ? Shell.quote(namespace(n)) : null, Shell.quote(src(i.span())))));
            }
        }
        List<String> namespaces = order.stream().filter(this::inNamespace).map(n -> Shell.quote(namespace(n))).toList();
        // prefix and topology name never contain `+`: the key cannot be read two ways (issue 18, item 6)
        String lab = options.prefix() + "+" + model.name();
        List<Plan.Workload> workloads = workloads();
        int total = steps.size() + 1 + (workloads.isEmpty() ? 0 : 1);
        return new Plan(model.name(), Shell.quote(file), Shell.quote(src(model.span())), total, Shell.quote(lab),
                Shell.quote(options.prefix()), Shell.quote(lab + "+probe"), namespaces,
                rootLinks, physicals, probes(), tools(), steps, rootUndo, rootNft, workloads,
                workloads.isEmpty() ? 0 : total, waits());
    }

    // ---- workloads -------------------------------------------------------------------------------------------------

    /**
     * Every {@code run} of the built nodes, in step order and file order; under {@code --sandbox}, a node
     * with listens and no {@code run} gets one stand-in listener process for all of them (a node's runs
     * are taken to serve its listens: a command's ports cannot be known), so a sandboxed lab answers what
     * the simulator answers.
     */
    /** Nodes whose runs should come to listen: apply.sh waits a moment for each listen to be bound. */
    private List<String> waits() {
        List<String> out = new ArrayList<>();
        for (Node n : order) {
            if (!n.runs().isEmpty() && !n.listens().isEmpty()) {
                out.add(Shell.quote(n.name()) + " " + nsArg(n) + " " + String.join(" ", n.listens().stream()
                        .map(l -> Shell.quote(l.proto().word() + "/" + l.ports().lo())).toList()));
            }
        }
        return out;
    }

    private List<Plan.Workload> workloads() {
        List<Plan.Workload> out = new ArrayList<>();
        for (Node n : order) {
            String log = Shell.quote(n.name() + ".log");
            for (Run r : n.runs()) {
                out.add(new Plan.Workload(Shell.quote(n.name()), nsArg(n), Shell.quote(src(r.span())), r.command(),
                        Shell.quote(r.command()), null, log));
            }
            if (options.standIns() && StandIn.needed(n)) {
                List<String> words = StandIn.words(n);
                out.add(new Plan.Workload(Shell.quote(n.name()), nsArg(n), Shell.quote(src(n.listens().get(0).span())),
                        "stand-in listener: " + String.join(" ", words), null,
                        String.join(" ", words.stream().map(Shell::quote).toList()), log));
            }
        }
        return out;
    }

    // ---- which nodes, which cables -------------------------------------------------------------------------------

    private boolean included(Node n) {
        return options.sandbox() || n.kind() != NodeKind.EXTERNAL;
    }

    private boolean inNamespace(Node n) {
        return options.sandbox() || n.kind() == NodeKind.NETNS;
    }

    private String namespace(Node n) {
        return options.namespace(n.name());
    }

    private Interface iface(IfRef ref) {
        Interface i = interfaces.get(ref);
        if (i == null) {
            throw new IllegalStateException("no interface " + ref);
        }
        return i;
    }

    private void findCables() {
        for (Link l : model.links()) {
            Node a = byName.get(l.a().node());
            Node b = byName.get(l.b().node());
            boolean physicalEnd = iface(l.a()).ifKind() == IfKind.PHYSICAL || iface(l.b()).ifKind() == IfKind.PHYSICAL;
            if (included(a) && included(b) && (options.sandbox() || !physicalEnd)) {
                cables.put(l.a(), l);
                cables.put(l.b(), l);
                continue;
            }
            for (IfRef end : List.of(l.a(), l.b())) {
                Node n = byName.get(end.node());
                if (included(n) && iface(end).ifKind() == IfKind.VETH) {
                    skipped.add(end);
                    diagnostics.report(physicalEnd ? BashMsg.LINK_TO_PHYSICAL_NOT_BUILT : BashMsg.LINK_NOT_BUILT, l.span(),
                            l.a(), l.b(), end);
                }
            }
        }
        // children of skipped interfaces are skipped too
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Node n : model.nodes()) {
                for (Interface i : n.interfaces()) {
                    IfRef parent = Analysis.parentOf(i);
                    if (parent != null && (skipped.contains(parent) || !included(byName.get(parent.node())))
                            && included(n) && skipped.add(i.ref())) {
                        grew = true;
                        diagnostics.report(BashMsg.PARENT_NOT_BUILT, i.span(), i.ref(), parent);
                    }
                }
            }
        }
    }

    /** A sub-interface: created with {@code link PARENT type TYPE} on its parent's node. */
    private record SubInterface(IfRef parent, String type) {}

    /** The sub-interface an interface is, or null when it is none. */
    private static final Interface.Cases<SubInterface> SUB_INTERFACE = new Interface.Cases<>() {
        public SubInterface veth(Interface.Veth i) { return null; }
        public SubInterface bridge(Interface.Bridge i) { return null; }
        public SubInterface vlan(Interface.Vlan v) {
            return new SubInterface(v.parent(), "vlan id " + v.id());
        }
        public SubInterface vxlan(Interface.Vxlan i) { return null; }
        public SubInterface macvlan(Interface.Macvlan m) {
            return new SubInterface(m.parent(), "macvlan mode " + m.mode().word());
        }
        public SubInterface ipvlan(Interface.Ipvlan p) {
            return new SubInterface(p.parent(), "ipvlan mode " + p.mode().word() + (p.flag() == null ? "" : " " + p.flag().word()));
        }
        public SubInterface physical(Interface.Physical i) { return null; }
        public SubInterface dummy(Interface.Dummy i) { return null; }
        public SubInterface tun(Interface.Tun i) { return null; }
        public SubInterface tap(Interface.Tap i) { return null; }
        public SubInterface loopback(Interface.Loopback i) { return null; }
    };

    /**
     * When a node's batch creates an interface, in this order: bridges before their ports, cables, plain
     * devices, sub-interfaces (parents first), then tunnels (whose {@code dev} may be any of those).
     */
    private enum Phase {
        BRIDGES, CABLES, DEVICES, SUB_INTERFACES, TUNNELS, PREEXISTING
    }

    /** What creates one interface: its phase, and the command (null for sub-interfaces and preexisting ones). */
    private record Creation(Phase phase, Runnable create) {}

    private IfRef peerOf(IfRef end) {
        Link l = cables.get(end);
        if (l == null) {
            return null;
        }
        return l.a().equals(end) ? l.b() : l.a();
    }

    // ---- the order of node steps --------------------------------------------------------------------------------

    private List<Node> stepOrder() {
        List<Node> nodes = model.nodes().stream().filter(this::included).toList();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            index.put(nodes.get(i).name(), i);
        }
        Map<String, Set<String>> after = new LinkedHashMap<>();
        nodes.forEach(n -> after.put(n.name(), new LinkedHashSet<>()));
        for (Node n : nodes) {
            for (Interface i : n.interfaces()) {
                IfRef parent = Analysis.parentOf(i);
                if (parent == null || skipped.contains(i.ref()) || parent.node().equals(n.name())) {
                    continue;
                }
                after.get(n.name()).add(parent.node());
                IfRef cablePeer = peerOf(parent);
                if (cablePeer != null && !cablePeer.node().equals(n.name())) {
                    after.get(n.name()).add(cablePeer.node());
                }
            }
        }
        Map<String, Integer> waiting = new HashMap<>();
        after.forEach((n, deps) -> waiting.put(n, deps.size()));
        Map<String, List<Node>> dependents = new HashMap<>();
        for (Node m : nodes) {
            for (String dep : after.get(m.name())) {
                dependents.computeIfAbsent(dep, k -> new ArrayList<>()).add(m);
            }
        }
        PriorityQueue<Node> ready = new PriorityQueue<>((x, y) -> {
            int rx = inNamespace(x) ? 1 : 0;
            int ry = inNamespace(y) ? 1 : 0;
            return rx != ry ? Integer.compare(rx, ry) : Integer.compare(index.get(x.name()), index.get(y.name()));
        });
        nodes.stream().filter(n -> waiting.get(n.name()) == 0).forEach(ready::add);
        List<Node> out = new ArrayList<>();
        while (!ready.isEmpty()) {
            Node n = ready.poll();
            out.add(n);
            for (Node m : dependents.getOrDefault(n.name(), List.of())) {
                if (waiting.merge(m.name(), -1, Integer::sum) == 0) {
                    ready.add(m);
                }
            }
        }
        if (out.size() < nodes.size()) {
            Set<Node> placed = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            placed.addAll(out);
            for (Node n : nodes) {
                if (!placed.contains(n)) {
                    diagnostics.report(BashCode.BASH_CYCLE, n.span(), n.name(), String.join(", ", after.get(n.name())));
                    out.add(n);
                }
            }
        }
        return out;
    }

    // ---- one node's step ---------------------------------------------------------------------------------------


    private final class StepBuilder {
        private final Node node;
        private final int index;
        private final List<String> batch = new ArrayList<>();
        private final List<Integer> batchLines = new ArrayList<>();
        private final List<String> created = new ArrayList<>();
        private final List<String> undo = new ArrayList<>();
        private final List<String> pre = new ArrayList<>();
        private final List<String> undoPre = new ArrayList<>();
        private final List<String> ownLinks = new ArrayList<>();

        StepBuilder(Node node, int index) {
            this.node = node;
            this.index = index;
        }

        private void line(String text, Span span) {
            batch.add(text);
            batchLines.add(span.line());
        }

        private boolean builds(Interface i) {
            return !skipped.contains(i.ref());
        }

        Plan.Step build() {
            if (node.iface("lo").map(lo -> lo.common().up()).orElse(true)) {
                line("link set dev lo up", node.span()); // `lo { up false }`: a new namespace's lo stays down
            }
            createLinks();
            for (Interface i : node.interfaces()) {
                if (builds(i)) {
                    configure(i);
                }
            }
            List<String> undoRoutes = new ArrayList<>();
            for (Route r : node.routes()) {
                Interface dev = r.dev() == null ? null : interfaces.get(new IfRef(node.name(), r.dev()));
                if (dev != null && !builds(dev)) {
                    continue;
                }
                String args = routeArgs(r);
                line("route replace" + args, r.span());
                undoRoutes.add("route del" + args);
            }
            List<String> undoRules = new ArrayList<>();
            String ip6 = inNamespace(node) ? "ip -n " + Shell.quote(namespace(node)) + " -6" : "ip -6";
            for (Rule r : node.rules()) {
                if (isIpv6(r)) {
                    // `ip -batch` reads every line as IPv4 ("Invalid source address" for an IPv6 `from`), and a
                    // batch line takes no -6: an IPv6 rule is a command of its own (a rule needs no route or table)
                    pre.add("run " + ip6 + " rule add" + ruleArgs(r));
                    undoPre.add(ip6 + " rule del" + ruleArgs(r));
                    continue;
                }
                line("rule add" + ruleArgs(r), r.span());
                undoRules.add("rule del" + ruleArgs(r));
            }
            List<String> undoLines = new ArrayList<>(undoRules);
            undoLines.addAll(undoRoutes);
            undoLines.addAll(undo);
            for (int i = created.size() - 1; i >= 0; i--) {
                undoLines.add("link del dev " + created.get(i));
            }
            Map<String, String> settings = new LinkedHashMap<>();
            if (inNamespace(node)) {
                // br_netfilter's switches are per namespace and start at the machine's module default: set them
                // to what the file says (0 unless written), so the lab is what the simulator models on any machine
                // (where the module is not loaded the keys do not exist, which means 0: sysctl_set skips them)
                for (String key : Sysctls.BRIDGE_NETFILTER) {
                    if (!node.sysctl().containsKey(key)) {
                        settings.put(key, "0");
                    }
                }
            }
            if (node.forwarding()) {
                settings.put("net.ipv4.ip_forward", "1");
                settings.put("net.ipv6.conf.all.forwarding", "1");
            }
            settings.putAll(node.sysctl());
            List<String> sysctl = new ArrayList<>();
            settings.forEach((k, v) -> {
                sysctl.add(Shell.quote(Sysctls.procPath(k)));
                sysctl.add(Shell.quote(v));
            });
            String nft = NftRuleset.render(node).orElse(null);
            if (nft != null) {
                undoPre.add(inNs("nft delete table inet " + NftRuleset.TABLE));
            }
            StringJoiner src = new StringJoiner(" ");
            batchLines.forEach(l -> src.add(Integer.toString(l)));
            return new Plan.Step(index, Shell.quote(node.name()), Shell.quote(src(node.span())), nsArg(node),
                    ownLinks, pre, batch, src.toString(), sysctl, nft, nft == null ? null : Shell.delimiter("TOPOC_NFT", nft),
                    undoLines, undoPre);
        }

        private String inNs(String command) {
            return inNamespace(node) ? "ip netns exec " + Shell.quote(namespace(node)) + " " + command : command;
        }

        /** The {@code netns} argument that puts an interface into {@code other}'s stack, seen from this node. */
        private String netnsOf(Node other) {
            if (inNamespace(other)) {
                return " netns " + namespace(other);
            }
            return " netns 1";
        }

        private void own(Node where, String ifName) {
            if (!inNamespace(where)) {
                ownLinks.add(Shell.quote(ifName));
            }
        }

        private void createLinks() {
            Map<Phase, List<Runnable>> byPhase = new java.util.EnumMap<>(Phase.class);
            for (Interface i : node.interfaces()) {
                if (builds(i)) {
                    Creation c = i.accept(creation);
                    byPhase.computeIfAbsent(c.phase(), k -> new ArrayList<>()).add(c.create());
                }
            }
            for (Phase phase : Phase.values()) {
                if (phase == Phase.SUB_INTERFACES) {
                    // a child takes its parent's MTU when it is created (a VXLAN that MTU less its overhead) and
                    // keeps it when the parent's changes later: parents get theirs first (measured: a VXLAN made over
                    // a veth before the veth's `mtu 9000` stays at 1450, one made after gets 8950)
                    for (Interface i : node.interfaces()) {
                        if (carriesOthers(i) && Analysis.parentOf(i) == null) {
                            setEarlyMtu(i);
                        }
                    }
                    createSubInterfaces();
                } else if (phase != Phase.PREEXISTING) {
                    byPhase.getOrDefault(phase, List.of()).forEach(Runnable::run);
                }
            }
        }

        /** Interfaces of this node whose MTU, once set, is copied by another interface created here after it. */
        private final Set<String> earlyMtu = new HashSet<>();

        private boolean carriesOthers(Interface i) {
            if (!builds(i)) {
                return false;
            }
            IfRef ref = i.ref();
            return node.interfaces().stream().filter(this::builds).anyMatch(o -> ref.equals(Analysis.parentOf(o))
                    || o.as(Interface.Vxlan.class).map(Interface.Vxlan::dev).filter(i.name()::equals).isPresent());
        }

        private void setEarlyMtu(Interface i) {
            Integer mtu = mtuOf(i);
            if (mtu != null && earlyMtu.add(i.name())) {
                line("link set dev " + i.name() + " mtu " + mtu, i.span());
            }
        }

        /** The MTU the file gives an interface, or its cable. */
        private Integer mtuOf(Interface i) {
            Integer mtu = i.common().mtu();
            Link cable = cables.get(i.ref());
            return mtu == null && cable != null ? cable.mtu() : mtu;
        }

        private final Interface.Cases<Creation> creation = new Interface.Cases<>() {
            public Creation veth(Interface.Veth i) {
                return new Creation(Phase.CABLES, () -> cable(i));
            }

            public Creation bridge(Interface.Bridge b) {
                return new Creation(Phase.BRIDGES, () -> add(b, "link add name " + b.name() + " type bridge"
                        + (b.stp() ? " stp_state 1" : "")));
            }

            public Creation vlan(Interface.Vlan i) {
                return new Creation(Phase.SUB_INTERFACES, null);
            }

            public Creation vxlan(Interface.Vxlan v) {
                return new Creation(Phase.TUNNELS, () -> add(v, vxlanCommand(v)));
            }

            public Creation macvlan(Interface.Macvlan i) {
                return new Creation(Phase.SUB_INTERFACES, null);
            }

            public Creation ipvlan(Interface.Ipvlan i) {
                return new Creation(Phase.SUB_INTERFACES, null);
            }

            public Creation physical(Interface.Physical i) {
                return new Creation(Phase.CABLES, () -> cable(i));
            }

            public Creation dummy(Interface.Dummy i) {
                return new Creation(Phase.DEVICES, () -> add(i, "link add name " + i.name() + " type dummy"));
            }

            public Creation tun(Interface.Tun i) {
                return new Creation(Phase.DEVICES, () -> add(i, "tuntap add dev " + i.name() + " mode tun"));
            }

            public Creation tap(Interface.Tap i) {
                return new Creation(Phase.DEVICES, () -> add(i, "tuntap add dev " + i.name() + " mode tap"));
            }

            public Creation loopback(Interface.Loopback i) {
                return new Creation(Phase.PREEXISTING, null);
            }
        };

        private void add(Interface i, String command) {
            line(command, i.span());
            created(i);
        }

        /** A veth end, or a physical one in the sandbox (outside, a NIC that exists): the pair is made by the first end's step. */
        private void cable(Interface i) {
            IfRef peer = peerOf(i.ref());
            if (peer == null) {
                if (options.sandbox() || i.ifKind() == IfKind.VETH) {
                    String stub = stubName(i.name());
                    line("link add name " + i.name() + " type veth peer name " + stub, i.span());
                    created(i);
                }
                return;
            }
            Node other = byName.get(peer.node());
            boolean sameNode = other.name().equals(node.name());
            boolean first = sameNode ? i.ref().equals(cables.get(i.ref()).a()) : position.get(node.name()) < position.get(other.name());
            if (first) {
                line("link add name " + i.name() + " type veth peer name " + peer.iface() + (sameNode ? "" : netnsOf(other)),
                        cables.get(i.ref()).span());
                created(i);
                own(other, peer.iface());
            }
        }

        private String vxlanCommand(Interface.Vxlan v) {
            StringBuilder s = new StringBuilder("link add name " + v.name() + " type vxlan id " + v.vni());
            if (v.local() != null) {
                s.append(" local ").append(v.local().toCanonicalString());
            }
            if (v.remote() != null) {
                // a point-to-point tunnel always sends to its remote: learning would follow a
                // NATed outer source address instead (found by the kernel agreement tests)
                s.append(" remote ").append(v.remote().toCanonicalString()).append(" nolearning");
            }
            if (v.group() != null) {
                s.append(" group ").append(v.group().toCanonicalString());
            }
            if (v.dev() != null) {
                s.append(" dev ").append(v.dev());
            }
            s.append(" dstport ").append(v.port());
            return s.toString();
        }

        private void created(Interface i) {
            created.add(i.name());
            own(node, i.name());
        }

        /** Sub-interfaces, parents first: on this node in the batch, on another node with a command of their own. */
        private void createSubInterfaces() {
            List<Interface> subs = new ArrayList<>(node.interfaces().stream().filter(i -> Analysis.parentOf(i) != null && builds(i)).toList());
            Set<String> done = new HashSet<>();
            while (!subs.isEmpty()) {
                Interface next = subs.stream().filter(i -> {
                    IfRef p = Analysis.parentOf(i);
                    return !p.node().equals(node.name()) || subs.stream().noneMatch(o -> o.name().equals(p.iface()));
                }).findFirst().orElse(subs.get(0));
                subs.remove(next);
                done.add(next.name());
                SubInterface sub = next.accept(SUB_INTERFACE);
                IfRef p = sub.parent();
                String type = sub.type();
                if (p.node().equals(node.name())) {
                    line("link add name " + next.name() + " link " + p.iface() + " type " + type, next.span());
                } else {
                    Node parentNode = byName.get(p.node());
                    String ip = inNamespace(parentNode) ? "ip -n " + Shell.quote(namespace(parentNode)) : "ip";
                    String target = inNamespace(node) ? " netns " + Shell.quote(namespace(node)) : " netns 1";
                    pre.add("run " + ip + " link add name " + next.name() + " link " + p.iface() + target + " type " + type);
                }
                created(next);
                if (p.node().equals(node.name()) && carriesOthers(next)) {
                    setEarlyMtu(next); // a VLAN that carries a VXLAN or another sub-interface
                }
            }
        }

        private String stubName(String name) {
            String base = (name.length() > 12 ? name.substring(0, 12) : name) + "-x";
            String candidate = base;
            int n = 0;
            while (interfaces.containsKey(new IfRef(node.name(), candidate))) {
                candidate = base + (++n);
            }
            return candidate;
        }

        private void configure(Interface i) {
            String dev = " dev " + i.name();
            boolean preexisting = switch (i.ifKind()) {
                case LOOPBACK -> true;
                case PHYSICAL -> !options.sandbox();
                case VETH, BRIDGE, VLAN, VXLAN, MACVLAN, IPVLAN, DUMMY, TUN, TAP -> false;
            };
            if (i.ifKind() == IfKind.PHYSICAL && preexisting && inNamespace(node)) {
                String ns = Shell.quote(namespace(node));
                pre.add(0, "if [ -e /sys/class/net/" + Shell.quote(i.name()) + " ]; then run ip link set dev " + Shell.quote(i.name())
                        + " netns " + ns + "; fi");
                undoPre.add("ip -n " + ns + " link set dev " + Shell.quote(i.name()) + " netns 1");
            }
            Integer mtu = mtuOf(i);
            if (mtu != null && !earlyMtu.contains(i.name())) {
                line("link set" + dev + " mtu " + mtu, i.span());
            }
            if (i.common().mac() != null) {
                line("link set" + dev + " address " + i.common().mac(), i.span());
            }
            if (i.common().master() != null) {
                line("link set" + dev + " master " + i.common().master(), i.span());
            }
            if (i.common().hairpin()) {
                line("link set" + dev + " type bridge_slave hairpin on", i.span());
            }
            for (Cidr a : i.addresses()) {
                String addr = "address replace " + a + dev + (a.isIpv4() ? "" : " nodad");
                line(addr, i.span());
                if (preexisting) {
                    undo.add("address del " + a + dev);
                }
            }
            if (i.ifKind() != IfKind.LOOPBACK) {
                line("link set" + dev + (i.common().up() ? " up" : " down"), i.span());
            }
        }
    }

    // ---- shared pieces -------------------------------------------------------------------------------------------

    private String nsArg(Node n) {
        return inNamespace(n) ? Shell.quote(namespace(n)) : "''";
    }

    /** What follows {@code route add|replace|del}, with its leading space. */
    static String routeArgs(Route r) {
        return " " + IpArgs.route(r);
    }

    /** An IPv6 policy rule: its {@code from} or {@code to} is IPv6 (the language's rules have one of the family's). */
    static boolean isIpv6(Rule r) {
        return r.from() != null && !r.from().isIpv4() || r.to() != null && !r.to().isIpv4();
    }

    /** What follows {@code rule add|del}, with its leading space. */
    static String ruleArgs(Rule r) {
        return " " + IpArgs.rule(r);
    }

    /** {@code file:line} for messages, the file in {@link Shell#display} form (a span may name another file). */
    private String src(Span span) {
        return Shell.display(fileName(span)) + ":" + span.line();
    }

    private static String fileName(Span span) {
        Path p = Path.of(span.file()).getFileName();
        return p == null ? span.file() : p.toString();
    }

    // ---- preflight -----------------------------------------------------------------------------------------------

    private List<String> tools() {
        List<String> tools = new ArrayList<>();
        boolean nft = order.stream().anyMatch(n -> NftRuleset.view(n).isPresent());
        if (nft) {
            tools.add("nft");
        }
        if (order.stream().anyMatch(n -> !n.runs().isEmpty() || options.standIns() && !n.listens().isEmpty())) {
            tools.add("setsid");
        }
        if (order.stream().anyMatch(n -> options.standIns() && n.runs().isEmpty() && !n.listens().isEmpty())) {
            tools.add("python3");
        }
        return tools;
    }

    /** A kernel feature the plan probes for before it changes anything, in probe order, with its probe. */
    private enum Feature {
        VETH("veth", "link add tpa type veth peer name tpb"),
        BRIDGE("bridge", "link add tpbr type bridge"),
        VLAN("8021q VLAN", "link add tpv link tpa type vlan id 2"),
        MACVLAN("macvlan", "link add tpm link tpa type macvlan mode bridge"),
        IPVLAN("ipvlan", "link add tpi link tpa type ipvlan mode l2"),
        VXLAN("vxlan", "link add tpx type vxlan id 1 dstport 4789"),
        DUMMY("dummy", "link add tpd type dummy"),
        TUN("tun", "tuntap add dev tpt mode tun"),
        TAP("tap", "tuntap add dev tpp mode tap"),
        NFTABLES("nftables", null);

        final String word;
        final String ipProbe;

        Feature(String word, String ipProbe) {
            this.word = word;
            this.ipProbe = ipProbe;
        }

        List<String> commands() {
            return ipProbe == null ? List.of("ip netns exec \"$P\" nft add table inet tpcprobe")
                    : List.of("ip -n \"$P\" " + ipProbe);
        }
    }

    /** The kernel feature creating this interface needs; null for what exists already. */
    private Feature feature(Interface i) {
        return switch (i.ifKind()) {
            case PHYSICAL -> options.sandbox() ? Feature.VETH : null;
            case LOOPBACK -> null;
            case VETH -> Feature.VETH;
            case BRIDGE -> Feature.BRIDGE;
            case VLAN -> Feature.VLAN;
            case VXLAN -> Feature.VXLAN;
            case MACVLAN -> Feature.MACVLAN;
            case IPVLAN -> Feature.IPVLAN;
            case DUMMY -> Feature.DUMMY;
            case TUN -> Feature.TUN;
            case TAP -> Feature.TAP;
        };
    }

    private List<Plan.Probe> probes() {
        Map<Feature, List<Span>> uses = new java.util.EnumMap<>(Feature.class);
        for (Node n : order) {
            for (Interface i : n.interfaces()) {
                if (skipped.contains(i.ref())) {
                    continue;
                }
                Feature feature = feature(i);
                if (feature != null) {
                    if (feature != Feature.VETH && feature != Feature.BRIDGE && Analysis.parentOf(i) != null) {
                        uses.computeIfAbsent(Feature.VETH, k -> new ArrayList<>()); // the probe's parent
                    }
                    uses.computeIfAbsent(feature, k -> new ArrayList<>()).add(i.span());
                }
            }
            if (NftRuleset.view(n).isPresent()) {
                uses.computeIfAbsent(Feature.NFTABLES, k -> new ArrayList<>()).add(n.span());
            }
        }
        List<Plan.Probe> probes = new ArrayList<>();
        for (Feature f : Feature.values()) {
            List<Span> spans = uses.get(f);
            if (spans == null) {
                continue;
            }
            StringJoiner lines = new StringJoiner(", ");
            spans.stream().map(this::src).distinct().limit(5).forEach(lines::add);
            if (spans.stream().map(this::src).distinct().count() > 5) {
                lines.add("...");
            }
            String needs = spans.isEmpty() ? "sub-interfaces" : lines.toString();
            probes.add(new Plan.Probe(f.word, f.commands(), Shell.quote("  " + f.word + " (needed by " + needs + ")")));
        }
        return probes;
    }
}
