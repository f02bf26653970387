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
 * the namespace ids of the peers' namespaces ({@code netns list-id}), the {@code nft -j list ruleset} array
 * (null when nft is missing), the sysctls the language sets, and each interface's {@code addr_assign_type} by
 * ifindex (3: the MAC was set by hand, anything else: the kernel chose it); for {@code import}, also the text of
 * {@code iptables-save} and {@code ip6tables-save} after the JSON (empty otherwise).
 *
 * <p>One process enters the namespace ({@code nsenter --net=/run/netns/NS sh -c …}, as {@code apply.sh} does)
 * and prints every part as one JSON value after the other: one {@code ip -batch} for IPv4 and the links, one for
 * IPv6 routes and rules (a batch line cannot carry {@code -6}), nft, the sysctls as one JSON object, then the MAC
 * assignment types from a private sysfs mount (sysfs shows the namespace of whoever mounts it).
 */
public record NamespaceDump(String namespace, JsonNode links, JsonNode addresses, JsonNode routes4, JsonNode rules4,
        JsonNode nsids, JsonNode routes6, JsonNode rules6, JsonNode nft, JsonNode sysctl, JsonNode macAssignType,
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
        d.put("net.ipv4.conf.all.arp_ignore", "0");
        d.put("net.ipv4.conf.all.arp_announce", "0");
        d.put("net.ipv4.ip_nonlocal_bind", "0");
        d.put("net.ipv4.icmp_echo_ignore_all", "0");
        d.put("net.ipv6.conf.all.disable_ipv6", "0");
        d.put("net.ipv6.conf.default.disable_ipv6", "0");
        return java.util.Collections.unmodifiableMap(d);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The shell script run inside the namespace; its standard output is what {@link #parse} reads. */
    static String script(boolean iptables) {
        StringJoiner keys = new StringJoiner(",", "{", "}");
        StringJoiner values = new StringJoiner(" ");
        for (String k : SYSCTL_DEFAULTS.keySet()) {
            keys.add("\"" + k + "\":\"%s\"");
            values.add("\"$(cat /proc/sys/" + k.replace('.', '/') + " 2>/dev/null)\"");
        }
        return "printf 'link show\\naddr show\\nroute show table all root 0.0.0.0/0\\nrule show\\nnetns list-id\\n'"
                + " | ip -j -d -batch - || exit 1\n"
                + "printf 'route show table all\\nrule show\\n' | ip -6 -j -d -batch - || exit 1\n"
                + "if command -v nft >/dev/null; then nft -j list ruleset || exit 1; else echo null; fi\n"
                + "printf '" + keys + "\\n' " + values + "\n"
                + "mount -t sysfs none /sys || exit 1\n"
                + "printf '{'; for d in /sys/class/net/*/; do"
                + " printf '\"%s\":%s,' \"$(cat $d/ifindex)\" \"$(cat $d/addr_assign_type)\"; done; printf '\"0\":0}\\n'\n"
                + (iptables ? "if command -v iptables-save >/dev/null; then iptables-save || exit 1; ip6tables-save || exit 1; fi\n"
                        : "");
    }

    /** Reads namespace {@code ns} (the empty string: the default namespace). */
    static NamespaceDump of(String ns, boolean iptables) {
        return parse(ns, capture(ns, iptables));
    }

    /** The raw output of {@link #script()} in namespace {@code ns}: what tests keep as captured resources. */
    public static String capture(String ns, boolean iptables) {
        List<String> cmd = new ArrayList<>();
        if (!ns.isEmpty()) {
            cmd.addAll(List.of("nsenter", "--net=/run/netns/" + ns));
        }
        cmd.addAll(List.of("unshare", "-m", "sh", "-c", script(iptables)));
        try {
            Path err = Files.createTempFile("topoc-read", ".err");
            try {
                Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
                p.getOutputStream().close();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    p.destroyForcibly();
                    throw new ReadException("cannot read namespace " + (ns.isEmpty() ? "(default)" : ns) + ": "
                            + Files.readString(err).strip());
                }
                return out;
            } finally {
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new ReadException("cannot read namespace " + ns + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReadException("interrupted while reading namespace " + ns);
        }
    }

    /** Splits the output of {@link #script()} into its parts. */
    public static NamespaceDump parse(String ns, String raw) {
        List<JsonNode> parts = new ArrayList<>();
        String rest = "";
        try (JsonParser p = JSON.getFactory().createParser(raw)) {
            while (parts.size() < 10 && p.nextToken() != null) {
                parts.add(JSON.readTree(p));
            }
            rest = raw.substring((int) Math.min(raw.length(), p.currentLocation().getCharOffset()));
        } catch (IOException e) {
            throw new ReadException("namespace " + ns + ": unreadable JSON from ip/nft: " + e.getMessage());
        }
        if (parts.size() != 10) {
            throw new ReadException("namespace " + ns + ": expected 10 JSON values from ip/nft, got " + parts.size());
        }
        return new NamespaceDump(ns, parts.get(0), parts.get(1), parts.get(2), parts.get(3), parts.get(4), parts.get(5),
                parts.get(6), parts.get(7), parts.get(8), parts.get(9), rest.strip());
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
