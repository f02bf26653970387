package dev.topoc.live.read;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The raw state of one namespace as the kernel reports it, kept as Jackson trees so that tests build a dump
 * from captured text: {@code ip -j -d} arrays of links, addresses, IPv4 and IPv6 routes (every table) and rules,
 * the {@code nft -j list ruleset} array
 * (null when nft is missing), the sysctls the language sets, and each interface's {@code addr_assign_type} by
 * ifindex (3: the MAC was set by hand, anything else: the kernel chose it); for {@code import}, also the text of
 * {@code iptables-save} and {@code ip6tables-save} after the JSON (empty otherwise).
 *
 * <p>One shell enters the namespace ({@code ip netns exec NS sh -c …}: the namespace {@code nsenter --net} would
 * enter, plus a private sysfs of that namespace, which sysfs shows only to whoever mounts it) and prints every part
 * as one JSON value after the other: one {@code ip -batch} for the links, addresses, routes of both families and IPv4
 * rules, {@code ip -6 rule} (a batch line cannot carry {@code -6}), nft, the sysctls as one JSON object (read with the
 * shell's {@code read}: no process per value), then the MAC assignment types from that sysfs. {@link Parts} leaves
 * out what {@code plan} and {@code up} do not need (a lean dump is entered with {@code nsenter --net}).
 */
public record NamespaceDump(String namespace, JsonNode links, JsonNode addresses, JsonNode routes4, JsonNode rules4,
        JsonNode routes6, JsonNode rules6, JsonNode nft, JsonNode sysctl, JsonNode macAssignType,
        String iptablesSave) {

    /** The sysctls read, each with its value in a fresh namespace of this kernel: only a differing one is reported. */
    static final Map<String, String> SYSCTL_DEFAULTS = defaults();

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("net.ipv4.ip_forward", "0");
        d.put("net.ipv6.conf.all.forwarding", "0");
        d.put("net.ipv4.conf.all.rp_filter", "0");
        d.put("net.ipv4.conf.default.rp_filter", "0");
        d.put("net.ipv4.conf.all.proxy_arp", "0");
        d.put("net.ipv4.conf.all.send_redirects", "1");
        d.put("net.ipv4.conf.all.accept_redirects", "1");
        d.put("net.ipv4.conf.all.route_localnet", "0");
        d.put("net.ipv4.conf.all.arp_ignore", "0");
        d.put("net.ipv4.conf.all.arp_announce", "0");
        d.put("net.ipv4.ip_nonlocal_bind", "0");
        d.put("net.ipv4.icmp_echo_ignore_all", "0");
        d.put("net.ipv4.icmp_echo_ignore_broadcasts", "1");
        d.put("net.ipv6.conf.all.force_forwarding", "0");
        d.put("net.ipv6.conf.all.disable_ipv6", "0");
        d.put("net.ipv6.conf.default.disable_ipv6", "0");
        // br_netfilter's switches (absent without the module: read empty, left out): a fresh namespace has them at 1
        // once the module is loaded, but 0 is what topoc's backends write unless the file says otherwise, so 0 is the
        // value that needs no line and a 1 is read back as the line that makes the simulator and a rebuilt lab agree
        for (String k : dev.topoc.compiler.model.Sysctls.BRIDGE_NETFILTER) {
            d.put(k, "0");
        }
        return java.util.Collections.unmodifiableMap(d);
    }

    /**
     * The per-interface keys read ({@code net.ipv4.conf.IF.KEY}, for every interface of the namespace), each with its
     * value on an interface of a fresh namespace of this kernel; null: the value follows the namespace's own
     * ({@code forwarding} is copied from {@code ip_forward} to every interface when that changes). These are the
     * per-interface keys the simulator models (compiler/analysis/Sysctls).
     */
    static final Map<String, String> PER_INTERFACE4 = perInterface4();
    /**
     * The same for {@code net.ipv6.conf.IF.KEY}: the forwarding keys follow {@code net.ipv6.conf.all.KEY} (writing it
     * copies it); {@code accept_redirects} has its own fresh value.
     */
    static final Map<String, String> PER_INTERFACE6 = perInterface6();

    private static Map<String, String> perInterface4() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("forwarding", null);
        d.put("rp_filter", "0");
        d.put("route_localnet", "0");
        d.put("arp_ignore", "0");
        d.put("arp_announce", "0");
        d.put("proxy_arp", "0");
        d.put("accept_redirects", "1");
        d.put("send_redirects", "1");
        return java.util.Collections.unmodifiableMap(d);
    }

    private static Map<String, String> perInterface6() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("forwarding", null);
        d.put("force_forwarding", null);
        d.put("accept_redirects", "1"); // 1 on a fresh interface, forwarding or not; writing conf.all does not copy it (measured)
        return java.util.Collections.unmodifiableMap(d);
    }

    /**
     * The value {@code key} has when nothing set it: for a per-interface key of {@link #PER_INTERFACE4} or
     * {@link #PER_INTERFACE6}, its fresh value or the namespace's value it follows ({@code namespaceValue} gives the
     * namespace-wide keys' values, e.g. {@code net.ipv4.ip_forward}); for a key of {@link #SYSCTL_DEFAULTS}, that
     * default; null for any other key.
     */
    public static String defaultValue(String key, java.util.function.Function<String, String> namespaceValue) {
        for (String family : List.of("net.ipv4.conf.", "net.ipv6.conf.")) {
            if (!key.startsWith(family)) {
                continue;
            }
            String rest = key.substring(family.length());
            int dot = rest.lastIndexOf('.');
            String iface = dot <= 0 ? "" : rest.substring(0, dot);
            String k = rest.substring(dot + 1);
            boolean v4 = family.equals("net.ipv4.conf.");
            Map<String, String> keys = v4 ? PER_INTERFACE4 : PER_INTERFACE6;
            if (iface.isEmpty() || iface.equals("all") || iface.equals("default") || !keys.containsKey(k)) {
                break;
            }
            String fixed = keys.get(k);
            if (fixed != null) {
                return fixed;
            }
            String all = v4 ? "net.ipv4.ip_forward" : "net.ipv6.conf.all." + k;
            return java.util.Objects.requireNonNullElse(namespaceValue.apply(all), SYSCTL_DEFAULTS.get(all));
        }
        if (key.equals("net.ipv4.conf.all.accept_redirects")) {
            // switching ip_forward on writes all.accept_redirects = 0 (inet_forward_change; measured), and off 1
            return "1".equals(namespaceValue.apply("net.ipv4.ip_forward")) ? "0" : "1";
        }
        return SYSCTL_DEFAULTS.get(key);
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    static final JsonNode EMPTY = JSON.createArrayNode();

    /**
     * What a dump reads. {@link #FULL} is everything the model has (what {@code import}, {@code inspect} and the
     * read-back tests use), through one shell per namespace ({@link #script(Parts)}). {@link #LEAN} is what
     * {@code plan} and {@code up} need, in the processes of the reference shell loop of bench/README.md: one
     * {@code nsenter --net=… ip -j -d -batch -} per namespace ({@code nsenter} becomes {@code ip}), its batch on
     * standard input ({@link #LEAN_BATCH}). The differ takes a node's nftables listing and the sysctls the file or
     * record names from {@code Observer}'s own read, and changes a MAC only when the file sets one, so a lean dump
     * has no {@code nft -j} (null), no sysctls (an empty object), no sysfs pass (the MAC assignment types are null:
     * every MAC is reported), and IPv6 rules only when {@code rules6} is asked (a second process,
     * {@code ip -6 rule}: a batch line cannot carry {@code -6}).
     */
    public record Parts(boolean sysfs, boolean nft, boolean rules6, boolean iptables) {
        public static final Parts FULL = new Parts(true, true, true, false);
        public static final Parts IMPORT = new Parts(true, true, true, true);
        public static final Parts LEAN = new Parts(false, false, false, false);

        public static Parts lean(boolean rules6) {
            return new Parts(false, false, rules6, false);
        }
    }

    /** The batch of a lean dump: links, addresses, routes of both families ({@code root ::/0} selects IPv6), rules. */
    static final String LEAN_BATCH = "link show\naddr show\nroute show table all root 0.0.0.0/0\nrule show\n"
            + "route show table all root ::/0\n";

    /** The commands of a lean dump of {@code ns}, each with its standard input (null: none). */
    static List<Map.Entry<List<String>, String>> leanCommands(String ns, boolean rules6) {
        List<Map.Entry<List<String>, String>> cmds = new ArrayList<>();
        cmds.add(Map.entry(entered(ns, List.of("ip", "-j", "-d", "-batch", "-")), LEAN_BATCH));
        if (rules6) {
            cmds.add(Map.entry(entered(ns, List.of("ip", "-6", "-j", "-d", "rule", "show")), ""));
        }
        return cmds;
    }

    private static List<String> entered(String ns, List<String> cmd) {
        List<String> all = new ArrayList<>();
        if (!ns.isEmpty()) {
            all.add("nsenter");
            all.add("--net=/run/netns/" + ns);
        }
        all.addAll(cmd);
        return all;
    }

    /** A lean dump of {@code ns} (see {@link Parts}). */
    static NamespaceDump lean(String ns, boolean rules6) {
        StringBuilder raw = new StringBuilder();
        for (Map.Entry<List<String>, String> c : leanCommands(ns, rules6)) {
            raw.append(run(ns, c.getKey(), c.getValue())).append('\n');
        }
        if (!rules6) {
            raw.append("[]\n");
        }
        raw.append("null\n{}\nnull\n"); // nft, sysctls, MAC assignment types
        return parse(ns, raw.toString());
    }

    /**
     * A lean dump without IPv6 rules from the standard output of {@code ip -j -d -batch -} of {@link #LEAN_BATCH} in
     * {@code ns}, run by someone else ({@link BatchDumps}).
     */
    static NamespaceDump leanFromBatch(String ns, String batchOutput) {
        return parse(ns, batchOutput + "\n[]\nnull\n{}\nnull\n"); // IPv6 rules, nft, sysctls, MAC assignment types
    }

    /** {@link #script(Parts)} of {@link Parts#FULL}, or of {@link Parts#IMPORT} with {@code iptables}. */
    static String script(boolean iptables) {
        return script(iptables ? Parts.IMPORT : Parts.FULL);
    }

    /**
     * The shell script run inside the namespace; its standard output is what {@link #parse} reads. The processes:
     * the shell, one {@code ip -j -d -batch} (links, addresses, routes of both families in every table — {@code root
     * ::/0} selects IPv6 in a batch line — and IPv4 rules; a here-document, which the shell writes without a
     * process), and only as {@code parts} asks: {@code ip -6 rule}, {@code nft -j}, the {@code *-save} tools. The
     * sysctls and sysfs values are read with the shell's {@code read}: no process per value.
     */
    static String script(Parts parts) {
        StringJoiner keys = new StringJoiner(",", "{", "}");
        StringBuilder reads = new StringBuilder();
        StringJoiner values = new StringJoiner(" ");
        int n = 0;
        for (String k : SYSCTL_DEFAULTS.keySet()) {
            keys.add("\"" + k + "\":\"%s\"");
            // `read` is a shell builtin: no process per value
            reads.append("v").append(n).append("=; { read v").append(n).append(" < /proc/sys/").append(k.replace('.', '/'))
                    .append("; } 2>/dev/null\n");
            values.add("\"$v" + n++ + "\"");
        }
        return "ip -j -d -batch - <<'TOPOC_EOF' || exit 1\n"
                + "link show\naddr show\nroute show table all root 0.0.0.0/0\nrule show\nroute show table all root ::/0\n"
                + "TOPOC_EOF\n"
                + (parts.rules6() ? "ip -6 -j -d rule show || exit 1\n" : "echo '[]'\n")
                + (parts.nft() ? "if command -v nft >/dev/null; then nft -j list ruleset || exit 1; else echo null; fi\n"
                        : "echo null\n")
                + reads
                + "printf '" + keys.toString().substring(0, keys.length() - 1) + "' " + values + "\n"
                + perInterfaceReads("ipv4", PER_INTERFACE4.keySet()) + perInterfaceReads("ipv6", PER_INTERFACE6.keySet())
                + "printf '}\\n'\n"
                + (parts.sysfs()
                        ? "printf '{'; for d in /sys/class/net/*/; do read i < \"$d/ifindex\"; read t < \"$d/addr_assign_type\";"
                                + " printf '\"%s\":%s,' \"$i\" \"$t\"; done; printf '\"0\":0}\\n'\n"
                        : "echo null\n")
                + (parts.iptables() ? "if command -v iptables-save >/dev/null; then iptables-save || exit 1; ip6tables-save || exit 1; fi\n"
                        : "");
    }

    /**
     * A loop over the interfaces of {@code /proc/sys/net/FAMILY/conf} (all and default aside) printing
     * {@code ,"net.FAMILY.conf.IF.KEY":"VALUE"} for each key, with the shell's {@code read}: no process per value.
     */
    private static String perInterfaceReads(String family, java.util.Set<String> keys) {
        return "for d in /proc/sys/net/" + family + "/conf/*; do i=${d##*/}; case $i in all|default|'*') continue;; esac;"
                + " for k in " + String.join(" ", keys) + "; do v=; { read v < \"$d/$k\"; } 2>/dev/null;"
                + " printf ',\"net." + family + ".conf.%s.%s\":\"%s\"' \"$i\" \"$k\" \"$v\"; done; done\n";
    }

    /** Reads namespace {@code ns} (the empty string: the default namespace). */
    static NamespaceDump of(String ns, boolean iptables) {
        return parse(ns, capture(ns, iptables));
    }

    /** Reads namespace {@code ns} with {@code parts}. */
    public static NamespaceDump of(String ns, Parts parts) {
        if (!parts.sysfs() && !parts.nft() && !parts.iptables()) {
            return lean(ns, parts.rules6());
        }
        return parse(ns, capture(ns, parts));
    }

    /** The raw output of {@link #script(boolean)} in namespace {@code ns}: what tests keep as captured resources. */
    public static String capture(String ns, boolean iptables) {
        return capture(ns, iptables ? Parts.IMPORT : Parts.FULL);
    }

    /** The raw output of {@link #script(Parts)} in namespace {@code ns}. */
    public static String capture(String ns, Parts parts) {
        List<String> cmd = new ArrayList<>();
        if (!ns.isEmpty()) {
            if (parts.sysfs()) {
                // ip netns exec enters the namespace as nsenter --net does, and also mounts a sysfs of that namespace in
                // a private mount namespace (a copy of the machine's mount table, one mount per namespace under
                // /run/netns): one process where nsenter, unshare and mount would be three
                cmd.addAll(List.of("ip", "netns", "exec", ns));
            } else {
                cmd.add("nsenter");
                cmd.add("--net=/run/netns/" + ns);
            }
        }
        cmd.addAll(List.of("sh", "-c", script(parts)));
        return run(ns, cmd, "");
    }

    /** Runs {@code cmd} with {@code stdin}; its standard output, or a {@link ReadException} when it fails. */
    private static String run(String ns, List<String> cmd, String stdin) {
        try {
            Process p = new ProcessBuilder(cmd).start();
            try (var in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            // stdout first, then the (short) stderr: ip, nft and sh write errors only when they fail
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new ReadException("cannot read namespace " + (ns.isEmpty() ? "(default)" : ns) + ": " + err.strip());
            }
            return out;
        } catch (IOException e) {
            throw new ReadException("cannot read namespace " + ns + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReadException("interrupted while reading namespace " + ns);
        }
    }

    /**
     * {@code ip -j netns list-id} of namespace {@code ns}: which namespace each of its namespace ids names. Asked only
     * when the veth pairs alone do not say it ({@link ModelBuilder}): it opens every namespace under /run/netns, so
     * asking it of every namespace of a 1,000-node lab would cost a million look-ups.
     */
    static JsonNode nsids(String ns) {
        List<String> cmd = new ArrayList<>();
        if (!ns.isEmpty()) {
            cmd.addAll(List.of("nsenter", "--net=/run/netns/" + ns));
        }
        cmd.addAll(List.of("ip", "-j", "netns", "list-id"));
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new ReadException("cannot list the namespace ids of " + ns);
            }
            return JSON.readTree(out);
        } catch (IOException e) {
            throw new ReadException("cannot list the namespace ids of " + ns + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReadException("interrupted while reading namespace " + ns);
        }
    }

    /** Splits the output of {@link #script(Parts)} into its parts: one JSON tree after the other. */
    public static NamespaceDump parse(String ns, String raw) {
        List<JsonNode> parts = new ArrayList<>();
        String rest = "";
        try (JsonParser p = JSON.getFactory().createParser(raw)) {
            while (parts.size() < 9 && p.nextToken() != null) {
                parts.add(JSON.readTree(p));
            }
            rest = raw.substring((int) Math.min(raw.length(), p.currentLocation().getCharOffset()));
        } catch (IOException e) {
            throw new ReadException("namespace " + ns + ": unreadable JSON from ip/nft: " + e.getMessage());
        }
        if (parts.size() != 9) {
            throw new ReadException("namespace " + ns + ": expected 9 JSON values from ip/nft, got " + parts.size());
        }
        return new NamespaceDump(ns, parts.get(0), parts.get(1), parts.get(2), parts.get(3), parts.get(4), parts.get(5),
                parts.get(6), parts.get(7), parts.get(8), rest.strip());
    }

    /** The namespaces under /run/netns. */
    static List<String> namespaces() {
        try (Stream<Path> s = Files.list(Path.of("/run/netns"))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Reading the kernel failed (a namespace vanished, a tool is missing): a one-line message. */
    public static final class ReadException extends RuntimeException {
        public ReadException(String message) {
            super(message);
        }
    }
}
