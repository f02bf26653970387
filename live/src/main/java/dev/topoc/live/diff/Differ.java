package dev.topoc.live.diff;

import dev.topoc.backends.IpArgs;
import dev.topoc.compiler.diag.Span;
import dev.topoc.compiler.model.Cidr;
import dev.topoc.compiler.model.IfKind;
import dev.topoc.compiler.model.IfRef;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.model.Route;
import dev.topoc.compiler.model.RouteType;
import dev.topoc.compiler.model.Rule;
import dev.topoc.compiler.model.Sysctls;
import dev.topoc.live.diff.Change.Action;
import dev.topoc.live.diff.Change.Op;
import dev.topoc.live.diff.Change.Tool;
import dev.topoc.live.diff.Desired.DIface;
import dev.topoc.live.diff.Desired.DNode;
import dev.topoc.live.lab.LabRecord;
import dev.topoc.live.lab.LabRecord.NodeRecord;
import dev.topoc.live.lab.LabStore;
import inet.ipaddr.IPAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The differ: desired state × observed state (+ the lab record) → the ordered changes that turn one into the other,
 * touching nothing that already matches.
 *
 * <p>Objects are matched by identity: a node by name (its namespace), an interface by node and name, an address by
 * interface and CIDR, a route by table, destination and metric, a rule by all its selectors and table. A matched
 * interface whose kind or kind parameters differ (veth peer, VXLAN id/addresses/port, macvlan mode, VLAN id, parent)
 * is deleted and created again; every other difference (MTU, MAC, master, hairpin, STP, up) is changed in place, so
 * the interface keeps its ifindex. What the kernel adds by itself is not compared: link-local IPv6 addresses,
 * {@code lo}'s loopback addresses, connected and {@code local}-table routes, the three default rules. A field the
 * file leaves unset (MTU, MAC, a route's dev or metric) matches whatever the kernel chose.
 *
 * <p>Deleting a veth deletes its peer, and deleting a parent its sub-interfaces: the differ follows those chains to
 * a fixpoint and creates again whatever the file still wants of them (and routes through them).
 *
 * <p>Order: namespaces first; then removals (rules, routes, rulesets, addresses, interfaces children first, then
 * whole namespaces); then, node by node in build order, creations and changes (interfaces, addresses, routes, rules,
 * sysctls, the ruleset). Consecutive actions in one namespace become one {@code ip -batch}.
 *
 * <p>Ownership: in a namespace the lab owns, everything not in the file is removed; in the default namespace only
 * what the lab record lists and the file no longer has.
 */
public final class Differ {
    private final Desired desired;
    private final Observed observed;
    private final LabRecord record;
    private final String owner;
    private final Map<IfRef, IfRef> livePeers;
    private final Map<IfRef, Integer> liveMtu;
    private final Map<String, NodeRecord> recorded = new LinkedHashMap<>();
    /** Live interfaces the run deletes (explicitly or with a peer, parent or namespace). */
    private final Set<IfRef> destroyed = new LinkedHashSet<>();
    /** Live nodes whose namespace the run deletes. */
    private final Set<String> deletedNodes = new LinkedHashSet<>();
    private final List<Change> changes = new ArrayList<>();
    /** Node → its place in build order, filled on first use. */
    private final Map<String, Integer> buildIndex = new HashMap<>();
    private final Set<String> needLoUp = new HashSet<>();
    /** Interfaces that lose an address: the kernel flushes the routes through a subnet that goes with it. */
    private final Set<IfRef> addressRemoved = new HashSet<>();

    private Differ(Desired desired, Observed observed, LabRecord record) {
        this.desired = desired;
        this.observed = observed;
        this.record = record;
        this.owner = record == null ? "lab " + desired.topology() : "lab " + record.name();
        this.livePeers = observed.peers();
        this.liveMtu = Desired.explicitMtus(observed.live());
        if (record != null) {
            record.nodes().forEach(n -> recorded.put(n.node(), n));
        }
    }

    /** The changes that bring {@code observed} to {@code desired}; {@code record} (nullable) says what the lab owns. */
    public static List<Change> diff(Desired desired, Observed observed, LabRecord record) {
        Differ d = new Differ(desired, observed, record);
        d.run();
        return List.copyOf(d.changes);
    }

    private void run() {
        findDestroyed();
        createNamespaces();
        for (DNode n : desired.nodes()) {
            removeWithin(n);
        }
        removeInterfaces();
        deleteNamespaces();
        for (DNode n : desired.nodes()) {
            build(n);
        }
    }

    // ---- which live objects go ---------------------------------------------------------------------------------

    private boolean ownsNamespace(String node) {
        DNode d = desired.node(node);
        if (d != null) {
            return !d.namespace().isEmpty();
        }
        NodeRecord r = recorded.get(node);
        return r != null && r.ownsNamespace();
    }

    private Node live(String node) {
        return observed.node(node);
    }

    private void findDestroyed() {
        for (NodeRecord r : recorded.values()) {
            if (desired.node(r.node()) == null && r.ownsNamespace() && live(r.node()) != null) {
                deletedNodes.add(r.node());
                live(r.node()).interfaces().forEach(i -> destroyed.add(i.ref()));
            }
        }
        for (DNode d : desired.nodes()) {
            Node l = live(d.name());
            if (l == null) {
                continue;
            }
            for (Interface i : l.interfaces()) {
                DIface want = d.ifaces().get(i.name());
                if (want == null) {
                    if (i.ifKind() != IfKind.LOOPBACK && !i.name().equals("lo") && !d.stubs().contains(i.name())
                            && removable(d.name(), i.name())) {
                        destroyed.add(i.ref());
                    }
                } else if (recreateReason(want, i) != null) {
                    destroyed.add(i.ref());
                }
            }
        }
        boolean grew = true;
        while (grew) {
            grew = false;
            for (IfRef gone : List.copyOf(destroyed)) {
                IfRef peer = livePeers.get(gone);
                if (peer != null && live(peer.node()) != null && destroyed.add(peer)) {
                    grew = true;
                }
            }
            for (Node l : observed.live().nodes()) {
                for (Interface i : l.interfaces()) {
                    IfRef parent = Desired.parentOf(i);
                    if (parent != null && destroyed.contains(parent) && destroyed.add(i.ref())) {
                        grew = true;
                    }
                    // a VXLAN bound to a lower device is deleted with it
                    if (i.as(Interface.Vxlan.class).filter(v -> v.dev() != null && destroyed.contains(new IfRef(l.name(), v.dev())))
                            .isPresent() && destroyed.add(i.ref())) {
                        grew = true;
                    }
                }
            }
        }
    }

    /** Whether the lab may delete interface {@code name} of {@code node}: all of an owned namespace, else what it recorded. */
    private boolean removable(String node, String name) {
        if (ownsNamespace(node)) {
            return true;
        }
        NodeRecord r = recorded.get(node);
        return r != null && r.interfaces().contains(name);
    }

    /** Why a live interface cannot become the desired one in place, or null when it can. */
    private String recreateReason(DIface want, Interface live) {
        if (want.kind() == IfKind.LOOPBACK || live.ifKind() == IfKind.LOOPBACK) {
            return null;
        }
        if (want.kind() == IfKind.PHYSICAL) {
            return null; // a NIC of the machine: configured, never replaced
        }
        if (want.kind() != live.ifKind()) {
            return "kind " + live.kind() + " → " + want.kind().word();
        }
        Interface w = want.model();
        return live.accept(new Interface.Cases<String>() {
            @Override public String veth(Interface.Veth l) {
                IfRef peer = livePeers.get(live.ref());
                IfRef wantPeer = want.peer() != null ? want.peer() : new IfRef(want.model().node(), want.stub());
                if (peer != null && !peer.equals(wantPeer)) {
                    return "peer " + peer + " → " + wantPeer;
                }
                return null;
            }
            @Override public String bridge(Interface.Bridge l) { return null; }
            @Override public String vlan(Interface.Vlan l) {
                return w.as(Interface.Vlan.class).map(v -> {
                    if (l.id() != v.id()) {
                        return "id " + l.id() + " → " + v.id();
                    }
                    return parentDiff(l.parent(), v.parent());
                }).orElse(null);
            }
            @Override public String vxlan(Interface.Vxlan l) {
                return w.as(Interface.Vxlan.class).map(v -> {
                    List<String> diff = new ArrayList<>();
                    if (l.vni() != v.vni()) {
                        diff.add("vni " + l.vni() + " → " + v.vni());
                    }
                    if (l.port() != 0 && l.port() != v.port()) {
                        diff.add("port " + l.port() + " → " + v.port());
                    }
                    addrDiff(diff, "local", l.local(), v.local());
                    addrDiff(diff, "remote", l.remote(), v.remote());
                    addrDiff(diff, "group", l.group(), v.group());
                    if (l.dev() != null && !Objects.equals(l.dev(), v.dev())) {
                        diff.add("dev " + l.dev() + " → " + v.dev());
                    }
                    return diff.isEmpty() ? null : String.join(", ", diff);
                }).orElse(null);
            }
            @Override public String macvlan(Interface.Macvlan l) {
                return w.as(Interface.Macvlan.class).map(m -> {
                    if (l.mode() != null && l.mode() != m.mode()) {
                        return "mode " + l.mode().word() + " → " + m.mode().word();
                    }
                    return parentDiff(l.parent(), m.parent());
                }).orElse(null);
            }
            @Override public String ipvlan(Interface.Ipvlan l) {
                return w.as(Interface.Ipvlan.class).map(p -> {
                    if ((l.mode() != null && l.mode() != p.mode()) || (l.mode() != null && l.flag() != p.flag())) {
                        return "mode " + l.mode().word() + " → " + p.mode().word();
                    }
                    return parentDiff(l.parent(), p.parent());
                }).orElse(null);
            }
            @Override public String physical(Interface.Physical l) { return null; }
            @Override public String dummy(Interface.Dummy l) { return null; }
            @Override public String tun(Interface.Tun l) { return null; }
            @Override public String tap(Interface.Tap l) { return null; }
            @Override public String loopback(Interface.Loopback l) { return null; }
        });
    }

    private static void addrDiff(List<String> diff, String what, IPAddress live, IPAddress want) {
        String l = live == null ? null : live.toCanonicalString();
        String w = want == null ? null : want.toCanonicalString();
        if (!Objects.equals(l, w)) {
            diff.add(what + " " + (l == null ? "none" : l) + " → " + (w == null ? "none" : w));
        }
    }

    private static String parentDiff(IfRef live, IfRef want) {
        if (live == null || live.equals(want) || (live.iface().equals(want.iface()) && live.node() == null)) {
            return null;
        }
        return "parent " + live + " → " + want;
    }

    /** What an interface lives on and is deleted with: a sub-interface's parent, a VXLAN's device; else null. */
    private static IfRef lower(Interface i) {
        return i.as(Interface.Vxlan.class).filter(v -> v.dev() != null).map(v -> new IfRef(i.node(), v.dev()))
                .orElseGet(() -> Desired.parentOf(i));
    }

    // ---- namespaces ------------------------------------------------------------------------------------------

    private void createNamespaces() {
        for (DNode d : desired.nodes()) {
            if (!d.namespace().isEmpty() && live(d.name()) == null) {
                changes.add(new Change(Op.CREATE, d.name(), "node " + d.name(), "namespace " + d.namespace(), src(d.span()),
                        List.of(new Action(Tool.IP, "", "netns add " + d.namespace()))));
                needLoUp.add(d.name());
            }
        }
    }

    private void deleteNamespaces() {
        for (String node : deletedNodes) {
            NodeRecord r = recorded.get(node);
            changes.add(new Change(Op.REMOVE, node, "node " + node, "namespace " + r.namespace() + " and everything in it",
                    owner, List.of(new Action(Tool.IP, "", "netns del " + r.namespace()))));
        }
    }

    // ---- removals inside a surviving node ------------------------------------------------------------------------

    private void removeWithin(DNode d) {
        Node l = live(d.name());
        if (l == null) {
            return;
        }
        boolean owns = ownsNamespace(d.name());
        NodeRecord rec = recorded.get(d.name());
        for (Rule r : liveRules(l)) {
            boolean wanted = d.rules().stream().anyMatch(w -> ruleMatches(w, r));
            if (!wanted && (owns || (rec != null && rec.rules().contains(IpArgs.rule(r))))) {
                changes.add(new Change(Op.REMOVE, d.name(), "rule " + IpArgs.rule(r) + " on " + d.name(), "", owner,
                        List.of(new Action(Tool.IP, d.namespace(), family(r) + "rule del " + IpArgs.rule(r)))));
            }
        }
        for (Route r : liveRoutes(l)) {
            String dev = routeDev(l, r);
            if (dev != null && destroyed.contains(new IfRef(d.name(), dev))) {
                continue; // goes with its interface
            }
            boolean kept = d.routes().stream().anyMatch(w -> routeKey(w).equals(routeKey(r)));
            if (!kept && (owns || (rec != null && rec.routes().stream().anyMatch(a -> a.equals(IpArgs.route(r)))))) {
                changes.add(new Change(Op.REMOVE, d.name(), "route " + IpArgs.route(r) + " on " + d.name(), "", owner,
                        List.of(new Action(Tool.IP, d.namespace(), "route del " + IpArgs.route(r)))));
            }
        }
        String listing = observed.nft().get(d.name());
        if (d.nft() == null && listing != null && !acceptsEverything(listing) && (owns || (rec != null && rec.nftHash() != null))) {
            changes.add(new Change(Op.REMOVE, d.name(), "nftables table inet topoc on " + d.name(), "", owner,
                    List.of(new Action(Tool.NFT, d.namespace(), "delete table inet topoc\n"))));
        }
        // another table (added by hand, iptables-nft's) is drift in a namespace of the lab, as an extra route is (an
        // imported lab's iptables-nft rules are the file's statements now, loaded as inet topoc); never in the default one
        if (owns) {
            for (String t : observed.foreignTables(d.name())) {
                changes.add(new Change(Op.REMOVE, d.name(), "nftables table " + t + " on " + d.name(), "", owner,
                        List.of(new Action(Tool.NFT, d.namespace(), "delete table " + t + "\n"))));
            }
        }
        for (Interface i : l.interfaces()) {
            DIface want = d.ifaces().get(i.name());
            if (want == null || destroyed.contains(i.ref())) {
                continue;
            }
            Set<String> keep = new HashSet<>();
            want.model().addresses().forEach(a -> keep.add(a.toString()));
            for (Cidr a : liveAddresses(i)) {
                if (!keep.contains(a.toString()) && (owns || (rec != null && rec.addresses().contains(i.name() + " " + a)))) {
                    addressRemoved.add(i.ref());
                    changes.add(new Change(Op.REMOVE, d.name(), "address " + a + " on " + i.ref(), "", owner,
                            List.of(new Action(Tool.IP, d.namespace(), "address del " + a + " dev " + i.name()))));
                }
            }
        }
    }

    private void removeInterfaces() {
        Set<IfRef> gone = new HashSet<>();
        for (String node : deletedNodes) {
            live(node).interfaces().forEach(i -> gone.add(i.ref()));
        }
        // children before parents, so that a parent's deletion never takes a child the plan still names
        List<Interface> order = new ArrayList<>();
        for (Node l : observed.live().nodes()) {
            if (deletedNodes.contains(l.name())) {
                continue;
            }
            l.interfaces().stream().filter(i -> destroyed.contains(i.ref()) && lower(i) != null).forEach(order::add);
            l.interfaces().stream().filter(i -> destroyed.contains(i.ref()) && lower(i) == null).forEach(order::add);
        }
        for (Interface i : order) {
            DNode d = desired.node(i.node());
            if (d == null) {
                continue;
            }
            IfRef peer = livePeers.get(i.ref());
            DIface want = d.ifaces().get(i.name());
            String why = want == null ? "not in " + desired.file()
                    : Objects.requireNonNullElse(recreateReason(want, i), "created again with its peer or parent");
            if (peer != null && !d.ifaces().containsKey(i.name()) && deletedNodes.contains(peer.node())) {
                why = "its peer " + peer + " goes with node " + peer.node();
            }
            if (gone.contains(i.ref())) {
                changes.add(new Change(Op.REMOVE, d.name(), "interface " + i.ref(), i.kind() + "; " + why
                        + (peer != null ? " (deleted with " + peer + ")" : ""), want == null ? owner : src(want.model().span()), List.of()));
                continue;
            }
            changes.add(new Change(Op.REMOVE, d.name(), "interface " + i.ref(), i.kind() + "; " + why,
                    want == null ? owner : src(want.model().span()), List.of(new Action(Tool.IP, d.namespace(), "link del dev " + i.name()))));
            markGone(i.ref(), gone);
        }
    }

    /** {@code ref} is deleted: so are its veth peer and whatever lives on either (sub-interfaces, VXLAN), and so on. */
    private void markGone(IfRef ref, Set<IfRef> gone) {
        List<IfRef> todo = new ArrayList<>(List.of(ref));
        while (!todo.isEmpty()) {
            IfRef next = todo.remove(todo.size() - 1);
            if (!gone.add(next) && !next.equals(ref)) {
                continue;
            }
            IfRef peer = livePeers.get(next);
            if (peer != null && !gone.contains(peer)) {
                todo.add(peer);
            }
            for (Node l : observed.live().nodes()) {
                l.interfaces().stream().filter(c -> next.equals(lower(c)) && !gone.contains(c.ref())).forEach(c -> todo.add(c.ref()));
            }
        }
    }

    // ---- building a node ---------------------------------------------------------------------------------------

    private void build(DNode d) {
        Node l = live(d.name());
        List<Change> mine = new ArrayList<>();
        // interfaces to create, in dependency order: bridges, veth pairs, tun/tap/dummy, sub-interfaces, vxlan
        List<DIface> toCreate = d.ifaces().values().stream().filter(i -> needsCreate(d, i)).toList();
        Set<String> created = new HashSet<>();
        toCreate.forEach(i -> created.add(i.name()));
        Map<String, Interface> liveIfaces = new HashMap<>();
        if (l != null) {
            l.interfaces().forEach(i -> liveIfaces.put(i.name(), i));
        }
        for (Phase phase : Phase.values()) {
            List<DIface> batch = toCreate.stream().filter(i -> phaseOf(i) == phase).toList();
            if (phase == Phase.SUB) {
                batch = parentsFirst(batch);
            }
            for (DIface i : batch) {
                mine.add(create(d, i));
            }
        }
        for (DIface i : d.ifaces().values()) {
            Interface li = liveIfaces.get(i.name());
            if (created.contains(i.name()) || li == null) {
                continue; // created above, or a NIC outside the sandbox that is not there (the reader says so)
            }
            Change c = inPlace(d, i, li);
            if (c != null) {
                mine.add(c);
            }
        }
        // addresses in the file's order, whatever the interface's age: the kernel prefers the connected route of the
        // address added first (an address on a bridge port added before the bridge's would take its replies)
        for (DIface i : d.ifaces().values()) {
            Interface li = created.contains(i.name()) ? null : liveIfaces.get(i.name());
            if (li == null && i.kind() == IfKind.PHYSICAL && !created.contains(i.name())) {
                continue;
            }
            for (Cidr a : i.model().addresses()) {
                if (li == null || liveAddresses(li).stream().noneMatch(x -> x.toString().equals(a.toString()))) {
                    mine.add(new Change(Op.CREATE, d.name(), "address " + a + " on " + i.model().ref(), "", src(i.model().span()),
                            List.of(new Action(Tool.IP, d.namespace(), "address replace " + a + " dev " + i.name() + (a.isIpv4() ? "" : " nodad")))));
                }
            }
        }
        // a new namespace's lo is down: up unless the file says `lo { up false }`
        boolean loUp = d.ifaces().get("lo") == null || d.ifaces().get("lo").model().common().up();
        if (!loUp) {
            // nothing to add: a live lo that is up is set down by its in-place change
        } else if (needLoUp.contains(d.name()) && !mine.isEmpty()) {
            // a new namespace's lo is down: bring it up with the node's first change rather than on a line of its own
            Change first = mine.get(0);
            List<Action> a = new ArrayList<>();
            a.add(ip(d, "link set dev lo up"));
            a.addAll(first.actions());
            mine.set(0, new Change(first.op(), first.node(), first.object(), first.detail(), first.source(), a));
        } else if (needLoUp.contains(d.name()) || (l != null && l.iface("lo").map(i -> !i.common().up()).orElse(false))) {
            if (mine.stream().noneMatch(c -> c.object().equals("interface " + d.name() + ":lo"))) {
                mine.add(0, new Change(Op.CHANGE, d.name(), "interface " + d.name() + ":lo", "up", src(d.span()),
                        List.of(new Action(Tool.IP, d.namespace(), "link set dev lo up"))));
            }
        }
        List<Route> liveRoutes = l == null ? List.of() : liveRoutes(l);
        for (Route r : d.routes()) {
            List<Route> sameKey = liveRoutes.stream().filter(x -> routeKey(x).equals(routeKey(r))
                    && (routeDev(l, x) == null || !destroyed.contains(new IfRef(d.name(), routeDev(l, x))))).toList();
            Route same = sameKey.stream().filter(x -> routeMatches(r, x)).findFirst().orElse(null);
            if (same != null && addressRemoved.contains(new IfRef(d.name(), routeDev(l, same)))) {
                mine.add(new Change(Op.CHANGE, d.name(), "route " + IpArgs.route(r) + " on " + d.name(),
                        "again: the kernel drops it with the address removed from " + routeDev(l, same), src(r.span()),
                        List.of(new Action(Tool.IP, d.namespace(), "route replace " + IpArgs.route(r)))));
                continue;
            }
            if (same != null) {
                continue;
            }
            List<Action> a = List.of(new Action(Tool.IP, d.namespace(), "route replace " + IpArgs.route(r)));
            if (sameKey.isEmpty()) {
                mine.add(new Change(Op.CREATE, d.name(), "route " + IpArgs.route(r) + " on " + d.name(), "", src(r.span()), a));
            } else {
                mine.add(new Change(Op.CHANGE, d.name(), "route " + IpArgs.route(r) + " on " + d.name(),
                        "was " + IpArgs.route(sameKey.get(0)), src(r.span()), a));
            }
        }
        List<Rule> liveRules = l == null ? List.of() : liveRules(l);
        for (Rule r : d.rules()) {
            if (liveRules.stream().noneMatch(x -> ruleMatches(r, x))) {
                mine.add(new Change(Op.CREATE, d.name(), "rule " + IpArgs.rule(r) + " on " + d.name(), "", src(r.span()),
                        List.of(new Action(Tool.IP, d.namespace(), family(r) + "rule add " + IpArgs.rule(r)))));
            }
        }
        sysctls(d, mine, created);
        bridgeNetfilter(d, mine);
        ruleset(d, mine);
        changes.addAll(mine);
    }


    /**
     * br_netfilter's switches in a namespace of the lab are what the file says, 0 unless it sets them, as apply.sh
     * writes them, so that bridged traffic skips the node's netfilter as the simulator models it (never in the default
     * namespace, whose switches are the host's). A namespace this run creates starts with them at the module's default
     * (1): the pins go with the node's last change, after its sysctls (one more {@code sysctl} process, no line of their
     * own in the plan). In a namespace that runs already, a switch at 1 that the file does not set (an earlier version
     * of the file set it, or a hand did) is a change of its own (ConvergeProperties found the earlier version's 1 kept).
     * Without the module the keys do not exist, which means 0.
     */
    private void bridgeNetfilter(DNode d, List<Change> mine) {
        if (d.namespace().isEmpty() || !java.nio.file.Files.exists(java.nio.file.Path.of("/proc/sys/net/bridge/bridge-nf-call-iptables"))) {
            return;
        }
        if (!needLoUp.contains(d.name())) {
            Map<String, String> now = observed.sysctl().getOrDefault(d.name(), Map.of());
            for (String k : Sysctls.BRIDGE_NETFILTER) {
                String have = now.getOrDefault(k, "0");
                if (!d.sysctl().containsKey(k) && !have.equals("0")) {
                    mine.add(new Change(Op.CHANGE, d.name(), "sysctl " + k + "=0 on " + d.name(), "now " + have
                            + "; br_netfilter's switches are 0 where the file does not set them", src(d.span()),
                            List.of(new Action(Tool.SYSCTL, d.namespace(), k + "=0"))));
                }
            }
            return;
        }
        List<Action> pins = Sysctls.BRIDGE_NETFILTER.stream().filter(k -> !d.sysctl().containsKey(k))
                .map(k -> new Action(Tool.SYSCTL, d.namespace(), k + "=0")).toList();
        if (pins.isEmpty()) {
            return;
        }
        if (mine.isEmpty()) {
            mine.add(new Change(Op.CHANGE, d.name(), "node " + d.name(), "br_netfilter off", src(d.span()), pins));
            return;
        }
        Change last = mine.get(mine.size() - 1);
        List<Action> a = new ArrayList<>(last.actions());
        a.addAll(pins);
        mine.set(mine.size() - 1, new Change(last.op(), last.node(), last.object(), last.detail(), last.source(), a));
    }

    /**
     * {@code "-6 "} for an IPv6 rule: iproute2 dumps and adds rules as IPv4 unless the process was started with
     * {@code -6} (a batch line cannot say it: "Invalid source address"), so the executor runs such a line as an
     * {@code ip -6 -batch} of its own ({@link Action#IPV6}).
     */
    private static String family(Rule r) {
        boolean v6 = (r.from() != null && !r.from().isIpv4()) || (r.to() != null && !r.to().isIpv4());
        return v6 ? Action.IPV6 : "";
    }

    private boolean needsCreate(DNode d, DIface i) {
        if (i.preexisting()) {
            return false;
        }
        Node l = live(d.name());
        if (l == null) {
            return true;
        }
        return l.iface(i.name()).map(li -> destroyed.contains(li.ref())).orElse(true);
    }

    /** The order interfaces are created in: a port's bridge and a sub-interface's parent exist before it. */
    private enum Phase { BRIDGE, VETH, SIMPLE, SUB, VXLAN }

    private static Phase phaseOf(DIface i) {
        return switch (i.kind()) {
            case BRIDGE -> Phase.BRIDGE;
            case VETH -> Phase.VETH;
            case VXLAN -> Phase.VXLAN;
            case VLAN, MACVLAN, IPVLAN -> Phase.SUB;
            case DUMMY, TUN, TAP, PHYSICAL, LOOPBACK -> Phase.SIMPLE;
        };
    }

    private static List<DIface> parentsFirst(List<DIface> subs) {
        List<DIface> left = new ArrayList<>(subs);
        List<DIface> out = new ArrayList<>();
        while (!left.isEmpty()) {
            DIface next = left.stream().filter(i -> {
                IfRef p = Desired.parentOf(i.model());
                return left.stream().noneMatch(o -> o.model().ref().equals(p));
            }).findFirst().orElse(left.get(0));
            left.remove(next);
            out.add(next);
        }
        return out;
    }

    private Change create(DNode d, DIface i) {
        List<Action> a = new ArrayList<>();
        Interface m = i.model();
        String detail = i.kind().word();
        switch (i.kind()) {
            case BRIDGE -> a.add(ip(d, "link add name " + m.name() + " type bridge"
                    + (((Interface.Bridge) m).stp() ? " stp_state 1" : "")));
            case VETH -> {
                if (i.peer() == null) {
                    a.add(ip(d, "link add name " + m.name() + " type veth peer name " + i.stub()));
                    detail = "veth, stub peer " + i.stub();
                } else if (createsPair(d, i)) {
                    DNode other = desired.node(i.peer().node());
                    String netns = other.name().equals(d.name()) ? "" : other.namespace().isEmpty() ? " netns 1" : " netns " + other.namespace();
                    a.add(ip(d, "link add name " + m.name() + " type veth peer name " + i.peer().iface() + netns));
                    detail = "veth to " + i.peer();
                } else {
                    detail = "veth end of " + i.peer() + ", created with it";
                }
            }
            case TUN -> a.add(ip(d, "tuntap add dev " + m.name() + " mode tun"));
            case TAP -> a.add(ip(d, "tuntap add dev " + m.name() + " mode tap"));
            case DUMMY -> a.add(ip(d, "link add name " + m.name() + " type dummy"));
            case VLAN, MACVLAN, IPVLAN -> {
                IfRef p = Desired.parentOf(m);
                String type = subType(m);
                detail = type + " on " + p;
                if (p.node().equals(d.name())) {
                    a.add(ip(d, "link add name " + m.name() + " link " + p.iface() + " type " + type));
                } else {
                    DNode parentNode = desired.node(p.node());
                    String target = d.namespace().isEmpty() ? " netns 1" : " netns " + d.namespace();
                    a.add(new Action(Tool.IP, parentNode == null ? "" : parentNode.namespace(),
                            "link add name " + m.name() + " link " + p.iface() + target + " type " + type));
                }
            }
            case VXLAN -> {
                Interface.Vxlan v = (Interface.Vxlan) m;
                StringBuilder s = new StringBuilder("link add name " + v.name() + " type vxlan id " + v.vni());
                if (v.local() != null) {
                    s.append(" local ").append(v.local().toCanonicalString());
                }
                if (v.remote() != null) {
                    s.append(" remote ").append(v.remote().toCanonicalString()).append(" nolearning");
                }
                if (v.group() != null) {
                    s.append(" group ").append(v.group().toCanonicalString());
                }
                if (v.dev() != null) {
                    s.append(" dev ").append(v.dev());
                }
                s.append(" dstport ").append(v.port());
                a.add(ip(d, s.toString()));
                detail = "vxlan " + v.vni();
            }
            case PHYSICAL, LOOPBACK -> throw new IllegalStateException("a " + i.kind().word() + " is never created: " + m.ref());
        }
        a.addAll(configure(d, i));
        return new Change(Op.CREATE, d.name(), "interface " + m.ref(), detail, src(m.span()), a);
    }

    /** Whether this end creates the pair: the end whose node comes first in build order (or the link's first end). */
    private boolean createsPair(DNode d, DIface i) {
        IfRef peer = i.peer();
        if (peer.node().equals(d.name())) {
            return d.ifaces().keySet().stream().toList().indexOf(i.name()) < d.ifaces().keySet().stream().toList().indexOf(peer.iface());
        }
        if (buildIndex.isEmpty()) {
            desired.nodes().forEach(n -> buildIndex.putIfAbsent(n.name(), buildIndex.size()));
        }
        return buildIndex.getOrDefault(d.name(), -1) < buildIndex.getOrDefault(peer.node(), -1);
    }

    /** mtu, mac, master, hairpin, up: what a created interface gets (its addresses follow, in the file's order). */
    private List<Action> configure(DNode d, DIface i) {
        List<Action> a = new ArrayList<>();
        Interface m = i.model();
        String dev = " dev " + m.name();
        if (i.mtu() != null) {
            a.add(ip(d, "link set" + dev + " mtu " + i.mtu()));
        }
        if (m.common().mac() != null) {
            a.add(ip(d, "link set" + dev + " address " + m.common().mac()));
        }
        if (m.common().master() != null) {
            a.add(ip(d, "link set" + dev + " master " + m.common().master()));
        }
        if (m.common().hairpin()) {
            a.add(ip(d, "link set" + dev + " type bridge_slave hairpin on"));
        }
        boolean up = m.common().up(); // `lo { up false }` too
        a.add(ip(d, "link set" + dev + (up ? " up" : " down")));
        return a;
    }

    private Change inPlace(DNode d, DIface i, Interface live) {
        Interface m = i.model();
        String dev = " dev " + m.name();
        List<String> what = new ArrayList<>();
        List<Action> a = new ArrayList<>();
        Integer haveMtu = liveMtu.get(live.ref());
        // the file gives no MTU: the default, unless the MTU differs from it (set by hand); a NIC of the machine
        // (outside --sandbox) keeps what its admin gave it
        Integer wantMtu = i.mtu() != null ? i.mtu() : haveMtu == null || i.preexisting() ? haveMtu
                : Integer.valueOf(i.defaultMtu());
        if (!Objects.equals(wantMtu, haveMtu)) {
            what.add("mtu " + (haveMtu == null ? "default" : haveMtu) + " → " + wantMtu);
            a.add(ip(d, "link set" + dev + " mtu " + wantMtu));
        }
        if (m.common().mac() != null && live.common().mac() != null && !m.common().mac().equalsIgnoreCase(live.common().mac())) {
            what.add("mac " + live.common().mac() + " → " + m.common().mac());
            a.add(ip(d, "link set" + dev + " address " + m.common().mac()));
        }
        String liveMaster = live.common().master();
        if (liveMaster != null && destroyed.contains(new IfRef(d.name(), liveMaster))) {
            liveMaster = null; // the bridge is created again: its ports come out of it
        }
        if (m.ifKind() != IfKind.LOOPBACK && !Objects.equals(m.common().master(), liveMaster)) {
            what.add("master " + Objects.requireNonNullElse(liveMaster, "none") + " → "
                    + Objects.requireNonNullElse(m.common().master(), "none"));
            a.add(ip(d, "link set" + dev + (m.common().master() == null ? " nomaster" : " master " + m.common().master())));
        }
        if (m.common().master() != null && (liveMaster == null ? m.common().hairpin() : m.common().hairpin() != live.common().hairpin())) {
            what.add("hairpin " + (m.common().hairpin() ? "on" : "off"));
            a.add(ip(d, "link set" + dev + " type bridge_slave hairpin " + (m.common().hairpin() ? "on" : "off")));
        }
        Interface.Bridge b = m.as(Interface.Bridge.class).orElse(null);
        Interface.Bridge lb = live.as(Interface.Bridge.class).orElse(null);
        if (b != null && lb != null && b.stp() != lb.stp()) {
            what.add("stp " + (b.stp() ? "on" : "off"));
            a.add(ip(d, "link set" + dev + " type bridge stp_state " + (b.stp() ? 1 : 0)));
        }
        boolean up = m.common().up(); // `lo { up false }` too
        if (up != live.common().up()) {
            what.add(up ? "up" : "down");
            a.add(ip(d, "link set" + dev + (up ? " up" : " down")));
        }
        if (a.isEmpty()) {
            return null;
        }
        return new Change(Op.CHANGE, d.name(), "interface " + m.ref(), String.join(", ", what), src(m.span()), a);
    }

    /**
     * The file's sysctls that differ from the namespace's, and those of an interface this plan creates (again): what
     * was read is the old interface's value, and a new one starts at the namespace's default.
     */
    private void sysctls(DNode d, List<Change> mine, Set<String> created) {
        Map<String, String> now = observed.sysctl().getOrDefault(d.name(), Map.of());
        // the namespace-wide forwarding keys first: writing one copies its value to every interface (and ip_forward
        // also writes conf.all.accept_redirects), so the keys that follow it are written again after it
        List<Map.Entry<String, String>> ordered = new ArrayList<>();
        d.sysctl().entrySet().stream().filter(e -> LEADERS.contains(e.getKey())).forEach(ordered::add);
        d.sysctl().entrySet().stream().filter(e -> !LEADERS.contains(e.getKey())).forEach(ordered::add);
        Set<String> moved = new HashSet<>();
        for (Map.Entry<String, String> e : ordered) {
            String have = now.get(e.getKey());
            String iface = dev.topoc.live.read.LiveReader.sysctlInterface(e.getKey());
            if (iface != null && created.contains(iface)) {
                have = null;
            }
            String leader = leaderOf(e.getKey());
            boolean follows = leader != null && moved.contains(leader);
            if (LEADERS.contains(e.getKey()) && !e.getValue().equals(have)) {
                moved.add(e.getKey().equals("net.ipv4.conf.all.forwarding") ? "net.ipv4.ip_forward" : e.getKey());
            }
            if (!e.getValue().equals(have) || follows) {
                mine.add(new Change(have == null ? Op.CREATE : Op.CHANGE, d.name(), "sysctl " + e.getKey() + "=" + e.getValue()
                        + " on " + d.name(), have == null ? "" : "now " + have, src(sysctlSpan(d, e.getKey())),
                        List.of(new Action(Tool.SYSCTL, d.namespace(), e.getKey() + "=" + e.getValue()))));
            }
        }
        NodeRecord rec = recorded.get(d.name());
        if (rec == null) {
            return;
        }
        for (Map.Entry<String, String> e : rec.sysctl().entrySet()) {
            String have = now.get(e.getKey());
            if (!d.namespace().isEmpty() && Sysctls.BRIDGE_NETFILTER.contains(e.getKey())) {
                continue; // not back to the value before: to 0 in a namespace of the lab (bridgeNetfilter)
            }
            if (!d.sysctl().containsKey(e.getKey()) && have != null && !have.equals(e.getValue())) {
                mine.add(new Change(Op.REMOVE, d.name(), "sysctl " + e.getKey() + " on " + d.name(),
                        "back to " + e.getValue() + ", the value before the lab set it", owner,
                        List.of(new Action(Tool.SYSCTL, d.namespace(), e.getKey() + "=" + e.getValue()))));
            }
        }
    }

    /** The namespace-wide keys whose writing copies a value to every interface ({@code ip_forward} is {@code conf.all.forwarding}). */
    private static final Set<String> LEADERS = Set.of("net.ipv4.ip_forward", "net.ipv4.conf.all.forwarding",
            "net.ipv6.conf.all.forwarding", "net.ipv6.conf.all.force_forwarding");

    /** The namespace-wide key whose writing overwrites {@code key} (a per-interface forwarding key), else null. */
    private static String leaderOf(String key) {
        if (key.equals("net.ipv4.conf.all.accept_redirects")) {
            return "net.ipv4.ip_forward";
        }
        String iface = dev.topoc.live.read.LiveReader.sysctlInterface(key);
        if (iface == null) {
            return null;
        }
        if (key.equals("net.ipv4.conf." + iface + ".forwarding")) {
            return "net.ipv4.ip_forward";
        }
        if (key.equals("net.ipv6.conf." + iface + ".forwarding")) {
            return "net.ipv6.conf.all.forwarding";
        }
        if (key.equals("net.ipv6.conf." + iface + ".force_forwarding")) {
            return "net.ipv6.conf.all.force_forwarding";
        }
        return null;
    }

    private static Span sysctlSpan(DNode d, String key) {
        return d.span();
    }

    private void ruleset(DNode d, List<Change> mine) {
        if (d.nft() == null) {
            return;
        }
        String listing = observed.nft().get(d.name());
        NodeRecord rec = recorded.get(d.name());
        boolean sameText = rec != null && LabStore.sha256(d.nft()).equals(rec.nftHash());
        boolean untouched = rec != null && listing != null && listing.equals(rec.nftListing());
        if (d.nftListing() != null ? d.nftListing().equals(listing) : sameText && untouched || observed.sameRules(d.name())) {
            return;
        }
        String why = listing == null ? "" : rec == null || rec.nftHash() == null ? "its rules differ from the file's"
                : !sameText ? "the file's rules changed" : "changed outside topoc";
        Span span = !d.node().nat().isEmpty() ? d.node().nat().get(0).span()
                : !d.node().firewall().isEmpty() ? d.node().firewall().get(0).span() : d.span();
        mine.add(new Change(listing == null ? Op.CREATE : Op.CHANGE, d.name(), "nftables table inet topoc on " + d.name(),
                why.isEmpty() ? "loaded atomically" : why + "; swapped atomically", src(span),
                List.of(new Action(Tool.NFT, d.namespace(), d.nft()))));
    }

    /**
     * Whether a listing of table inet topoc holds only filter chains that accept everything (policy accept, no rule):
     * the same as no table, which is how the file says it ({@code forward policy accept} alone loads nothing).
     */
    static boolean acceptsEverything(String listing) {
        for (String line : listing.lines().map(String::strip).toList()) {
            boolean ok = line.isEmpty() || line.equals("}") || line.equals("table inet topoc {")
                    || line.startsWith("chain ") && line.endsWith(" {") && line.indexOf(' ', 6) == line.length() - 2
                    || line.startsWith("type filter hook ") && line.endsWith("; policy accept;");
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    // ---- what the kernel adds by itself ------------------------------------------------------------------------

    static List<Cidr> liveAddresses(Interface i) {
        List<Cidr> out = new ArrayList<>();
        for (Cidr a : i.addresses()) {
            if (dev.topoc.live.read.LiveReader.kernelLinkLocalShape(a)) {
                continue; // the kernel's own (the reader leaves it out; a model built elsewhere may not)
            }
            if (a.address().isLoopback() && (a.toString().equals("127.0.0.1/8") || a.toString().equals("::1/128"))) {
                continue;
            }
            out.add(a);
        }
        return out;
    }

    static List<Route> liveRoutes(Node l) {
        List<Route> out = new ArrayList<>();
        for (Route r : l.routes()) {
            String table = IpArgs.table(r.table());
            if (table.equals("local")) {
                continue;
            }
            IPAddress to = r.to().address();
            if ((to.isLoopback() || (!r.to().isIpv4() && (to.isLinkLocal() || to.isMulticast()))) && r.via() == null) {
                continue;
            }
            if (r.via() == null && (r.type() == null || r.type() == RouteType.UNICAST) && r.dev() != null && connected(l, r)) {
                continue;
            }
            out.add(r);
        }
        return out;
    }

    /** The device a live route leaves by: its own, or the interface whose subnet holds its gateway. */
    private static String routeDev(Node l, Route r) {
        if (r.dev() != null || r.via() == null) {
            return r.dev();
        }
        return l.interfaces().stream().filter(i -> i.addresses().stream().anyMatch(a -> a.contains(r.via())))
                .map(Interface::name).findFirst().orElse(null);
    }

    private static boolean connected(Node l, Route r) {
        return l.iface(r.dev()).map(i -> i.addresses().stream().anyMatch(a -> a.prefixLength() == r.to().prefixLength()
                && a.networkCidr().toString().equals(r.to().networkCidr().toString()))).orElse(false);
    }

    static List<Rule> liveRules(Node l) {
        List<Rule> out = new ArrayList<>();
        for (Rule r : l.rules()) {
            boolean plain = r.from() == null && r.to() == null && r.iif() == null && r.oif() == null && r.fwmark() == null;
            String t = IpArgs.table(r.table());
            Integer p = r.priority();
            if (plain && p != null && ((p == 0 && t.equals("local")) || (p == 32766 && t.equals("main")) || (p == 32767 && t.equals("default")))) {
                continue;
            }
            out.add(r);
        }
        return out;
    }

    // ---- matching ----------------------------------------------------------------------------------------------

    private static String routeKey(Route r) {
        int metric = r.metric() == null || r.metric() == 0 ? (r.to().isIpv4() ? 0 : 1024) : r.metric();
        if (!r.to().isIpv4() && metric == 0) {
            metric = 1024;
        }
        return IpArgs.table(r.table()) + "|" + r.to().networkCidr() + "|" + metric;
    }

    private static boolean routeMatches(Route want, Route live) {
        RouteType wt = want.type() == null ? RouteType.UNICAST : want.type();
        RouteType lt = live.type() == null ? RouteType.UNICAST : live.type();
        return routeKey(want).equals(routeKey(live)) && wt == lt
                && Objects.equals(str(want.via()), str(live.via()))
                && (want.dev() == null || live.dev() == null || want.dev().equals(live.dev()))
                && (want.src() == null || Objects.equals(str(want.src()), str(live.src())));
    }

    private static boolean ruleMatches(Rule want, Rule live) {
        return (want.priority() == null || want.priority().equals(live.priority()))
                && Objects.equals(str(want.from()), str(live.from())) && Objects.equals(str(want.to()), str(live.to()))
                && Objects.equals(want.iif(), live.iif()) && Objects.equals(want.oif(), live.oif())
                && Objects.equals(want.fwmark(), live.fwmark())
                && IpArgs.table(want.table()).equals(IpArgs.table(live.table()));
    }

    private static String str(IPAddress a) {
        return a == null ? null : a.toCanonicalString();
    }

    private static String str(Cidr c) {
        return c == null ? null : c.toString();
    }

    // ---- small pieces ------------------------------------------------------------------------------------------

    private static Action ip(DNode d, String line) {
        return new Action(Tool.IP, d.namespace(), line);
    }

    private static String subType(Interface i) {
        return switch (i.ifKind()) {
            case VLAN -> "vlan id " + ((Interface.Vlan) i).id();
            case MACVLAN -> "macvlan mode " + ((Interface.Macvlan) i).mode().word();
            case IPVLAN -> {
                Interface.Ipvlan p = (Interface.Ipvlan) i;
                yield "ipvlan mode " + p.mode().word() + (p.flag() == null ? "" : " " + p.flag().word());
            }
            case VETH, BRIDGE, VXLAN, PHYSICAL, DUMMY, TUN, TAP, LOOPBACK ->
                    throw new IllegalArgumentException("not a sub-interface: " + i.kind() + " " + i.ref());
        };
    }

    private String src(Span span) {
        if (span == null || span.line() <= 0) {
            return desired.file();
        }
        Path p = Path.of(span.file()).getFileName();
        return (p == null ? span.file() : p.toString()) + ":" + span.line();
    }
}
