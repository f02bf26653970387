package dev.topoc.compiler.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The one description of each interface kind: its word in both spellings, the record of
 * {@link Interface} it resolves to, the keys it accepts (with their types and defaults) and the keys the
 * DSL writes in the statement header ({@code vlan v10 parent eth0 id 10}). The resolver's key table, the
 * JSON Schema, the YAML key reference, the DSL forms and the printers are derived from it; the grammar's
 * kind tokens are checked against it by a test. A new kind is a new constant here, a new record in
 * {@link Interface} and a new method of {@link Interface.Cases}, and then a compile error in every
 * stage that does not handle it yet.
 */
public enum IfKind {
    VETH("veth", Interface.Veth.class, List.of(), null),
    BRIDGE("bridge", Interface.Bridge.class, List.of(
            IfKey.flag("stp", "spanning tree", "false"),
            IfKey.scalar("subnet", "CIDR: the pool for `auto` addresses of the bridge's L2 domain", null)),
            List.of()),
    VLAN("vlan", Interface.Vlan.class, List.of(
            IfKey.required("parent", "`IF` or `NODE:IF`: the interface it is created on"),
            IfKey.required("id", "integer 1–4094")),
            List.of("parent", "id")),
    VXLAN("vxlan", Interface.Vxlan.class, List.of(
            IfKey.required("vni", "integer 0–16777215"),
            IfKey.scalar("local", "IP address: the tunnel's source", null),
            IfKey.scalar("remote", "IP address: the other endpoint (not with `group`)", null),
            IfKey.scalar("group", "multicast IP address (not with `remote`)", null),
            IfKey.scalar("dev", "interface of the same node the tunnel runs over", null),
            IfKey.scalar("port", "integer 1–65535: the UDP destination port", "4789")),
            List.of("vni", "local", "remote", "group", "dev", "port")),
    MACVLAN("macvlan", Interface.Macvlan.class, List.of(
            IfKey.required("parent", "`IF` or `NODE:IF`: the interface it is created on"),
            IfKey.word("mode", words(MacvlanMode.values(), MacvlanMode::word), "vepa")),
            List.of("parent", "mode")),
    IPVLAN("ipvlan", Interface.Ipvlan.class, List.of(
            IfKey.required("parent", "`IF` or `NODE:IF`: the interface it is created on"),
            IfKey.word("mode", words(IpvlanMode.values(), IpvlanMode::word), "l3"),
            IfKey.word("flag", words(IpvlanFlag.values(), IpvlanFlag::word), null)),
            List.of("parent", "mode", "flag")),
    PHYSICAL("physical", Interface.Physical.class, List.of(), null),
    DUMMY("dummy", Interface.Dummy.class, List.of(), null),
    TUN("tun", Interface.Tun.class, List.of(), null),
    TAP("tap", Interface.Tap.class, List.of(), null),
    LOOPBACK("loopback", Interface.Loopback.class, List.of(), null);

    /** The kind of an interface that names none: a link end ({@code lo} is {@link #LOOPBACK}). */
    public static final IfKind DEFAULT = VETH;

    /** Keys every kind accepts. */
    public static final List<IfKey> COMMON_KEYS = List.of(
            new IfKey("kind", IfKey.Value.SCALAR, "one of " + String.join(", ", words(values(), IfKind::word))
                    + " (an interface named `lo` is always `loopback`)", words(values(), IfKind::word), "veth", false),
            new IfKey("addresses", IfKey.Value.LIST, "CIDR addresses, or `auto` (one from the L2 domain's subnet)",
                    List.of(), null, false),
            IfKey.scalar("mtu", "integer 68–65535", null),
            IfKey.scalar("mac", "MAC address `xx:xx:xx:xx:xx:xx`", null),
            IfKey.scalar("master", "a bridge of the same node this interface is a port of", null),
            IfKey.flag("up", "the link is set up", "true"),
            IfKey.flag("hairpin", "the bridge may send a frame back out of this port (needs `master`)", "false"));

    /**
     * The canonical order of all interface keys (the printers write them in it). Written out rather than
     * derived from the kinds because it interleaves common and kind keys ({@code hairpin} sits between
     * {@code stp} and {@code subnet}) and formatted files depend on it; the class refuses to load when it
     * misses a key or lists one no kind accepts.
     */
    private static final List<String> ORDER = List.of("kind", "addresses", "mtu", "mac", "master", "up", "parent",
            "id", "vni", "local", "remote", "group", "dev", "port", "mode", "flag", "stp", "hairpin", "subnet");

