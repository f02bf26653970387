package dev.topoc.compiler.ast;

import dev.topoc.compiler.model.Action;
import dev.topoc.compiler.model.ChainName;
import dev.topoc.compiler.model.CtState;
import dev.topoc.compiler.model.IfKey;
import dev.topoc.compiler.model.IfKind;
import dev.topoc.compiler.model.NatType;
import dev.topoc.compiler.model.NodeKind;
import dev.topoc.compiler.model.Proto;
import dev.topoc.compiler.model.RouteType;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The table of keys each kind of entry accepts, in canonical order, with the shape of their value, what
 * they take and their default. Both front ends, both printers, the JSON Schema ({@link YamlSchema}) and
 * the key reference in docs/yaml.md ({@link KeyReference}) read it, so a key is added in one place. Keys
 * are the YAML keys of LANGUAGE.md §2; the DSL words that stand for them are mapped by the DSL front end
 * and printer. Interface keys are not listed here: they come from {@link IfKind}, which says which kind
 * accepts which key.
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
        TOPOLOGY, MACHINE, NODE, IFACE, LINK, ROUTE, RULE, NAT, CHAIN, FWRULE, EXPECT, LISTEN
    }

    /**
     * One key of a context.
     *
     * @param type what the value takes, for people
     * @param words the closed set of words it takes (empty: open)
     * @param defaultValue the value when absent, as written in a file; null when there is none
     * @param required whether an entry must have it
     */
    public record Key(String name, Shape shape, String type, List<String> words, String defaultValue, boolean required) {
        public Key {
            words = List.copyOf(words);
        }
    }

    private static final Map<Context, Map<String, Key>> KEYS = new LinkedHashMap<>();
    private static final String IFACE_OF_NODE = "an interface of the node";
    private static final String TABLE = "`main`, `local`, `default` or an integer 1–4294967295";
    private static final String PORTS = "a port 1–65535 or a range `LO-HI`";

    static {
        put(Context.TOPOLOGY, opt("topology", Shape.SCALAR, "a name (without it, the file's name without its extension)", null),
                opt("machines", Shape.NESTED, "a map of machine name to machine keys: the hosts the topology is spread over", null),
                opt("nodes", Shape.NESTED, "a map of node name (ranges allowed) to node keys", null),
                opt("links", Shape.NESTED, "a list of links: `[A, B]` or link keys", null),
                opt("expect", Shape.NESTED, "a list of expectations", null));
        put(Context.MACHINE, req("ssh", Shape.SCALAR, "IP address or host name Ansible reaches the machine at"),
                opt("underlay", Shape.SCALAR, "IP address of the machine that tunnels leave from (required when a link "
                        + "crosses to or from the machine)", null),
                opt("mtu", Shape.SCALAR, "integer 68–65535: the MTU of the underlay network", "1500"));
        put(Context.NODE, words("kind", words(NodeKind.values(), NodeKind::word), "netns"),
                opt("machine", Shape.SCALAR, "a machine of the topology: where the node lives (required for provisioned nodes "
                        + "when the topology has machines)", null),
                opt("forwarding", Shape.FLAG, "`true` or `false`: IPv4 and IPv6 forwarding", "false"),
                opt("interfaces", Shape.NESTED, "a map of interface name (ranges allowed) to interface keys", null),
                opt("routes", Shape.NESTED, "a list of routes", null),
                opt("rules", Shape.NESTED, "a list of policy routing rules", null),
                opt("nat", Shape.NESTED, "a list of NAT entries", null),
                opt("firewall", Shape.NESTED, "a map of chain (" + String.join(", ", chainWords())
                        + ") to chain keys", null),
                opt("sysctl", Shape.PAIRS, "a map of extra `net.*` key to value", null),
                opt("listen", Shape.NESTED, "a list of listening ports: `tcp/80`, `udp/53 on 10.0.0.10`, `tcp/8000-8010` "
                        + "or listen keys", null),
                opt("run", Shape.NESTED, "a list of commands started in the node when the lab comes up (as root)", null));
        Map<String, Key> iface = new LinkedHashMap<>();
        for (String key : IfKind.keyOrder()) {
            iface.put(key, ifaceKey(key));
        }
        KEYS.put(Context.IFACE, iface);
        put(Context.LINK, req("a", Shape.SCALAR, "`NODE:IF`, one end"), req("b", Shape.SCALAR, "`NODE:IF`, the other end"),
                opt("mtu", Shape.SCALAR, "integer 68–65535, for both ends", null),
                opt("subnet", Shape.SCALAR, "CIDR: the pool for `auto` addresses of the link's L2 domain", null),
                opt("vni", Shape.SCALAR, "integer 1–16777215: the VXLAN VNI of a link that crosses machines (default: "
                        + "allocated from the link's ends)", null),
                opt("port", Shape.SCALAR, "integer 1–65535: the VXLAN UDP port of a link that crosses machines", "4789"));
        put(Context.ROUTE, req("to", Shape.SCALAR, "`default` or a CIDR"),
                opt("via", Shape.SCALAR, "IP address of the gateway", null),
                opt("dev", Shape.SCALAR, IFACE_OF_NODE, null),
                opt("metric", Shape.SCALAR, "integer 0–4294967295", null),
                opt("table", Shape.SCALAR, TABLE, "main"),
                opt("src", Shape.SCALAR, "IP address preferred as source", null),
                words("type", words(RouteType.values(), RouteType::word), "unicast"));
        put(Context.RULE, opt("priority", Shape.SCALAR, "integer 0–2147483647", null),
                opt("from", Shape.SCALAR, "source CIDR", null), opt("to", Shape.SCALAR, "destination CIDR", null),
                opt("iif", Shape.SCALAR, IFACE_OF_NODE, null), opt("oif", Shape.SCALAR, IFACE_OF_NODE, null),
                opt("fwmark", Shape.SCALAR, "integer 0–4294967295", null),
                req("table", Shape.SCALAR, TABLE + " (the table to look up)"));
        put(Context.NAT, new Key("type", Shape.SCALAR, "one of " + String.join(", ", words(NatType.values(), NatType::word)),
                        words(NatType.values(), NatType::word), null, true),
                new Key("proto", Shape.SCALAR, "one of tcp, udp", transports(), null, false),
                opt("from", Shape.SCALAR, "source CIDR", null),
                opt("dst", Shape.SCALAR, "dnat: match only this destination IP address", null),
                opt("in", Shape.SCALAR, IFACE_OF_NODE + "; `!IF` negates", null),
                opt("out", Shape.SCALAR, IFACE_OF_NODE + "; `!IF` negates", null),
                opt("port", Shape.SCALAR, "dnat: " + PORTS, null),
                opt("to", Shape.SCALAR, "snat: an IP address; dnat: `IP` or `IP:PORT`", null));
        put(Context.CHAIN, new Key("policy", Shape.SCALAR, "one of accept, drop", policies(), "accept", false),
                opt("rules", Shape.NESTED, "a list of firewall rules, matched in order", null));
        put(Context.FWRULE, new Key("action", Shape.SCALAR, "one of " + String.join(", ", words(Action.values(), Action::word)),
                        words(Action.values(), Action::word), null, true),
                words("proto", words(Proto.values(), Proto::word), null),
                opt("from", Shape.SCALAR, "source CIDR", null), opt("to", Shape.SCALAR, "destination CIDR", null),
                opt("sport", Shape.SCALAR, PORTS, null), opt("dport", Shape.SCALAR, PORTS, null),
                opt("iif", Shape.SCALAR, IFACE_OF_NODE, null), opt("oif", Shape.SCALAR, IFACE_OF_NODE, null),
                new Key("state", Shape.LIST, "connection states: " + String.join(", ", words(CtState.values(), CtState::word)),
                        words(CtState.values(), CtState::word), null, false));
        put(Context.EXPECT, req("from", Shape.SCALAR, "a node (ranges allowed)"),
                req("to", Shape.SCALAR, "a node, `NODE:IF`, an IP address or `NODE:PORT`"),
                words("proto", words(Proto.values(), Proto::word), "icmp"),
                opt("port", Shape.SCALAR, "integer 1–65535; required for tcp and udp", null),
                opt("size", Shape.SCALAR, "icmp payload bytes, as `ping -s` (0–65507)", "56"),
                opt("df", Shape.FLAG, "`true`: don't fragment, as `ping -M do` (icmp)", "false"),
                req("reach", Shape.FLAG, "`true` or `false`: whether the packet must arrive"),
                opt("via", Shape.LIST, "nodes the path must cross, in order", null),
                opt("lands", Shape.SCALAR, "the node that finally receives the packet (for DNAT)", null));
        put(Context.LISTEN, new Key("proto", Shape.SCALAR, "one of tcp, udp", transports(), null, true),
                req("port", Shape.SCALAR, PORTS),
                opt("on", Shape.SCALAR, "an address of the node (without it: every address of the node)", null));
    }

    /** The three chain names a {@code firewall} map accepts. */
    public static final List<String> CHAINS = chainWords();

    /** Names longer than this get no "did you mean": the search costs length × length per candidate. */
    static final int MAX_SUGGESTION_LENGTH = 64;

    private Keys() {}

    private static void put(Context context, Key... keys) {
        Map<String, Key> m = new LinkedHashMap<>();
        for (Key k : keys) {
            m.put(k.name(), k);
        }
        KEYS.put(context, m);
    }

    private static Key opt(String name, Shape shape, String type, String defaultValue) {
        return new Key(name, shape, type, List.of(), defaultValue, false);
    }

    private static Key req(String name, Shape shape, String type) {
        return new Key(name, shape, type, List.of(), null, true);
    }

    private static Key words(String name, List<String> words, String defaultValue) {
        return new Key(name, Shape.SCALAR, "one of " + String.join(", ", words), words, defaultValue, false);
    }

    private static <E> List<String> words(E[] values, Function<E, String> word) {
        return Arrays.stream(values).map(word).toList();
    }

    private static List<String> chainWords() {
        return words(ChainName.values(), ChainName::word);
    }

    private static List<String> transports() {
        return Arrays.stream(Proto.values()).filter(p -> p != Proto.ICMP).map(Proto::word).toList();
    }

    private static List<String> policies() {
        return Arrays.stream(Action.values()).filter(a -> a != Action.REJECT).map(Action::word).toList();
    }

    /** An interface key as one entry of the table: its words over all kinds, its type as the first kind says it. */
    private static Key ifaceKey(String name) {
        IfKey first = Arrays.stream(IfKind.values()).flatMap(k -> k.key(name).stream()).findFirst().orElseThrow();
        Shape shape = switch (first.value()) {
            case SCALAR -> Shape.SCALAR;
            case FLAG -> Shape.FLAG;
            case LIST -> Shape.LIST;
        };
        return new Key(name, shape, first.type(), IfKind.wordsOf(name), null, false);
    }

    /** The key's entry in the table. */
    public static Optional<Key> key(Context context, String name) {
        return Optional.ofNullable(KEYS.get(context).get(name));
    }

    /** Keys of a context in canonical order. */
    public static List<String> of(Context context) {
        return List.copyOf(KEYS.get(context).keySet());
    }

    public static Optional<Shape> shape(Context context, String key) {
        return key(context, key).map(Key::shape);
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
