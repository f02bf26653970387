package dev.topoc.backends.nft;

import dev.topoc.compiler.model.Chain;
import dev.topoc.compiler.model.Cidr;
import dev.topoc.compiler.model.CtState;
import dev.topoc.compiler.model.FwRule;
import dev.topoc.compiler.model.IfMatch;
import dev.topoc.compiler.model.NatRule;
import dev.topoc.compiler.model.NatType;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.model.PortRange;
import dev.topoc.compiler.model.Proto;
import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.stream.Collectors;
import dev.topoc.backends.template.Templates;
import org.stringtemplate.v4.STGroup;

/**
 * A node's NAT and firewall as one nftables ruleset (table {@code inet topoc}), shared by the bash and
 * networkd backends so both load exactly the same rules. Java builds the rule lines (the view model);
 * {@code nft.stg} only lays them out.
 *
 * <p>Mapping: firewall chains become filter chains on the hooks of the same name with their policy;
 * DNAT entries become a {@code prerouting} nat chain (priority dstnat), masquerade and SNAT a
 * {@code postrouting} nat chain (priority srcnat). Matches are written in a fixed order: interfaces,
 * addresses, protocol and ports, conntrack state, then the verdict.
 */
public final class NftRuleset {
    public static final String TABLE = "topoc";

    /** The view model of one chain, read by the template. */
    public record ChainView(String name, String type, String hook, String priority, String policy, List<String> rules) {}

    /** The view model of one node's ruleset. */
    public record RulesetView(String node, String table, List<ChainView> chains) {}

    private NftRuleset() {}

    /** The ruleset file of a node, or empty when the node has neither NAT nor firewall. */
    public static Optional<String> render(Node node) {
        return view(node).map(NftRuleset::render);
    }

    public static Optional<RulesetView> view(Node node) {
        List<ChainView> chains = new ArrayList<>();
        for (Chain c : node.firewall()) {
            chains.add(new ChainView(c.name().word(), "filter", c.name().word(), "filter", c.policy().word(),
                    c.rules().stream().map(NftRuleset::filterRule).toList()));
        }
        List<String> pre = node.nat().stream().filter(n -> n.type() == NatType.DNAT).map(NftRuleset::natRule).toList();
        List<String> post = node.nat().stream().filter(n -> n.type() != NatType.DNAT).map(NftRuleset::natRule).toList();
        if (!pre.isEmpty()) {
            chains.add(new ChainView("prerouting", "nat", "prerouting", "dstnat", "accept", pre));
        }
        if (!post.isEmpty()) {
            chains.add(new ChainView("postrouting", "nat", "postrouting", "srcnat", "accept", post));
        }
        return chains.isEmpty() ? Optional.empty() : Optional.of(new RulesetView(node.name(), TABLE, chains));
    }

    public static String render(RulesetView view) {
        return Templates.render(GROUP, "ruleset", "r", view);
    }

    private static final STGroup GROUP = Templates.load("/dev/topoc/backends/nft/nft.stg");

    static String filterRule(FwRule r) {
        StringJoiner m = new StringJoiner(" ");
        iface(m, "iifname", r.iif() == null ? null : new IfMatch(r.iif(), false));
        iface(m, "oifname", r.oif() == null ? null : new IfMatch(r.oif(), false));
        address(m, "saddr", r.from());
        address(m, "daddr", r.to());
        protocol(m, r.proto(), r.sport(), r.dport(), r.from() != null && !r.from().isIpv4() || r.to() != null && !r.to().isIpv4());
        if (!r.state().isEmpty()) {
            m.add("ct state " + r.state().stream().sorted().map(CtState::word).collect(Collectors.joining(",")));
        }
        m.add(r.action().word());
        return m.toString();
    }

    static String natRule(NatRule n) {
        StringJoiner m = new StringJoiner(" ");
        iface(m, "iifname", n.in());
        iface(m, "oifname", n.out());
        address(m, "saddr", n.from());
        if (n.dst() != null) {
            m.add(family(n.dst()) + " daddr " + n.dst().toCanonicalString());
        }
        protocol(m, n.proto(), null, n.port(), false);
        switch (n.type()) {
            case MASQUERADE -> m.add("masquerade");
            case SNAT -> m.add("snat " + family(n.toAddress()) + " to " + n.toAddress().toCanonicalString());
            case DNAT -> m.add("dnat " + family(n.toAddress()) + " to " + target(n.toAddress(), n.toPort()));
        }
        return m.toString();
    }

    private static String target(IPAddress address, Integer port) {
        String a = address.toCanonicalString();
        if (port == null) {
            return a;
        }
        return address.isIPv6() ? "[" + a + "]:" + port : a + ":" + port;
    }

    private static void iface(StringJoiner m, String key, IfMatch match) {
        if (match != null) {
            m.add(key + (match.negated() ? " != " : " ") + "\"" + match.name() + "\"");
        }
    }

    private static void address(StringJoiner m, String key, Cidr cidr) {
        if (cidr != null) {
            m.add((cidr.isIpv4() ? "ip " : "ip6 ") + key + " " + cidr);
        }
    }

    private static void protocol(StringJoiner m, Proto proto, PortRange sport, PortRange dport, boolean v6) {
        if (proto == null) {
            return;
        }
        if (proto == Proto.ICMP) {
            m.add(v6 ? "meta l4proto ipv6-icmp" : "meta l4proto icmp");
            return;
        }
        if (sport == null && dport == null) {
            m.add("meta l4proto " + proto.word());
            return;
        }
        if (sport != null) {
            m.add(proto.word() + " sport " + sport);
        }
        if (dport != null) {
            m.add(proto.word() + " dport " + dport);
        }
    }

    private static String family(IPAddress a) {
        return a.isIPv4() ? "ip" : "ip6";
    }
}
