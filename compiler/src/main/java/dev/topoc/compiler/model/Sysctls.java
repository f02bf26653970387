package dev.topoc.compiler.model;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The sysctl keys a topology may set: the namespaced {@code net.*} tree, from a known list
 * ({@code netns-sysctls.txt}, a listing of {@code /proc/sys/net} inside a fresh network namespace).
 *
 * <p>Why a list and not a pattern: procps maps {@code net.//.kernel.x} to {@code /proc/sys/net/../kernel/x}, so
 * any key that merely starts with {@code net.} can reach the whole machine. A key is accepted only when it is a
 * listed per-namespace writable key exactly, or a listed per-interface template ({@code net.ipv4.conf.IF.KEY},
 * {@code net.ipv6.conf.IF.KEY}, {@code net.ipv4.neigh.IF.KEY}, {@code net.ipv6.neigh.IF.KEY}) with IF an interface
 * of the node, or {@code all} / {@code default} ({@code default} only for {@code neigh}). Keys that exist but are
 * read-only or global inside a namespace ({@code net.core.rmem_max}) are refused by name, since writing them
 * would silently do nothing (procps exits 0).
 */
public final class Sysctls {
    /** What the list says about a key. */
    public enum Kind { SETTABLE, READONLY, GLOBAL }

    /** The outcome of {@link #check}: {@code error} null when the key may be set. */
    public record Verdict(String error, String suggestion) {
        public boolean ok() {
            return error == null;
        }
    }

    private static final Pattern GRAMMAR = Pattern.compile("net(\\.[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*)+");
    private static final List<String> PER_INTERFACE = List.of("net.ipv4.conf.", "net.ipv6.conf.", "net.ipv4.neigh.",
            "net.ipv6.neigh.");
    private static final Map<String, Kind> KEYS = load();

    /**
     * br_netfilter's switches: per namespace, starting at the module's default (1) where it is loaded and absent
     * (which means 0) where not. Every provisioning path (bash, networkd, `topoc up`) sets the ones a node's file does
     * not to 0 in the namespaces it builds, so bridged traffic skips netfilter as the simulator models it.
     */
    public static final List<String> BRIDGE_NETFILTER = List.of("net.bridge.bridge-nf-call-iptables",
            "net.bridge.bridge-nf-call-ip6tables", "net.bridge.bridge-nf-call-arptables");

    private Sysctls() {}

    private static Map<String, Kind> load() {
        Map<String, Kind> keys = new LinkedHashMap<>();
        try (InputStream in = Sysctls.class.getResourceAsStream("/dev/topoc/compiler/model/netns-sysctls.txt")) {
            if (in == null) {
                throw new IllegalStateException("netns-sysctls.txt missing from the class path");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.trim().split(" ");
                keys.put(f[1], Kind.valueOf(f[0].toUpperCase(java.util.Locale.ROOT)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Collections.unmodifiableMap(keys);
    }

    /** The catalogue, keys as written in the list ({@code IF} for the interface). */
    public static Map<String, Kind> catalogue() {
        return KEYS;
    }

    /**
     * Whether {@code key} may be set on a node with these interfaces. Never throws; the message says what is
     * wrong and the suggestion (may be null) a close listed key.
     */
    public static Verdict check(String key, Set<String> interfaces) {
        if (key.length() > 200 || !GRAMMAR.matcher(key).matches()) {
            return new Verdict("sysctl key `" + printable(key) + "` is not a key of the namespaced `net.*` tree "
                    + "(dot-separated segments of letters, digits, `_` and `-`; no `/`, no empty segment)", null);
        }
        Kind k = KEYS.get(key);
        if (k != null && !key.contains(".IF.")) {
            return kindVerdict(key, k);
        }
        for (String prefix : PER_INTERFACE) {
            if (!key.startsWith(prefix)) {
                continue;
            }
            String rest = key.substring(prefix.length());
            int dot = rest.lastIndexOf('.');
            if (dot <= 0) {
                break;
            }
            String iface = rest.substring(0, dot);
            String template = prefix + "IF." + rest.substring(dot + 1);
            Kind tk = KEYS.get(template);
            if (tk == null) {
                break;
            }
            boolean neigh = prefix.contains("neigh");
            boolean special = iface.equals("default") || (!neigh && iface.equals("all"));
            if (!special && !interfaces.contains(iface)) {
                return new Verdict("sysctl key `" + key + "` names `" + iface + "`, which is no interface of this node; "
                        + "write an interface of the node or " + (neigh ? "`default`" : "`all` or `default`"), null);
            }
            return kindVerdict(key, tk);
        }
        return new Verdict("sysctl key `" + key + "` is not a per-namespace key topoc knows (docs/security.md lists "
                + "where the list comes from)", suggest(key));
    }

    private static Verdict kindVerdict(String key, Kind k) {
        return switch (k) {
            case SETTABLE -> new Verdict(null, null);
            case READONLY -> new Verdict("sysctl key `" + key + "` is read-only inside a network namespace: setting it "
                    + "would silently do nothing", null);
            case GLOBAL -> new Verdict("sysctl key `" + key + "` is global to the machine (it does not exist inside a "
                    + "network namespace): a topology sets only per-namespace keys", null);
        };
    }

    /**
     * Where the kernel keeps a key that {@link #check} accepted, as seen from a process inside the namespace:
     * {@code /proc/sys/net/ipv4/conf/eth0.100/rp_filter}. Dots inside an interface name stay dots.
     */
    public static String procPath(String key) {
        for (String prefix : PER_INTERFACE) {
            if (key.startsWith(prefix)) {
                String rest = key.substring(prefix.length());
                int dot = rest.lastIndexOf('.');
                if (dot > 0 && KEYS.containsKey(prefix + "IF." + rest.substring(dot + 1))) {
                    return "/proc/sys/" + prefix.replace('.', '/') + rest.substring(0, dot) + "/" + rest.substring(dot + 1);
                }
            }
        }
        return "/proc/sys/" + key.replace('.', '/');
    }

    /** A listed settable key within edit distance 3, compared only against keys of similar length (bounded work). */
    private static String suggest(String key) {
        String best = null;
        int bestD = 4;
        for (var e : KEYS.entrySet()) {
            String cand = e.getKey();
            if (e.getValue() != Kind.SETTABLE || cand.contains(".IF.") || Math.abs(cand.length() - key.length()) >= bestD) {
                continue;
            }
            int d = distance(key, cand, bestD);
            if (d < bestD) {
                bestD = d;
                best = cand;
            }
        }
        return best;
    }

    /** Levenshtein distance, or {@code limit} once it is certain to reach it. */
    private static int distance(String a, String b, int limit) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            int rowMin = cur[0];
            for (int j = 1; j <= b.length(); j++) {
                int c = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + c);
                rowMin = Math.min(rowMin, cur[j]);
            }
            if (rowMin >= limit) {
                return limit;
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(80).forEach(c -> {
            if (c >= 0x20 && c < 0x7f) {
                b.appendCodePoint(c);
            } else {
                b.append(String.format("\\u%04X", c));
            }
        });
        return s.length() > 80 ? b + "…" : b.toString();
    }
}