    private final String word;
    private final Class<? extends Interface> record;
    private final List<IfKey> ownKeys;
    private final List<String> dslHeader;

    IfKind(String word, Class<? extends Interface> record, List<IfKey> ownKeys, List<String> dslHeader) {
        this.word = word;
        this.record = record;
        this.ownKeys = List.copyOf(ownKeys);
        this.dslHeader = dslHeader == null ? null : List.copyOf(dslHeader);
    }

    static {
        Set<String> all = new LinkedHashSet<>();
        COMMON_KEYS.forEach(k -> all.add(k.name()));
        for (IfKind k : values()) {
            k.ownKeys.forEach(key -> all.add(key.name()));
            if (k.dslHeader != null && !k.ownKeys.stream().map(IfKey::name).toList().containsAll(k.dslHeader)) {
                throw new IllegalStateException(k + ": DSL header keys " + k.dslHeader + " are not keys of the kind");
            }
        }
        if (!all.equals(Set.copyOf(ORDER)) || ORDER.size() != all.size()) {
            throw new IllegalStateException("IfKind.ORDER " + ORDER + " does not list exactly the keys " + all);
        }
    }

    /** The kind's word in both spellings ({@code veth}, {@code bridge}, ...). */
    public String word() {
        return word;
    }

    /** The record of {@link Interface} an interface of this kind is. */
    public Class<? extends Interface> record() {
        return record;
    }

    /** The keys only this kind (and others sharing them) accepts, beyond {@link #COMMON_KEYS}. */
    public List<IfKey> ownKeys() {
        return ownKeys;
    }

    /** Every key the kind accepts: {@link #COMMON_KEYS}, then its own. */
    public List<IfKey> keys() {
        List<IfKey> out = new ArrayList<>(COMMON_KEYS);
        out.addAll(ownKeys);
        return out;
    }

    /** Whether the kind accepts the key. */
    public boolean accepts(String key) {
        return keys().stream().anyMatch(k -> k.name().equals(key));
    }

    /** The kind's description of a key it accepts. */
    public Optional<IfKey> key(String name) {
        return keys().stream().filter(k -> k.name().equals(name)).findFirst();
    }

    /** The default of a key as written in a file; throws when the kind has no default for it. */
    public String defaultOf(String key) {
        return key(key).map(IfKey::defaultValue).orElseThrow(() -> new IllegalArgumentException(this + "." + key));
    }

    /**
     * Whether the DSL writes this kind as the statement word ({@code bridge br0}, {@code vlan v10 ...})
     * rather than as {@code iface NAME KIND}.
     */
    public boolean isDslStatement() {
        return dslHeader != null;
    }

    /** The keys the DSL statement writes in its header, in this order; empty when {@link #isDslStatement} is false. */
    public List<String> dslHeader() {
        return dslHeader == null ? List.of() : dslHeader;
    }

    public static Optional<IfKind> of(String word) {
        return Arrays.stream(values()).filter(k -> k.word.equals(word)).findFirst();
    }

    /** Every kind's word, in declaration order. */
    public static List<String> words() {
        return Arrays.stream(values()).map(IfKind::word).toList();
    }

    /** The canonical order of every interface key. */
    public static List<String> keyOrder() {
        return ORDER;
    }

    /** The words an interface key takes over all kinds (e.g. every {@code mode}), empty for open values. */
    public static List<String> wordsOf(String key) {
        Set<String> out = new LinkedHashSet<>();
        for (IfKind k : values()) {
            k.key(key).ifPresent(d -> out.addAll(d.words()));
        }
        return List.copyOf(out);
    }

    /** How the key's value is written (the same for every kind that accepts it). */
    public static IfKey.Value shapeOf(String key) {
        for (IfKind k : values()) {
            Optional<IfKey> d = k.key(key);
            if (d.isPresent()) {
                return d.get().value();
            }
        }
        throw new IllegalArgumentException("no interface key " + key);
    }

    private static <E> List<String> words(E[] values, java.util.function.Function<E, String> word) {
        return Arrays.stream(values).map(word).collect(Collectors.toList());
    }
}
