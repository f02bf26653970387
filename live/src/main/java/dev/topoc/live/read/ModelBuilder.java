package dev.topoc.live.read;

import com.fasterxml.jackson.databind.JsonNode;
import dev.topoc.compiler.diag.Span;
import dev.topoc.compiler.model.Cidr;
import dev.topoc.compiler.model.IfCommon;
import dev.topoc.compiler.model.IfRef;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.IpvlanFlag;
import dev.topoc.compiler.model.IpvlanMode;
import dev.topoc.compiler.model.Link;
import dev.topoc.compiler.model.MacvlanMode;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.model.NodeKind;
import dev.topoc.compiler.model.Route;
import dev.topoc.compiler.model.RouteType;
import dev.topoc.compiler.model.Rule;
import dev.topoc.compiler.model.Topology;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Dumps of the read namespaces → model records (see {@link LiveReader} for the design). Values are taken as the
 * kernel reports them (every MTU, every route's device); {@link Canonical} then drops what is the kernel's
 * default, so that a read model and a compiled one compare equal when they mean the same network.
 */
final class ModelBuilder {
    /** Link kinds the language has, by {@code info_kind}; anything else is unexpressed. */
    private static final Set<String> KINDS = Set.of("veth", "bridge", "vxlan", "macvlan", "ipvlan", "vlan", "dummy", "tun");
    /** The three rules every namespace starts with (priority → table). */
    private static final Map<Long, String> DEFAULT_RULES = Map.of(0L, "local", 32766L, "main", 32767L, "default");
    /** Rule keys that are selectors or bookkeeping the model has; any other key makes the rule unexpressed. */
    private static final Set<String> RULE_KEYS = Set.of("priority", "src", "srclen", "dst", "dstlen", "iif", "oif",
            "fwmark", "table", "protocol", "flags");

    private final Map<String, NamespaceDump> dumps;
    private final boolean foreignRules;
    private final Map<String, String> nodeOfNamespace = new HashMap<>();
    private final Map<String, Map<Integer, JsonNode>> linksByIndex = new HashMap<>();
    /** node → its links by name, built on first use. */
    private final Map<String, Map<String, JsonNode>> linksByName = new HashMap<>();
    /** node → (its namespace id of another namespace → that namespace's node), filled by {@link #peerNode}. */
    private final Map<String, Map<Integer, String>> nodeOfNsid = new HashMap<>();
    /** node → {@code ip -j netns list-id} of its namespace, asked only when the veths do not tell (may be null). */
    private final java.util.function.Function<String, JsonNode> listIds;
    private final List<Unexpressed> unexpressed = new ArrayList<>();
    /** Interfaces left out (unexpressed kinds), by node: what routes and masters must not point at. */
    private final Map<String, Set<String>> leftOut = new HashMap<>();

    /**
     * {@code listIds}: namespace → its {@code ip -j netns list-id}, called only for a namespace whose ids the veth
     * pairs leave ambiguous or unknown; null when no such look-up is possible (captured dumps).
     */
    static LiveState build(String name, Map<String, NamespaceDump> dumps, boolean foreignRules,
            java.util.function.Function<String, JsonNode> listIds) {
        return new ModelBuilder(dumps, foreignRules, listIds).build(name);
    }

    private ModelBuilder(Map<String, NamespaceDump> dumps, boolean foreignRules,
            java.util.function.Function<String, JsonNode> listIds) {
        this.dumps = dumps;
        this.foreignRules = foreignRules;
        this.listIds = listIds;
    }

    private LiveState build(String name) {
        dumps.forEach((node, d) -> {
            nodeOfNamespace.put(d.namespace(), node);
            Map<Integer, JsonNode> byIndex = new LinkedHashMap<>();
            d.links().forEach(l -> byIndex.put(l.path("ifindex").asInt(), l));
            linksByIndex.put(node, byIndex);
        });
        inferNsids();
        List<Node> nodes = new ArrayList<>();
        List<Link> links = new ArrayList<>();
        Set<Set<IfRef>> pairs = new HashSet<>();
        dumps.forEach((node, d) -> {
            Node n = node(node, d);
            nodes.add(n);
            for (Interface i : n.interfaces()) {
                for (Interface.Veth v : i.as(Interface.Veth.class).filter(w -> w.peer() != null && pairs.add(Set.of(w.ref(), w.peer()))).stream().toList()) {
                    links.add(new Link(Span.NONE, v.ref(), v.peer(), null, null));
                }
            }
        });
        Topology raw = new Topology(name, Span.NONE, nodes, links, List.of());
        return new LiveState(Canonical.of(raw), unexpressed);
    }

    private void unexpressed(String node, String object, String reason) {
        unexpressed.add(new Unexpressed(node, object, reason));
    }

    // ---------------------------------------------------------------- one node

    private Node node(String node, NamespaceDump d) {
        Set<String> out = new HashSet<>();
        leftOut.put(node, out);
        Map<Integer, List<Cidr>> addresses = addresses(node, d);
        List<Interface> interfaces = new ArrayList<>();
        for (JsonNode l : linksByIndex.get(node).values()) {
            String kind = l.path("linkinfo").path("info_kind").asText("");
            String ifName = l.path("ifname").asText();
            boolean loopback = l.path("link_type").asText().equals("loopback");
            if (!loopback && !kind.isEmpty() && !KINDS.contains(kind)) {
                unexpressed(node, "link " + ifName + " (" + kind + ")", "the language has no interface kind `" + kind + "`");
                out.add(ifName);
            } else if (!loopback && kind.isEmpty() && !l.path("link_type").asText().equals("ether")) {
                unexpressed(node, "link " + ifName + " (" + l.path("link_type").asText() + ")",
                        "not an Ethernet device");
                out.add(ifName);
            }
        }
        for (JsonNode l : linksByIndex.get(node).values()) {
            String ifName = l.path("ifname").asText();
            if (!out.contains(ifName)) {
                iface(node, d, l, addresses.getOrDefault(l.path("ifindex").asInt(), List.of())).ifPresent(interfaces::add);
            }
        }
        List<Route> routes = new ArrayList<>();
        d.routes4().forEach(r -> route(node, r, true).ifPresent(routes::add));
        d.routes6().forEach(r -> route(node, r, false).ifPresent(routes::add));
        List<Rule> rules = new ArrayList<>();
        d.rules4().forEach(r -> rule(node, r, true).ifPresent(rules::add));
        d.rules6().forEach(r -> rule(node, r, false).ifPresent(rules::add));
        Map<String, String> raw = new LinkedHashMap<>();
        d.sysctl().fields().forEachRemaining(e -> raw.put(e.getKey(), e.getValue().asText()));
        Set<String> names = new HashSet<>();
        interfaces.forEach(i -> names.add(i.name()));
        Map<String, String> sysctl = new LinkedHashMap<>();
        raw.forEach((k, v) -> {
            String iface = perInterface(k);
            // a key the kernel does not have (an older kernel) reads empty; a per-interface key of an interface the
            // model leaves out (an unexpressed kind) cannot be written; one at its default is the kernel's
            if (!v.isEmpty() && (iface == null || names.contains(iface)) && !v.equals(NamespaceDump.defaultValue(k, raw::get))) {
                sysctl.put(k, v);
            }
        });
        boolean forwarding = "1".equals(sysctl.get("net.ipv4.ip_forward"))
                && "1".equals(sysctl.get("net.ipv6.conf.all.forwarding"));
        if (forwarding) {
            sysctl.remove("net.ipv4.ip_forward");
            sysctl.remove("net.ipv6.conf.all.forwarding");
        }
        NftReader.Result nft = NftReader.read(node, d.nft(), d.iptablesSave(), unexpressed, foreignRules);
        return new Node(node, Span.NONE, NodeKind.NETNS, null, forwarding, interfaces, routes, rules, nft.nat(),
                nft.firewall(), sysctl, List.of(), List.of());
    }

    /** The interface of a {@code net.ipv4.conf.IF.KEY} or {@code net.ipv6.conf.IF.KEY} key (not all/default), else null. */
    static String perInterface(String key) {
        for (String family : List.of("net.ipv4.conf.", "net.ipv6.conf.")) {
            if (key.startsWith(family)) {
                String rest = key.substring(family.length());
                int dot = rest.lastIndexOf('.');
                String iface = dot <= 0 ? null : rest.substring(0, dot);
                return iface == null || iface.equals("all") || iface.equals("default") ? null : iface;
            }
        }
        return null;
    }

    private Map<Integer, List<Cidr>> addresses(String node, NamespaceDump d) {
        Map<Integer, List<Cidr>> byIndex = new HashMap<>();
        for (JsonNode link : d.addresses()) {
            List<Cidr> list = new ArrayList<>();
            boolean lo = link.path("ifname").asText().equals("lo");
            for (JsonNode a : link.path("addr_info")) {
                boolean v6 = a.path("family").asText().equals("inet6");
                String local = a.path("local").asText();
                int len = a.path("prefixlen").asInt();
                if (v6 && a.path("scope").asText().equals("link") && kernelLinkLocal(a, local, len)) {
                    continue; // generated from the MAC by the kernel
                }
                if (lo && (local.equals("127.0.0.1") && len == 8 || local.equals("::1") && len == 128)) {
                    continue; // every loopback has them
                }
                list.add(new Cidr(ip(local), len));
            }
            byIndex.put(link.path("ifindex").asInt(), list);
        }
        return byIndex;
    }

    /**
     * Whether a link-local address is the one the kernel made itself: iproute2 from 6.2 prints the address's
     * {@code protocol} ({@code kernel_ll}; IFA_PROTO, Linux 6.0+), and where it does, that says it. Older iproute2
     * (6.1 prints no protocol) leaves the address's shape: the kernel's is {@code fe80::/64} with a modified EUI-64
     * interface id ({@code xxxx:xxff:fexx:xxxx}) — from the interface's MAC when it came up, which a bridge may since
     * have changed as ports joined, so the MAC itself cannot tell. A link-local address written in a file without
     * that shape (e.g. {@code fe80::3}) is read; one with it cannot be told from the kernel's there.
     */
    static boolean kernelLinkLocal(JsonNode a, String local, int len) {
        if (a.has("protocol")) {
            return a.path("protocol").asText().equals("kernel_ll");
        }
        return eui64LinkLocal(ip(local), len);
    }

    /** {@code fe80::/64} with a modified EUI-64 interface id: the shape of the kernel's own link-local address. */
    static boolean eui64LinkLocal(IPAddress a, int len) {
        byte[] b = a.getBytes();
        if (len != 64 || b.length != 16 || (b[0] & 0xff) != 0xfe || (b[1] & 0xff) != 0x80) {
            return false;
        }
        for (int i = 2; i < 8; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return (b[11] & 0xff) == 0xff && (b[12] & 0xff) == 0xfe;
    }

    private Optional<Interface> iface(String node, NamespaceDump d, JsonNode l, List<Cidr> addresses) {
        String name = l.path("ifname").asText();
        JsonNode info = l.path("linkinfo");
        String kind = info.path("info_kind").asText("");
        JsonNode data = info.path("info_data");
        String master = l.path("master").isMissingNode() ? null : l.path("master").asText();
        if (master != null) {
            JsonNode m = byName(node, master);
            if (m == null || !m.path("linkinfo").path("info_kind").asText().equals("bridge")) {
                unexpressed(node, "link " + name + " master " + master, "only a bridge can be a master");
                master = null;
            }
        }
        boolean up = containsText(l.path("flags"), "UP");
        boolean hairpin = info.path("info_slave_data").path("hairpin").asBoolean(false);
        // a lean dump has no assignment types (null): every MAC is reported, which the differ reads as "set only
        // when the file sets one"
        String mac = d.macAssignType().isNull() || d.macAssignType().path(Integer.toString(l.path("ifindex").asInt())).asInt(0) == 3
                ? l.path("address").asText() : null;
        if (l.path("link_type").asText().equals("loopback")) {
            // `lo { up false }`: a namespace's lo starts down, and stays so
            return Optional.of(new Interface.Loopback(new IfCommon(node, name, Span.NONE, addresses, l.path("mtu").asInt(),
                    null, null, up, false)));
        }
        IfCommon c = new IfCommon(node, name, Span.NONE, addresses, l.path("mtu").asInt(), mac, master, up, hairpin);
        return switch (kind) {
            case "veth" -> {
                IfRef peer = remote(node, l);
                String samePeer = !l.has("link_netnsid") && l.has("link") ? l.path("link").asText() : null;
                if (peer == null && samePeer != null && !d.macAssignType().isNull()) {
                    // an interface on no link is built as a veth with a stub peer in the same namespace (NAME-x): the
                    // full read gives it back as the file's `iface NAME` (a veth on no link), and leaves the stub out
                    if (isStub(samePeer, name)) {
                        yield Optional.of(new Interface.Veth(c, null));
                    }
                    if (isStub(name, samePeer)) {
                        yield Optional.empty();
                    }
                }
                if (peer == null) {
                    unexpressed(node, "link " + name + " (veth)", "its peer is in a namespace that was not read");
                }
                yield Optional.of(new Interface.Veth(c, peer));
            }
            case "bridge" -> {
                if (data.path("vlan_filtering").asInt(0) != 0) {
                    unexpressed(node, "link " + name + " vlan_filtering 1", "the language's bridges do not filter VLANs");
                }
                yield Optional.of(new Interface.Bridge(c, data.path("stp_state").asInt(0) != 0, null));
            }
            case "vxlan" -> Optional.of(new Interface.Vxlan(c, data.path("id").asLong(), optIp(data, "local"),
                    optIp(data, "remote"), optIp(data, "group"), data.has("link") ? data.path("link").asText() : null,
                    data.path("port").asInt(4789)));
            case "macvlan" -> {
                Optional<MacvlanMode> mode = MacvlanMode.of(data.path("mode").asText());
                if (mode.isEmpty()) {
                    unexpressed(node, "link " + name + " (macvlan mode " + data.path("mode").asText() + ")",
                            "macvlan modes are " + MacvlanMode.choices());
                    yield Optional.empty();
                }
                yield parent(node, l).map(p -> new Interface.Macvlan(c, p, mode.get()));
            }
            case "ipvlan" -> {
                IpvlanMode mode = IpvlanMode.of(data.path("mode").asText()).orElse(IpvlanMode.L3);
                IpvlanFlag flag = data.path("private").asBoolean(false) ? IpvlanFlag.PRIVATE
                        : data.path("vepa").asBoolean(false) ? IpvlanFlag.VEPA : null;
                yield parent(node, l).map(p -> new Interface.Ipvlan(c, p, mode, flag));
            }
            case "vlan" -> {
                if (!data.path("protocol").asText("802.1Q").equals("802.1Q")) {
                    unexpressed(node, "link " + name + " (vlan protocol " + data.path("protocol").asText() + ")",
                            "the language's VLANs are 802.1Q");
                }
                yield parent(node, l).map(p -> new Interface.Vlan(c, p, data.path("id").asInt()));
            }
            case "dummy" -> Optional.of(new Interface.Dummy(c));
            case "tun" -> Optional.of(data.path("type").asText().equals("tap") ? new Interface.Tap(c) : new Interface.Tun(c));
            default -> Optional.of(new Interface.Physical(c, null));
        };
    }

    /**
     * Whether {@code stub} is the name {@code --sandbox} gives the stub peer of a NIC {@code nic} on no link: its first
     * 12 characters, {@code -x}, and a number when that name was taken (the live stage's {@code Desired.stubName}).
     */
    static boolean isStub(String stub, String nic) {
        String base = (nic.length() > 12 ? nic.substring(0, 12) : nic) + "-x";
        return stub.equals(base) || stub.startsWith(base) && stub.substring(base.length()).chars().allMatch(Character::isDigit);
    }

    /** The parent of a sub-interface: {@code link} (same namespace) or {@code link_index} in {@code link_netnsid}. */
    private Optional<IfRef> parent(String node, JsonNode l) {
        IfRef p = l.has("link_netnsid") ? remote(node, l)
                : l.has("link") ? new IfRef(node, l.path("link").asText()) : null;
        if (p == null) {
            unexpressed(node, "link " + l.path("ifname").asText() + " ("
                    + l.path("linkinfo").path("info_kind").asText() + ")", "its parent is in a namespace that was not read");
            return Optional.empty();
        }
        if (leftOut.getOrDefault(p.node(), Set.of()).contains(p.iface())) {
            unexpressed(node, "link " + l.path("ifname").asText(), "its parent " + p + " is not expressed");
            return Optional.empty();
        }
        return Optional.of(p);
    }

    /**
     * Which read node each namespace id of each node stands for, from the veth pairs alone: the veths of node A with
     * id x point at (ifindex, peer ifindex) pairs; the node B whose veths have exactly those ifindexes pointing back,
     * all with one id of their own, is x. Ids left ambiguous or unknown (a sub-interface's parent without a veth
     * between the two namespaces) are asked of the kernel in {@link #peerNode}.
     */
    private void inferNsids() {
        dumps.keySet().forEach(n -> nodeOfNsid.put(n, new HashMap<>()));
        // (ifindex, peer ifindex) of every veth whose peer is in another namespace → the nodes that have one: the
        // candidates for a pair seen from the other side, without scanning every node for every id (quadratic: a
        // star's hub has one id per host)
        Map<Long, List<String>> byPair = new HashMap<>();
        for (String b : dumps.keySet()) {
            for (JsonNode l : linksByIndex.get(b).values()) {
                if (isVeth(l) && l.has("link_netnsid") && l.has("link_index")) {
                    byPair.computeIfAbsent(pairKey(l.path("ifindex").asInt(), l.path("link_index").asInt()),
                            k -> new ArrayList<>(1)).add(b);
                }
            }
        }
        for (String a : dumps.keySet()) {
            Map<Integer, List<int[]>> pairsById = new HashMap<>();
            for (JsonNode l : linksByIndex.get(a).values()) {
                if (isVeth(l) && l.has("link_netnsid") && l.has("link_index")) {
                    pairsById.computeIfAbsent(l.path("link_netnsid").asInt(), k -> new ArrayList<>())
                            .add(new int[] {l.path("ifindex").asInt(), l.path("link_index").asInt()});
                }
            }
            pairsById.forEach((id, pairs) -> {
                int[] first = pairs.get(0);
                List<String> candidates = byPair.getOrDefault(pairKey(first[1], first[0]), List.of()).stream()
                        .distinct().filter(b -> !b.equals(a) && pointsBack(b, pairs)).toList();
                if (candidates.size() == 1) {
                    nodeOfNsid.get(a).put(id, candidates.get(0));
                }
            });
        }
    }

    private static long pairKey(int ifindex, int peer) {
        return ((long) ifindex << 32) | (peer & 0xffffffffL);
    }

    private static boolean isVeth(JsonNode l) {
        return l.path("linkinfo").path("info_kind").asText().equals("veth");
    }

    /** Whether node b has, for every (ifindex, peer) pair, a veth with ifindex peer pointing back, all with one id. */
    private boolean pointsBack(String b, List<int[]> pairs) {
        Set<Integer> ids = new HashSet<>();
        for (int[] p : pairs) {
            JsonNode l = linksByIndex.get(b).get(p[1]);
            if (l == null || !isVeth(l) || !l.has("link_netnsid") || l.path("link_index").asInt() != p[0]) {
                return false;
            }
            ids.add(l.path("link_netnsid").asInt());
        }
        return ids.size() == 1;
    }

    /** The node namespace id {@code id} of {@code node} names, or null when it is not a read namespace. */
    private String peerNode(String node, int id) {
        Map<Integer, String> known = nodeOfNsid.get(node);
        if (!known.containsKey(id) && listIds != null) {
            JsonNode ids = listIds.apply(dumps.get(node).namespace());
            for (JsonNode n : ids == null ? NamespaceDump.EMPTY : ids) {
                if (n.hasNonNull("name")) {
                    known.putIfAbsent(n.path("nsid").asInt(), nodeOfNamespace.get(n.path("name").asText()));
                }
            }
            known.putIfAbsent(id, null);
        }
        return known.get(id);
    }

    /** The interface {@code link_index} points at, in this namespace or the one {@code link_netnsid} names. */
    private IfRef remote(String node, JsonNode l) {
        String target = node;
        if (l.has("link_netnsid")) {
            target = peerNode(node, l.path("link_netnsid").asInt());
        }
        if (target == null || !l.has("link_index")) {
            return null;
        }
        JsonNode peer = linksByIndex.get(target).get(l.path("link_index").asInt());
        return peer == null ? null : new IfRef(target, peer.path("ifname").asText());
    }

    private JsonNode byName(String node, String ifName) {
        return linksByName.computeIfAbsent(node, n -> {
            Map<String, JsonNode> m = new HashMap<>();
            linksByIndex.get(n).values().forEach(l -> m.putIfAbsent(l.path("ifname").asText(), l));
            return m;
        }).get(ifName);
    }

    // ---------------------------------------------------------------- routes and rules

    private Optional<Route> route(String node, JsonNode r, boolean v4) {
        if (r.path("protocol").asText().equals("kernel")) {
            return Optional.empty(); // connected prefixes, local and broadcast addresses, link-local, multicast
        }
        String dst = r.path("dst").asText();
        Cidr to = dst.equals("default") ? new Cidr(ip(v4 ? "0.0.0.0" : "::"), 0) : cidr(dst);
        String table = r.path("table").asText("main");
        String object = "route " + r.path("type").asText("unicast") + " " + dst
                + (table.equals("main") ? "" : " table " + table);
        Optional<RouteType> type = RouteType.of(r.path("type").asText("unicast"));
        if (type.isEmpty()) {
            unexpressed(node, object, "route types are " + RouteType.choices());
            return Optional.empty();
        }
        if (r.has("nexthops") || r.has("nhid")) {
            unexpressed(node, object, "a route with several next hops (multipath) cannot be written");
            return Optional.empty();
        }
        if (r.path("gateway").isObject() || r.has("via")) {
            unexpressed(node, object, "a gateway of another address family cannot be written");
            return Optional.empty();
        }
        String dev = type.get() == RouteType.UNICAST && r.has("dev") ? r.path("dev").asText() : null;
        if (dev != null && leftOut.get(node).contains(dev)) {
            unexpressed(node, object + " dev " + dev, "its device is not expressed");
            return Optional.empty();
        }
        IPAddress via = r.has("gateway") ? ip(r.path("gateway").asText()) : null;
        Integer metric = r.has("metric") ? r.path("metric").asInt() : null;
        IPAddress src = r.has("prefsrc") ? ip(r.path("prefsrc").asText()) : null;
        return Optional.of(new Route(Span.NONE, to, via, dev, metric, table, src, type.get()));
    }

    private Optional<Rule> rule(String node, JsonNode r, boolean v4) {
        long priority = r.path("priority").asLong();
        String table = r.path("table").asText("");
        boolean anySelector = !r.path("src").asText("all").equals("all") || r.has("dst") || r.has("iif") || r.has("oif")
                || r.has("fwmark");
        if (!anySelector && table.equals(DEFAULT_RULES.get(priority))) {
            return Optional.empty();
        }
        String object = (v4 ? "" : "-6 ") + "rule priority " + priority;
        List<String> extra = new ArrayList<>();
        r.fieldNames().forEachRemaining(k -> {
            if (!RULE_KEYS.contains(k)) {
                extra.add(k);
            }
        });
        if (table.isEmpty() || !extra.isEmpty()) {
            unexpressed(node, object, "the language's rules only look up a table; this one has "
                    + (extra.isEmpty() ? "no table" : String.join(", ", extra)));
            return Optional.empty();
        }
        if (r.path("flags").isArray() && !r.path("flags").isEmpty()) {
            unexpressed(node, object, "rule flags (such as `not`) cannot be written");
            return Optional.empty();
        }
        Cidr from = selector(r, "src", "srclen");
        Cidr to = selector(r, "dst", "dstlen");
        if (!v4 && from == null && to == null) {
            unexpressed(node, object, "an IPv6 rule without `from` or `to` cannot be written (it would be IPv4)");
            return Optional.empty();
        }
        Long fwmark = null;
        if (r.has("fwmark")) {
            String[] markMask = r.path("fwmark").asText().split("/", 2);
            if (markMask.length == 2 && Long.decode(markMask[1]) != 0xffffffffL) {
                unexpressed(node, object, "a fwmark with a mask cannot be written");
                return Optional.empty();
            }
            fwmark = Long.decode(markMask[0]);
        }
        String iif = r.has("iif") ? r.path("iif").asText() : null;
        String oif = r.has("oif") ? r.path("oif").asText() : null;
        return Optional.of(new Rule(Span.NONE, (int) priority, from, to, iif, oif, fwmark, table));
    }

    /** A rule's {@code from}/{@code to}: ip prints no length for a host prefix, and {@code all} for none. */
    private static Cidr selector(JsonNode r, String key, String lenKey) {
        String a = r.path(key).asText("all");
        if (a.equals("all")) {
            return null;
        }
        return r.has(lenKey) ? new Cidr(ip(a), r.path(lenKey).asInt()) : cidr(a);
    }

    // ---------------------------------------------------------------- values

    private static boolean containsText(JsonNode array, String text) {
        for (JsonNode n : array) {
            if (n.asText().equals(text)) {
                return true;
            }
        }
        return false;
    }

    private static IPAddress optIp(JsonNode data, String key) {
        return data.has(key) ? ip(data.path(key).asText()) : null;
    }

    static IPAddress ip(String text) {
        return new IPAddressString(text).getAddress().withoutPrefixLength();
    }

    /** {@code 10.0.0.0/24}, or a bare address as a host prefix. */
    static Cidr cidr(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            IPAddress a = ip(text);
            return new Cidr(a, a.getBitCount());
        }
        return new Cidr(ip(text.substring(0, slash)), Integer.parseInt(text.substring(slash + 1)));
    }
}
