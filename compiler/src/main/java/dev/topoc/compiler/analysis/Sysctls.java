package dev.topoc.compiler.analysis;

import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.Node;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The kernel settings of one node as its namespace holds them once the backends have applied them:
 * {@code forwarding} first (it writes {@code net.ipv4.ip_forward=1} and {@code net.ipv6.conf.all.forwarding=1}),
 * then the node's {@code sysctl} keys in the order written, after its interfaces exist. Validation and the
 * simulator read settings only through this class, so what one models the other believes.
 *
 * <p>How the kernel combines them (each measured on this project's kernel in throw-away namespaces):
 * IPv4 forwarding is decided per <em>incoming</em> interface ({@code conf.IF.forwarding}); writing
 * {@code ip_forward} or {@code conf.all.forwarding} copies the value to every interface, but only when it
 * changes the global value. {@code rp_filter} and {@code arp_ignore}/{@code arp_announce} use the larger of
 * {@code all} and the interface's value; {@code route_localnet} and {@code proxy_arp} are on when either is.
 * IPv6 forwarding is the single {@code net.ipv6.conf.all.forwarding} (ip6_forward reads devconf_all; an interface's
 * {@code net.ipv6.conf.IF.forwarding} changes only router/host behaviour towards RAs and NDP flags, measured: a
 * packet arriving on an interface with forwarding 0 is still forwarded when all is 1, and not when all is 0), or,
 * since Linux 6.17, {@code net.ipv6.conf.IF.force_forwarding} of the <em>incoming</em> interface (writing
 * {@code conf.all.force_forwarding} copies it to every interface). {@code conf.default.*} keys (they act
 * only on interfaces created later, so on nothing a backend builds) and other keys are not modelled:
 * {@link #modelled(String)} says which are, and validation warns about the rest.
 */
public final class Sysctls {
    /** The keys the simulator models, as documentation and diagnostics list them (IF: an interface of the node). */
    public static final List<String> MODELLED = List.of(
            "net.ipv4.ip_forward", "net.ipv4.conf.all|IF.forwarding", "net.ipv6.conf.all|IF.forwarding",
            "net.ipv6.conf.all|IF.force_forwarding", "net.ipv6.conf.all|IF.accept_redirects",
            "net.ipv4.conf.all|IF.rp_filter", "net.ipv4.conf.all|IF.route_localnet",
            "net.ipv4.conf.all|IF.arp_ignore", "net.ipv4.conf.all|IF.arp_announce", "net.ipv4.conf.all|IF.proxy_arp",
            "net.ipv4.conf.all|IF.accept_redirects", "net.ipv4.conf.all|IF.send_redirects", "net.ipv4.icmp_echo_ignore_broadcasts",
            "net.bridge.bridge-nf-call-iptables|ip6tables|arptables");

    private static final Set<String> PER_INTERFACE = Set.of("forwarding", "rp_filter", "route_localnet", "arp_ignore",
            "arp_announce", "proxy_arp", "accept_redirects", "send_redirects");

    /**
     * The IPv6 per-interface keys: {@code forwarding} (no effect on forwarding itself; an interface that has it does not
     * follow redirects), {@code force_forwarding} and {@code accept_redirects} ({@code all}: no effect, measured).
     */
    private static final Set<String> PER_INTERFACE6 = Set.of("forwarding", "force_forwarding", "accept_redirects");
    private static final String ECHO_BROADCASTS = "net.ipv4.icmp_echo_ignore_broadcasts";

    private boolean forward4;
    /** icmp_echo_ignore_broadcasts: 1 by default (measured). */
    private boolean ignoreBroadcasts = true;
    private boolean forward6;
    /** net.bridge.bridge-nf-call-iptables: 0 unless written (the backends pin it in every namespace they build). */
    private boolean bridgeNf4;
    /** net.bridge.bridge-nf-call-ip6tables: 0 unless written, likewise. */
    private boolean bridgeNf6;
    /** net.ipv6.conf.IF.force_forwarding (conf.all included, under "all"). */
    private final Map<String, Integer> force6 = new HashMap<>();
    /** net.ipv6.conf.IF.forwarding by interface (0 unless written; writing conf.all copies it to every interface). */
    private final Map<String, Integer> forward6If = new HashMap<>();
    /** net.ipv6.conf.IF.accept_redirects by interface (1 unless written). */
    private final Map<String, Integer> acceptRedirects6 = new HashMap<>();
    /** conf.IF.KEY values (conf.all included, under "all"), by key then interface. */
    private final Map<String, Map<String, Integer>> conf = new HashMap<>();

    private Sysctls() {}

    /** The settings of {@code n} (an external node too: it forwards only when the file says so). */
    public static Sysctls of(Node n) {
        Sysctls s = new Sysctls();
        if (n.forwarding()) {
            s.setForward4(n, 1);
            s.setForward6(n, 1);
        }
        n.sysctl().forEach((k, v) -> s.apply(n, k, v));
        return s;
    }

    /**
     * Whether the simulator models {@code key} as written on {@code n} (an interface key must name one of
     * its interfaces, or {@code all}). {@code value} matters to no key today (kept for keys modelled at one value only).
     */
    public static boolean modelled(Node n, String key, String value) {
        if (key.equals("net.ipv4.ip_forward") || key.equals("net.ipv6.conf.all.forwarding") || key.equals(ECHO_BROADCASTS)) {
            return true;
        }
        if (key.startsWith("net.bridge.bridge-nf-call-")) {
            // iptables / ip6tables: bridged IPv4 / IPv6 crosses the node's netfilter (modelled, measured); arptables:
            // no arp-family rules are generated, so nothing to cross
            String which = key.substring("net.bridge.bridge-nf-call-".length());
            return which.equals("iptables") || which.equals("ip6tables") || which.equals("arptables");
        }
        String[] six = split(key, "net.ipv6.conf.");
        if (six != null) {
            return PER_INTERFACE6.contains(six[1]) && (six[0].equals("all") || n.iface(six[0]).isPresent());
        }
        String[] p = ipv4Conf(key);
        if (p == null || !PER_INTERFACE.contains(p[1]) || !p[0].equals("all") && n.iface(p[0]).isEmpty()) {
            return false;
        }
        return true;
    }

    /** [interface or "all", key] of a {@code net.ipv4.conf.IF.KEY} key, else null. */
    private static String[] ipv4Conf(String key) {
        return split(key, "net.ipv4.conf.");
    }

    /** [interface or "all", key] of a {@code PREFIX IF.KEY} key, else null. */
    private static String[] split(String key, String prefix) {
        if (!key.startsWith(prefix)) {
            return null;
        }
        String rest = key.substring(prefix.length());
        int dot = rest.lastIndexOf('.');
        return dot <= 0 ? null : new String[] {rest.substring(0, dot), rest.substring(dot + 1)};
    }

    private void apply(Node n, String key, String value) {
        int v;
        try {
            v = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return;
        }
        if (key.equals("net.ipv4.ip_forward") || key.equals("net.ipv4.conf.all.forwarding")) {
            setForward4(n, v);
            return;
        }
        if (key.equals("net.ipv6.conf.all.forwarding")) {
            setForward6(n, v);
            return;
        }
        String[] six = split(key, "net.ipv6.conf.");
        if (six != null) {
            if (six[1].equals("forwarding") && !six[0].equals("default")) {
                forward6If.put(six[0], v);
            } else if (six[1].equals("accept_redirects") && !six[0].equals("all") && !six[0].equals("default")) {
                acceptRedirects6.put(six[0], v); // conf.all.accept_redirects is not copied and not read (measured)
            } else if (six[1].equals("force_forwarding")) {
                force6.put(six[0], v);
                if (six[0].equals("all")) { // copied to every interface (measured)
                    n.interfaces().forEach(i -> force6.put(i.name(), v));
                }
            }
            return; // conf.IF.forwarding: no effect on forwarding (see the class comment), only on redirects
        }
        if (key.equals(ECHO_BROADCASTS)) {
            ignoreBroadcasts = v != 0;
            return;
        }
        if (key.equals("net.bridge.bridge-nf-call-iptables")) {
            bridgeNf4 = v != 0;
            return;
        }
        if (key.equals("net.bridge.bridge-nf-call-ip6tables")) {
            bridgeNf6 = v != 0;
            return;
        }
        String[] p = ipv4Conf(key);
        if (p != null && PER_INTERFACE.contains(p[1]) && !p[0].equals("default")) {
            conf(p[1]).put(p[0], v);
        }
    }

    /** inet_forward_change: a change of the global value is copied to every interface. */
    private void setForward4(Node n, int v) {
        boolean on = v != 0;
        if (on == forward4) {
            return;
        }
        forward4 = on;
        Map<String, Integer> f = conf("forwarding");
        f.put("all", on ? 1 : 0);
        for (Interface i : n.interfaces()) {
            f.put(i.name(), on ? 1 : 0);
        }
    }

    /**
     * net.ipv6.conf.all.forwarding: the one IPv6 forwarding switch, copied to every interface's conf.IF.forwarding on
     * every write (addrconf_forward_change; measured: writing 0 over 0 resets an interface's 1), unlike IPv4.
     */
    private void setForward6(Node n, int v) {
        forward6 = v != 0;
        forward6If.put("all", v);
        for (Interface i : n.interfaces()) {
            forward6If.put(i.name(), v);
        }
    }

    private Map<String, Integer> conf(String key) {
        return conf.computeIfAbsent(key, k -> new HashMap<>());
    }

    private int value(String key, String iface) {
        Map<String, Integer> m = conf.get(key);
        return m == null ? 0 : m.getOrDefault(iface, 0);
    }

    private int max(String key, String iface) {
        return Math.max(value(key, "all"), value(key, iface));
    }

    /** {@code net.ipv4.icmp_echo_ignore_broadcasts} (1 unless written): echo requests to a broadcast address get no answer. */
    public boolean ignoresEchoBroadcasts() {
        return ignoreBroadcasts;
    }

    /**
     * {@code net.bridge.bridge-nf-call-iptables} 1 ({@code ipv6}: {@code bridge-nf-call-ip6tables} 1): bridged
     * frames of that family cross the node's netfilter, IPv6 neighbour discovery included (measured).
     */
    public boolean bridgeNfCall(boolean ipv6) {
        return ipv6 ? bridgeNf6 : bridgeNf4;
    }

    /** Whether a packet of this family that arrives on {@code iif} may be forwarded. */
    public boolean forwards(String iif, boolean ipv6) {
        return ipv6 ? forward6 || force6.getOrDefault(iif, 0) != 0 : value("forwarding", iif) != 0;
    }

    /** Whether the node forwards this family on any interface (what a gateway needs, at least somewhere). */
    public boolean forwardsAnywhere(Node n, boolean ipv6) {
        if (ipv6) {
            return forward6 || n.interfaces().stream().anyMatch(i -> force6.getOrDefault(i.name(), 0) != 0);
        }
        return n.interfaces().stream().anyMatch(i -> value("forwarding", i.name()) != 0);
    }

    /** Reverse-path filter on {@code iif}: 0 off, 1 strict, 2 loose. */
    public int rpFilter(String iif) {
        int v = max("rp_filter", iif);
        return v < 0 || v > 2 ? 0 : v;
    }

    public boolean routeLocalnet(String iif) {
        return max("route_localnet", iif) != 0;
    }

    public int arpIgnore(String dev) {
        return max("arp_ignore", dev);
    }

    public int arpAnnounce(String dev) {
        return max("arp_announce", dev);
    }

    /**
     * IN_DEV_TX_REDIRECTS: {@code send_redirects} of {@code all} or of {@code dev} (either; 1 by default): a router
     * forwarding a packet out the interface it came in on sends the sender an ICMP redirect.
     */
    public boolean sendRedirects(String dev) {
        Map<String, Integer> m = conf.get("send_redirects");
        return m == null || m.getOrDefault("all", 1) != 0 || m.getOrDefault(dev, 1) != 0;
    }

    /**
     * IN_DEV_RX_REDIRECTS: {@code accept_redirects} (1 by default) of {@code all} or {@code dev} on a host (either;
     * measured: all 0 and e0 1 still accepts), of both on an interface that forwards.
     */
    public boolean acceptRedirects(String dev) {
        Map<String, Integer> m = conf.get("accept_redirects");
        boolean all = m == null || m.getOrDefault("all", 1) != 0;
        boolean own = m == null || m.getOrDefault(dev, 1) != 0;
        return value("forwarding", dev) != 0 ? all && own : all || own;
    }

    /**
     * Whether an IPv6 redirect received on {@code dev} is followed (rt6_do_redirect): the interface's own
     * {@code accept_redirects} is 1 (the default) and its own {@code forwarding} is 0. Measured on this kernel:
     * {@code conf.all.accept_redirects 0} alone still follows, {@code conf.e0.accept_redirects 0} does not whatever all
     * says; {@code conf.all.forwarding 1} (it sets e0's forwarding too) or {@code conf.e0.forwarding 1} alone does not,
     * and {@code conf.all.forwarding 1} then {@code conf.e0.forwarding 0} follows again.
     */
    public boolean acceptRedirects6(String dev) {
        return acceptRedirects6.getOrDefault(dev, 1) != 0 && !forwarding6(dev);
    }

    /** {@code net.ipv6.conf.IF.forwarding} as the interface holds it (no effect on forwarding: see the class comment). */
    public boolean forwarding6(String dev) {
        return forward6If.getOrDefault(dev, 0) != 0;
    }

    public boolean proxyArp(String dev) {
        return max("proxy_arp", dev) != 0;
    }
}
