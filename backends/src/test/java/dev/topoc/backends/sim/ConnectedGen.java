package dev.topoc.backends.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generates small, mostly connected topologies from the features this kernel runs (namespaces, veth, bridges,
 * routers with and without forwarding, macvlan bridge/private/vepa, VXLAN, masquerade, input and forward
 * filters; no VLAN, ipvlan or dummy), valid by construction, for {@link KernelAgreementProperties} (and the live
 * reader's read-back property, hence public).
 *
 * <p>The shape: one to three segments (subnets 10.S.0.0/24), each a veth pair or a bridge (in a switch node,
 * or owned by a router that has its address on the bridge, as docker0); routers join consecutive segments
 * and route to the others through each other; hosts sit on one segment (sometimes two) with a default route
 * through one of its routers. Randomly: forwarding off, a missing route, macvlan children of a host's
 * interface in their own nodes, hairpin or an address on a switch port, a VXLAN tunnel between two hosts
 * (sometimes with different VNIs), masquerade on a router, input and forward chains; then the kernel settings
 * of issue 14 ({@link #settings}) and MTUs ({@link #mtus}; {@link Agreement} then pings at that size with DF), a DNAT
 * on a bridge-owning router and a forward chain on a switch ({@link #bridgeRules}), IPv6 ({@link #families}) and
 * br_netfilter's keys on the nodes whose bridges meet such rules ({@link #bridgeNetfilter}).
 */
public final class ConnectedGen {
    private final Random r;
    private final StringBuilder out = new StringBuilder();

    /** A node under construction: its statements in order. */
    private static final class N {
        final String name;
        final boolean router;
        final List<String> lines = new ArrayList<>();
        /** segment -> (interface, address) of this node on it. */
        final Map<Integer, String[]> on = new LinkedHashMap<>();
        boolean forwarding;

        N(String name, boolean router) {
            this.name = name;
            this.router = router;
        }
    }

    /** One attachment of a node to a segment: the node, its interface name and address (null for none). */
    private record End(N node, String iface, String address) {}

    private final boolean kernelSettings;

    private ConnectedGen(Random r, boolean kernelSettings) {
        this.r = r;
        this.kernelSettings = kernelSettings;
    }

    public static String generate(Random random) {
        return new ConnectedGen(random, true).build();
    }

    /**
     * The shapes without the kernel settings and MTUs of issue 14 (sysctls, down interfaces, lo down, VXLAN remotes
     * on lo): for properties about the shapes alone (the live stage's properties use {@link #generate}).
     */
    public static String generateShapes(Random random) {
        return new ConnectedGen(random, false).build();
    }

    private boolean chance(int percent) {
        return r.nextInt(100) < percent;
    }

    private String build() {
        int segs = 1 + r.nextInt(3);
        int[] nextHost = new int[segs + 1];
        List<N> routers = new ArrayList<>();
        List<N> hosts = new ArrayList<>();
        List<List<End>> ends = new ArrayList<>();
        for (int s = 0; s <= segs; s++) {
            ends.add(new ArrayList<>());
            nextHost[s] = 10;
        }
        // routers: r_i joins segments i+1 and i+2 (a chain); sometimes one more router on a random segment
        int routerCount = segs - 1 + (chance(35) ? 1 : 0);
        for (int i = 0; i < routerCount; i++) {
            N n = new N("r" + i, true);
            n.forwarding = chance(80);
            routers.add(n);
            List<Integer> at = i < segs - 1 ? List.of(i + 1, i + 2) : List.of(1 + r.nextInt(segs));
            for (int s : at) {
                String addr = "10." + s + ".0." + (1 + i);
                n.on.put(s, new String[] {"e" + s, addr});
                ends.get(s).add(new End(n, "e" + s, addr));
            }
        }
        // hosts: two to four, each on a random segment, sometimes on a second one
        int hostCount = 2 + r.nextInt(3);
        for (int i = 0; i < hostCount; i++) {
            N n = new N("h" + i, false);
            hosts.add(n);
            int s = 1 + r.nextInt(segs);
            attach(n, s, nextHost, ends);
            if (segs > 1 && chance(20)) {
                int t = 1 + r.nextInt(segs);
                if (t != s) {
                    attach(n, t, nextHost, ends);
                }
            }
        }
        // macvlan children of one host's interface, each in its own node
        List<N> children = new ArrayList<>();
        if (chance(35)) {
            N parent = hosts.get(r.nextInt(hosts.size()));
            int s = parent.on.keySet().iterator().next();
            String pif = parent.on.get(s)[0];
            String mode = pick("bridge", "private", "vepa");
            int count = 1 + r.nextInt(2);
            for (int i = 0; i < count; i++) {
                N c = new N("m" + i, false);
                String m = chance(25) ? pick("bridge", "private", "vepa") : mode;
                String addr = "10." + s + ".0." + nextHost[s]++;
                c.on.put(s, new String[] {"mv", addr});
                c.lines.add("macvlan mv parent " + parent.name + ":" + pif + " mode " + m + " { address " + addr + "/24 }");
                children.add(c);
            }
        }
        // segments: a veth pair, a switch node, or a bridge owned by a router on it
        List<N> switches = new ArrayList<>();
        Map<N, List<End>> bridged = new LinkedHashMap<>();
        List<String> links = new ArrayList<>();
        for (int s = 1; s <= segs; s++) {
            List<End> e = ends.get(s);
            if (e.isEmpty()) {
                continue;
            }
            if (e.size() == 2 && chance(50)) {
                declare(e.get(0), null);
                declare(e.get(1), null);
                links.add(e.get(0).node().name + ":" + e.get(0).iface() + " -- " + e.get(1).node().name + ":" + e.get(1).iface());
                continue;
            }
            End owner = null;
            for (End x : e) {
                if (x.node().router && owner == null && chance(30)) {
                    owner = x;
                }
            }
            N sw;
            if (owner != null) {
                sw = owner.node();
                List<End> ports = new ArrayList<>(e);
                ports.remove(owner);
                bridged.put(sw, ports);
                sw.lines.add("bridge " + owner.iface() + " { address " + owner.address() + "/24 }");
            } else {
                sw = new N("s" + s, false);
                switches.add(sw);
                String brAddr = chance(20) ? " { address 10." + s + ".0.250/24 }" : "";
                sw.lines.add("bridge b" + s + brAddr);
                if (!brAddr.isEmpty()) {
                    sw.on.put(s, new String[] {"b" + s, "10." + s + ".0.250"});
                }
            }
            String bridge = owner != null ? owner.iface() : "b" + s;
            int port = 0;
            for (End x : e) {
                if (x == owner) {
                    continue;
                }
                declare(x, null);
                String p = "p" + s + port++;
                String extra = (chance(15) ? " hairpin" : "") + (chance(7) ? " address 10." + s + ".0." + (240 + port) + "/24" : "");
                sw.lines.add("iface " + p + " { master " + bridge + extra + " }");
                links.add(x.node().name + ":" + x.iface() + " -- " + sw.name + ":" + p);
            }
        }
        // routes: hosts and macvlan children default through a router of their (first) segment
        for (N h : concat(hosts, children)) {
            int s = h.on.keySet().iterator().next();
            List<N> gws = routers.stream().filter(x -> x.on.containsKey(s)).toList();
            if (!gws.isEmpty() && chance(85)) {
                N gw = gws.get(r.nextInt(gws.size()));
                h.lines.add("route default via " + gw.on.get(s)[1]);
            }
        }
        // routers: to every segment they are not on, through the first router of a shortest router path
        for (N x : routers) {
            for (int s = 1; s <= segs; s++) {
                if (x.on.containsKey(s) || !chance(85)) {
                    continue;
                }
                String via = nextHop(x, s, routers);
                if (via != null) {
                    x.lines.add("route 10." + s + ".0.0/24 via " + via);
                }
            }
        }
        // VXLAN between two single-homed hosts, over whatever joins them
        List<N> single = hosts.stream().filter(h -> h.on.size() == 1).toList();
        if (single.size() >= 2 && chance(30)) {
            N a = single.get(0);
            N b = single.get(1);
            int vni = 100 + r.nextInt(3);
            int vniB = chance(20) ? vni + 1 : vni;
            vxlan(a, b, vni, 1);
            vxlan(b, a, vniB, 2);
        }
        // NAT and filters
        for (N x : routers) {
            if (chance(30)) {
                String oif = x.on.values().stream().toList().get(r.nextInt(x.on.size()))[0];
                x.lines.add("nat masquerade" + (chance(30) ? " from 10." + (1 + r.nextInt(segs)) + ".0.0/24" : "") + " out " + oif);
            }
            if (chance(30)) {
                x.lines.add(chain("forward", segs));
            }
        }
        for (N x : concat(routers, hosts)) {
            if (chance(15)) {
                x.lines.add(chain("input", segs));
            }
        }
        // kernel settings and Linux rules (issue 14), drawn last so that the shapes above stay what they were
        if (kernelSettings) {
            settings(routers, hosts, single);
            mtus(concat(routers, hosts), links);
            errorRoutes(routers);
            bridgeRules(bridged, switches, segs);
            families(routers, concat(concat(routers, hosts), concat(children, switches)));
            bridgeNetfilter(concat(routers, switches));
        }
        out.append("topology gen\n\n");
        for (N n : concat(concat(routers, hosts), concat(children, switches))) {
            out.append("node ").append(n.name).append(" {\n");
            if (n.forwarding) {
                out.append("  forwarding\n");
            }
            n.lines.forEach(l -> out.append("  ").append(l).append('\n'));
            out.append("}\n\n");
        }
        links.forEach(l -> out.append("link ").append(l).append('\n'));
        return out.toString();
    }

    /**
     * Forwarding written as a sysctl (ip_forward, conf.all) and switched off on one interface; rp_filter strict or
     * loose; arp_ignore 1, arp_announce 2, proxy_arp; an address on a down interface of a router; a host's extra
     * address on lo in its own subnet (answered by ARP through the weak host model, unless arp_ignore), sometimes
     * with lo down; a VXLAN whose remote is that lo address rather than the peer's `local`.
     */
    private void settings(List<N> routers, List<N> hosts, List<N> single) {
        for (N x : routers) {
            if (x.forwarding && chance(30)) {
                x.forwarding = false;
                x.lines.add(0, "sysctl " + pick("net.ipv4.ip_forward", "net.ipv4.conf.all.forwarding") + " 1");
            }
            if (chance(12)) {
                x.lines.add("sysctl net.ipv4.conf." + someIface(x) + ".forwarding 0");
            }
            if (chance(12)) {
                x.lines.add("sysctl net.ipv4.conf." + someIface(x) + ".proxy_arp 1");
            }
            if (chance(10)) {
                x.lines.add("iface d0 { address 10.5" + x.name.substring(1) + ".0.1/24  up false }");
            }
        }
        for (N x : concat(routers, hosts)) {
            if (chance(12)) {
                x.lines.add("sysctl net.ipv4.conf." + (chance(50) ? "all" : someIface(x)) + ".rp_filter " + pick("1", "2"));
            }
            if (chance(10)) {
                x.lines.add("sysctl net.ipv4.conf." + (chance(50) ? "all" : someIface(x)) + "." + pick("arp_ignore 1", "arp_ignore 2", "arp_ignore 3", "arp_ignore 8", "arp_announce 1", "arp_announce 2"));
            }
        }
        for (int i = 0; i < hosts.size(); i++) {
            N h = hosts.get(i);
            if (chance(20)) {
                int s = h.on.keySet().iterator().next();
                String addr = "10." + s + ".0." + (200 + i);
                h.lines.add("lo { address " + addr + "/32" + (chance(30) ? "  up false" : "") + " }");
                h.on.put(-1, new String[] {"lo", addr});
            }
        }
        if (single.size() >= 2 && single.get(1).on.containsKey(-1) && chance(50)) {
            N b = single.get(1);
            String other = b.on.get(-1)[1];
            for (int i = 0; i < single.get(0).lines.size(); i++) {
                String l = single.get(0).lines.get(i);
                if (l.startsWith("vxlan vx ")) {
                    single.get(0).lines.set(i, l.replaceFirst(" remote [0-9.]+ ", " remote " + other + " "));
                }
            }
        }
    }

    /**
     * Netfilter where frames are bridged: a Docker-style DNAT of tcp 8080 to a host on a router's own bridge (another
     * host of that bridge asking the router's address is the hairpin), and a forward chain on a switch node (which
     * routes nothing: only bridged frames can meet it, with br_netfilter on).
     */
    private void bridgeRules(Map<N, List<End>> bridged, List<N> switches, int segs) {
        bridged.forEach((owner, ports) -> {
            List<End> hosts = ports.stream().filter(x -> !x.node().router).toList();
            if (!hosts.isEmpty() && chance(30)) {
                owner.lines.add("nat dnat tcp port 8080 to " + hosts.get(r.nextInt(hosts.size())).address());
            }
        });
        for (N x : switches) {
            if (chance(15)) {
                x.lines.add(chain("forward", segs));
            }
        }
    }

    /**
     * br_netfilter (drawn after {@link #families}: sysctl lines only): on a node that owns a bridge and has filter or
     * NAT rules, sometimes {@code bridge-nf-call-iptables 1}, sometimes {@code bridge-nf-call-ip6tables 1}, so that
     * bridged frames cross its conntrack, DNAT, forward chain and masquerade.
     */
    private void bridgeNetfilter(List<N> nodes) {
        for (N x : nodes) {
            boolean bridge = x.lines.stream().anyMatch(l -> l.startsWith("bridge "));
            boolean rules = x.lines.stream().anyMatch(l -> l.startsWith("firewall ") || l.startsWith("nat "));
            if (!bridge || !rules) {
                continue;
            }
            if (chance(50)) {
                x.lines.add("sysctl net.bridge.bridge-nf-call-iptables 1");
            }
            if (chance(40)) {
                x.lines.add("sysctl net.bridge.bridge-nf-call-ip6tables 1");
            }
        }
    }

    /** The prefixes {@link #errorRoutes} may route: traceroute targets whose answers are ICMP errors (or none). */
    static final List<String> ERROR_TARGETS = List.of("10.91.0.1", "10.92.0.1", "10.93.0.1");
    /** With their IPv6 twins (fd00:91::/64 …, as {@link #families} writes the routes): ICMPv6 no route, admin prohibited, none. */
    static final List<String> ERROR_TARGETS_DUAL = List.of("10.91.0.1", "10.92.0.1", "10.93.0.1", "fd00:91::1", "fd00:92::1", "fd00:93::1");

    /**
     * Routes whose packets end in ICMP errors: unreachable (host unreachable), prohibit (admin prohibited), blackhole
     * (silent), on some routers; elsewhere those prefixes have no route (net unreachable from a forwarding router).
     */
    private void errorRoutes(List<N> routers) {
        for (N x : routers) {
            if (chance(25)) {
                x.lines.add(pick("route unreachable 10.91.0.0/24", "route prohibit 10.92.0.0/24", "route blackhole 10.93.0.0/24"));
            }
        }
    }

    /**
     * IPv6 (drawn last, so the IPv4 shapes stay what they were): sometimes dual-stack, every IPv4 address, route and
     * tunnel address gaining its IPv6 twin (10.S.0.H/24 is fd00:S::H/64; the VXLAN underlay stays IPv4), sometimes
     * IPv6 only (the IPv4 addresses and routes replaced; not with a VXLAN, whose underlay is IPv4). The IPv4-only
     * settings stay (rp_filter, arp_*, proxy_arp, a masquerade or filter `from` an IPv4 subnet), so a dual-stack
     * router forwards IPv6 by {@code forwarding} or net.ipv6.conf.all.forwarding only, not by ip_forward.
     */
    private void families(List<N> routers, List<N> all) {
        int mode = r.nextInt(100);
        boolean vxlan = all.stream().anyMatch(n -> n.lines.stream().anyMatch(l -> l.startsWith("vxlan ")));
        boolean dual = mode < 35;
        boolean only6 = !dual && mode < 45 && !vxlan;
        if (!dual && !only6) {
            return;
        }
        for (N x : all) {
            List<String> lines = new ArrayList<>();
            for (String l : x.lines) {
                if (only6) {
                    lines.add(l.startsWith("sysctl ") ? l : six(l)); // addresses, routes, NAT and filters alike
                } else if (l.startsWith("route ")) {
                    lines.add(l);
                    lines.add(six(l));
                } else if (l.contains("address 10.")) {
                    int brace = Math.max(0, l.indexOf("{"));
                    lines.add(l.substring(0, brace) + withTwins(l.substring(brace))); // a vxlan's underlay stays IPv4
                } else {
                    lines.add(l);
                }
            }
            x.lines.clear();
            x.lines.addAll(lines);
        }
        for (N x : routers) {
            if (x.forwarding || !chance(40)) {
                continue;
            }
            // a router that forwards IPv4 by sysctl: IPv6 needs its own key (sometimes on one interface only, which does nothing)
            x.lines.add(0, chance(70) ? "sysctl net.ipv6.conf.all.forwarding 1"
                    : "sysctl net.ipv6.conf." + someIface(x) + ".forwarding 1");
        }
    }

    private static final java.util.regex.Pattern V4 = java.util.regex.Pattern.compile("10\\.(\\d+)\\.0\\.(\\d+)(/(24|32))?");

    /** Every 10.S.0.H[/24|/32] in {@code l} as fd00:S::H[/64|/128] (a network 10.S.0.0/24 as fd00:S::/64). */
    private static String six(String l) {
        java.util.regex.Matcher m = V4.matcher(l);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String host = m.group(2).equals("0") && "24".equals(m.group(4)) ? "" : m.group(2);
            String len = m.group(4) == null ? "" : m.group(4).equals("24") ? "/64" : "/128";
            m.appendReplacement(b, "fd00:" + m.group(1) + "::" + host + len);
        }
        m.appendTail(b);
        return b.toString();
    }

    /** {@code address A/24} becomes {@code address A/24 A6/64}. */
    private static String withTwins(String l) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("address (10\\.\\d+\\.0\\.\\d+/(24|32))").matcher(l);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(b, "address " + m.group(1) + " " + six(m.group(1)));
        }
        m.appendTail(b);
        return b.toString();
    }

    /** MTUs: sometimes one end of a cable (the ends then differ), sometimes a whole link. */
    private void mtus(List<N> nodes, List<String> links) {
        if (chance(12)) {
            N x = nodes.get(r.nextInt(nodes.size()));
            for (int i = 0; i < x.lines.size(); i++) {
                String l = x.lines.get(i);
                if (l.startsWith("iface e") && l.endsWith(" }")) {
                    x.lines.set(i, l.substring(0, l.length() - 2) + "  mtu " + pick("1400", "1480") + " }");
                    break;
                }
            }
        }
        if (!links.isEmpty() && chance(12)) {
            int i = r.nextInt(links.size());
            links.set(i, links.get(i) + " { mtu 1400 }");
        }
    }

    private String someIface(N x) {
        List<String[]> on = x.on.values().stream().filter(v -> !v[0].equals("lo")).toList();
        return on.get(r.nextInt(on.size()))[0];
    }

    private void attach(N n, int s, int[] nextHost, List<List<End>> ends) {
        String addr = "10." + s + ".0." + nextHost[s]++;
        n.on.put(s, new String[] {"e" + s, addr});
        ends.get(s).add(new End(n, "e" + s, addr));
    }

    private static void declare(End e, String extra) {
        e.node().lines.add("iface " + e.iface() + " { address " + e.address() + "/24" + (extra == null ? "" : extra) + " }");
    }

    private static void vxlan(N self, N peer, int vni, int octet) {
        String[] mine = self.on.values().iterator().next();
        String[] theirs = peer.on.values().iterator().next();
        self.lines.add("vxlan vx vni " + vni + " local " + mine[1] + " remote " + theirs[1] + " dev " + mine[0]
                + " port 4789 { address 10.99.0." + octet + "/24 }");
    }

    private String chain(String name, int segs) {
        StringBuilder b = new StringBuilder("firewall " + name + " policy " + pick("accept", "accept", "drop") + " {");
        int rules = 1 + r.nextInt(3);
        for (int i = 0; i < rules; i++) {
            String net = "10." + (1 + r.nextInt(segs)) + ".0.0/24";
            b.append("  ").append(pick("accept state established,related", "accept proto icmp", "drop from " + net,
                    "reject to " + net, "drop proto icmp from " + net, "accept from " + net));
        }
        return b.append(" }").toString();
    }

    /** The address, on a shared segment, of the first router on a shortest path of routers from x to segment s. */
    private static String nextHop(N x, int s, List<N> routers) {
        Map<N, N> firstHop = new LinkedHashMap<>();
        Deque<N> queue = new ArrayDeque<>();
        for (N y : routers) {
            if (y != x && shared(x, y) >= 0) {
                firstHop.put(y, y);
                queue.add(y);
            }
        }
        while (!queue.isEmpty()) {
            N y = queue.poll();
            if (y.on.containsKey(s)) {
                N h = firstHop.get(y);
                return h.on.get(shared(x, h))[1];
            }
            for (N z : routers) {
                if (z != x && !firstHop.containsKey(z) && shared(y, z) >= 0) {
                    firstHop.put(z, firstHop.get(y));
                    queue.add(z);
                }
            }
        }
        return null;
    }

    private static int shared(N a, N b) {
        for (int s : a.on.keySet()) {
            if (b.on.containsKey(s)) {
                return s;
            }
        }
        return -1;
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> l = new ArrayList<>(a);
        l.addAll(b);
        return l;
    }

    private String pick(String... options) {
        return options[r.nextInt(options.length)];
    }
}
