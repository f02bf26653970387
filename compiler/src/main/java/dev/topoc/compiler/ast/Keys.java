package dev.topoc.compiler.ast;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The table of keys each kind of entry accepts, in canonical order, with the shape of their value.
 * Both front ends and both printers read it, so a key is added in one place. Keys are the YAML keys of
 * LANGUAGE.md §2; the DSL words that stand for them are mapped by the DSL front end and printer.
 */
public final class Keys {
    /** How a key's value is written. */
    public enum Shape {
        /** one scalar */
        SCALAR,
        /** a boolean; in the DSL a bare word means true */
        FLAG,
        /** a list of scalars (a single scalar is accepted too) */
        LIST,
        /** a nested structure handled by the front end itself (nodes, interfaces, firewall, ...) */
        NESTED,
        /** a map of scalar to scalar ({@code sysctl}); each pair becomes one prop with values [key, value] */
        PAIRS
    }

    /** The contexts in which keys appear. */
    public enum Context {
        TOPOLOGY, NODE, IFACE, LINK, ROUTE, RULE, NAT, CHAIN, FWRULE, EXPECT
    }

    private static final Map<Context, Map<String, Shape>> KEYS = new LinkedHashMap<>();

    static {
        put(Context.TOPOLOGY, "topology", Shape.SCALAR, "nodes", Shape.NESTED, "links", Shape.NESTED,
                "expect", Shape.NESTED);
        put(Context.NODE, "kind", Shape.SCALAR, "machine", Shape.SCALAR, "forwarding", Shape.FLAG,
                "interfaces", Shape.NESTED, "routes", Shape.NESTED, "rules", Shape.NESTED, "nat", Shape.NESTED,
                "firewall", Shape.NESTED, "sysctl", Shape.PAIRS);
        put(Context.IFACE, "kind", Shape.SCALAR, "addresses", Shape.LIST, "mtu", Shape.SCALAR, "mac", Shape.SCALAR,
                "master", Shape.SCALAR, "up", Shape.FLAG, "parent", Shape.SCALAR, "id", Shape.SCALAR,
                "vni", Shape.SCALAR, "local", Shape.SCALAR, "remote", Shape.SCALAR, "group", Shape.SCALAR,
                "dev", Shape.SCALAR, "port", Shape.SCALAR, "mode", Shape.SCALAR, "flag", Shape.SCALAR,
                "stp", Shape.FLAG, "hairpin", Shape.FLAG, "subnet", Shape.SCALAR);
        put(Context.LINK, "a", Shape.SCALAR, "b", Shape.SCALAR, "mtu", Shape.SCALAR, "subnet", Shape.SCALAR);
        put(Context.ROUTE, "to", Shape.SCALAR, "via", Shape.SCALAR, "dev", Shape.SCALAR, "metric", Shape.SCALAR,
                "table", Shape.SCALAR, "src", Shape.SCALAR, "type", Shape.SCALAR);
        put(Context.RULE, "priority", Shape.SCALAR, "from", Shape.SCALAR, "to", Shape.SCALAR, "iif", Shape.SCALAR,
                "oif", Shape.SCALAR, "fwmark", Shape.SCALAR, "table", Shape.SCALAR);
        put(Context.NAT, "type", Shape.SCALAR, "proto", Shape.SCALAR, "from", Shape.SCALAR, "dst", Shape.SCALAR,
                "in", Shape.SCALAR, "out", Shape.SCALAR, "port", Shape.SCALAR, "to", Shape.SCALAR);
        put(Context.CHAIN, "policy", Shape.SCALAR, "rules", Shape.NESTED);
        put(Context.FWRULE, "action", Shape.SCALAR, "proto", Shape.SCALAR, "from", Shape.SCALAR, "to", Shape.SCALAR,
                "sport", Shape.SCALAR, "dport", Shape.SCALAR, "iif", Shape.SCALAR, "oif", Shape.SCALAR,
                "state", Shape.LIST);
        put(Context.EXPECT, "from", Shape.SCALAR, "to", Shape.SCALAR, "proto", Shape.SCALAR, "port", Shape.SCALAR,
                "reach", Shape.FLAG, "via", Shape.LIST, "lands", Shape.SCALAR);
    }

    /** The three chain names a {@code firewall} map accepts. */
    public static final List<String> CHAINS = List.of("input", "forward", "output");

    /** Names longer than this get no "did you mean": the search costs length × length per candidate. */
    static final int MAX_SUGGESTION_LENGTH = 64;

    private Keys() {}

    private static void put(Context context, Object... keyShapes) {
        Map<String, Shape> m = new LinkedHashMap<>();
        for (int i = 0; i < keyShapes.length; i += 2) {
            m.put((String) keyShapes[i], (Shape) keyShapes[i + 1]);
        }
        KEYS.put(context, m);
    }

    /** Keys of a context in canonical order. */
    public static List<String> of(Context context) {
        return List.copyOf(KEYS.get(context).keySet());
    }

    public static Optional<Shape> shape(Context context, String key) {
        return Optional.ofNullable(KEYS.get(context).get(key));
    }

    /** Canonical position of a key in its context (unknown keys sort last). */
    public static int order(Context context, String key) {
        int i = of(context).indexOf(key);
        return i < 0 ? Integer.MAX_VALUE : i;
    }

    /** The closest known key, for "did you mean" hints; empty when nothing is close. */
    public static Optional<String> closest(Context context, String key) {
        return closest(key, of(context));
    }

    public static Optional<String> closest(String word, List<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        int allowedDistance = Math.max(1, Math.min(3, word.length() / 3 + 1));
        if (word.length() > MAX_SUGGESTION_LENGTH) {
            return Optional.empty(); // bounded work: no suggestion for a name longer than any sensible one
        }
        for (String c : candidates) {
            if (Math.abs(c.length() - word.length()) > allowedDistance) {
                continue; // the distance is at least the difference in length
            }
            int d = distance(word, c);
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        int allowed = Math.max(1, Math.min(3, word.length() / 3 + 1));
        return bestDistance <= allowed && bestDistance < word.length() ? Optional.of(best) : Optional.empty();
    }

    /** Damerau-free Levenshtein distance; small strings only. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
