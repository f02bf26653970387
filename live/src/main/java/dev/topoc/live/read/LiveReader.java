package dev.topoc.live.read;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * The reader: running kernel → the compiler's model.
 *
 * <p>Design. Reading and understanding are separate steps. {@link NamespaceDump} runs one shell per namespace
 * (entered with {@code ip netns exec}: the namespace {@code nsenter --net} enters, plus that namespace's sysfs)
 * with one {@code ip -j -d -batch} (link, addr, route in every table, rule), one for IPv6, one
 * {@code nft -j list ruleset}, and the sysctls the language sets from that namespace's {@code /proc/sys/net}. {@link ModelBuilder} then turns the dumps of all read namespaces —
 * plain Jackson trees, so unit tests feed it JSON captured from this kernel — into {@code Topology} records:
 * veth pairs across the read namespaces become links (peers matched by ifindex and link index, with one
 * namespace id per pair of namespaces; {@code netns list-id} only where that is ambiguous), kernel
 * bookkeeping the model never lists (IPv6 link-local addresses, local/broadcast routes, connected-prefix
 * routes, the three default rules) is skipped, and anything else the language cannot express becomes an
 * {@link Unexpressed} entry. The result is in {@link Canonical} form; compare a file with it through
 * {@link Drift}.
 */
public final class LiveReader {
    private LiveReader() {}

    /**
     * Reads the named namespaces. {@code nodeToNamespace} maps each node name to its namespace under
     * {@code /run/netns}; the empty string stands for the default namespace (a {@code root} node outside a
     * sandbox). Every entry becomes one node of kind {@code netns}, in the map's iteration order; the
     * topology is named {@code name}.
     */
    public static LiveState read(String name, Map<String, String> nodeToNamespace) {
        return read(name, nodeToNamespace, false);
    }

    /**
     * {@link #read(String, Map)}; with {@code foreignRules} (what {@code import} does) the nftables tables
     * {@code iptables-nft} writes ({@code ip nat}, {@code ip filter} and their {@code ip6} twins) are read into NAT
     * entries and firewall chains too, instead of being reported as unexpressed.
     *
     * @throws NamespaceDump.ReadException when a namespace cannot be read (one line, for the user)
     */
    public static LiveState read(String name, Map<String, String> nodeToNamespace, boolean foreignRules) {
        Map<String, NamespaceDump> dumps = new java.util.LinkedHashMap<>();
        nodeToNamespace.forEach((node, ns) -> dumps.put(node, NamespaceDump.of(ns, foreignRules)));
        return ModelBuilder.build(name, dumps, foreignRules, LiveReader::listIdsIfPresent);
    }

    /**
     * Builds the model from dumps already taken (read in parallel by a caller, or captured by tests). Namespace ids
     * the veth pairs leave open are asked of the kernel when the dump's namespace still exists under /run/netns.
     */
    public static LiveState fromDumps(String name, Map<String, NamespaceDump> dumps, boolean foreignRules) {
        return ModelBuilder.build(name, dumps, foreignRules, LiveReader::listIdsIfPresent);
    }

    private static com.fasterxml.jackson.databind.JsonNode listIdsIfPresent(String ns) {
        boolean present = ns.isEmpty() || java.nio.file.Files.exists(java.nio.file.Path.of("/run/netns", ns));
        return present ? NamespaceDump.nsids(ns) : null;
    }

    /**
     * Whether {@code nftJson} ({@code nft -j list table inet topoc}) holds exactly the NAT entries and firewall chains of
     * {@code node}, as the reader reads them: false when it holds anything the language cannot express. What the
     * differ asks when no lab record vouches for the table (a lab imported or brought up elsewhere).
     */
    public static boolean sameRules(dev.topoc.compiler.model.Node node, JsonNode nftJson) {
        if (nftJson == null || nftJson.isNull()) {
            return false;
        }
        List<Unexpressed> unexpressed = new java.util.ArrayList<>();
        NftReader.Result live = NftReader.read(node.name(), nftJson, "", unexpressed, false);
        if (!unexpressed.isEmpty()) {
            return false;
        }
        dev.topoc.compiler.model.Node want = Canonical.of(one(rulesOnly(node, node.nat(), node.firewall()))).nodes().get(0);
        dev.topoc.compiler.model.Node have = Canonical.of(one(rulesOnly(node, live.nat(), live.firewall()))).nodes().get(0);
        return want.nat().equals(have.nat()) && want.firewall().equals(have.firewall());
    }

    private static dev.topoc.compiler.model.Node rulesOnly(dev.topoc.compiler.model.Node n,
            List<dev.topoc.compiler.model.NatRule> nat, List<dev.topoc.compiler.model.Chain> firewall) {
        return new dev.topoc.compiler.model.Node(n.name(), n.span(), n.kind(), n.machine(), false, List.of(), List.of(),
                List.of(), nat, firewall, Map.of(), List.of(), List.of());
    }

    private static dev.topoc.compiler.model.Topology one(dev.topoc.compiler.model.Node n) {
        return new dev.topoc.compiler.model.Topology("one", dev.topoc.compiler.diag.Span.NONE, List.of(n), List.of(), List.of());
    }

    /** {@link #read(String, Map)} with the topology named {@code live}. */
    public static LiveState read(Map<String, String> nodeToNamespace) {
        return read("live", nodeToNamespace);
    }

    /** The namespaces under /run/netns whose names start with {@code prefix}, in name order. */
    public static List<String> namespacesWithPrefix(String prefix) {
        return NamespaceDump.namespaces().stream().filter(ns -> ns.startsWith(prefix)).sorted().toList();
    }


    /** The interface a {@code net.ipv4.conf.IF.KEY} or {@code net.ipv6.conf.IF.KEY} key names (not all/default), else null. */
    public static String sysctlInterface(String key) {
        return ModelBuilder.perInterface(key);
    }

    /**
     * Whether {@code a} has the shape of the link-local address the kernel makes itself ({@code fe80::/64}, EUI-64
     * interface id): what the reader leaves out when iproute2 does not print the address's protocol.
     */
    public static boolean kernelLinkLocalShape(dev.topoc.compiler.model.Cidr a) {
        return !a.isIpv4() && ModelBuilder.eui64LinkLocal(a.address(), a.prefixLength());
    }
}
