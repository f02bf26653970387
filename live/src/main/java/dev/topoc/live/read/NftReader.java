package dev.topoc.live.read;

import com.fasterxml.jackson.databind.JsonNode;
import dev.topoc.backends.nft.NftRuleset;
import dev.topoc.compiler.diag.Span;
import dev.topoc.compiler.model.Action;
import dev.topoc.compiler.model.Chain;
import dev.topoc.compiler.model.ChainName;
import dev.topoc.compiler.model.Cidr;
import dev.topoc.compiler.model.CtState;
import dev.topoc.compiler.model.FwRule;
import dev.topoc.compiler.model.IfMatch;
import dev.topoc.compiler.model.NatRule;
import dev.topoc.compiler.model.NatType;
import dev.topoc.compiler.model.PortRange;
import dev.topoc.compiler.model.Proto;
import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code nft -j list ruleset} → NAT entries and firewall chains: the inverse of {@link NftRuleset}. The table
 * topoc owns ({@code inet topoc}) is read chain by chain: filter chains on the input, forward and output hooks
 * become firewall chains with their policy, the {@code prerouting} nat chain DNAT entries, the {@code postrouting}
 * nat chain masquerade and SNAT entries. The tables {@code iptables-nft} writes ({@code ip nat}, {@code ip filter},
 * and their {@code ip6} twins) are read the same way when {@code foreign} is set (import); otherwise they, and
 * every other table, are reported as unexpressed. A rule with a match or statement the language has no word for
 * (a counter aside) is reported whole rather than read in part.
 */
final class NftReader {
    record Result(List<NatRule> nat, List<Chain> firewall) {}

    private final String node;
    private final List<Unexpressed> unexpressed;
    private final boolean foreign;
    private final List<NatRule> dnat = new ArrayList<>();
    private final List<NatRule> snat = new ArrayList<>();
    private final Map<ChainName, Action> policies = new EnumMap<>(ChainName.class);
    private final Map<ChainName, List<FwRule>> filters = new EnumMap<>(ChainName.class);
    /** Chain identity ("family table name") → what it holds. */
    private final Map<String, String> chainRoles = new LinkedHashMap<>();

    private NftReader(String node, List<Unexpressed> unexpressed, boolean foreign) {
        this.node = node;
        this.unexpressed = unexpressed;
        this.foreign = foreign;
    }

    /**
     * Reads {@code ruleset}; with {@code foreign} and the text of {@code iptables-save}/{@code ip6tables-save}
     * ({@code iptablesSave}, may be empty), the iptables-nft tables are read from that text instead (their nftables
     * JSON hides the arguments of {@code xt} matches and targets such as DNAT's destination).
     */
    static Result read(String node, JsonNode ruleset, String iptablesSave, List<Unexpressed> unexpressed, boolean foreign) {
        NftReader r = new NftReader(node, unexpressed, foreign);
        r.fromIptablesSave = foreign && iptablesSave != null && !iptablesSave.isBlank();
        Result nft = r.read(ruleset);
        if (r.fromIptablesSave) {
            IptablesReader.read(iptablesSave, r);
            return r.result();
        }
        return nft;
    }

    /** The iptables-nft tables are read from iptables-save text, not from the JSON. */
    private boolean fromIptablesSave;

    String node() {
        return node;
    }

    void unexpressed(String object, String reason) {
        unexpressed.add(new Unexpressed(node, object, reason));
    }

    /** A built-in iptables chain's policy. */
    void policy(ChainName chain, Action policy) {
        policies.merge(chain, policy, (a, b) -> a == Action.DROP || b == Action.DROP ? Action.DROP : a);
    }

    private boolean owned(JsonNode o) {
        String family = o.path("family").asText();
        String table = o.has("table") && o.path("table").isTextual() ? o.path("table").asText() : o.path("name").asText();
        if (family.equals("inet") && table.equals(NftRuleset.TABLE)) {
            return true;
        }
        return foreign && !fromIptablesSave && iptablesTable(family, table);
    }

    private static boolean iptablesTable(String family, String table) {
        return (family.equals("ip") || family.equals("ip6")) && (table.equals("nat") || table.equals("filter"));
    }

    private Result read(JsonNode ruleset) {
        if (ruleset != null && !ruleset.isNull()) {
            entries(ruleset);
        }
        return result();
    }

    private void entries(JsonNode ruleset) {
        for (JsonNode entry : ruleset.path("nftables")) {
            if (entry.has("table")) {
                JsonNode t = entry.path("table");
                if (!owned(t) && !(fromIptablesSave && iptablesTable(t.path("family").asText(), t.path("name").asText()))) {
                    unexpressed.add(new Unexpressed(node, "nft table " + t.path("family").asText() + " "
                            + t.path("name").asText(), foreign ? "not a table topoc or iptables-nft writes"
                            : "not owned by topoc (`topoc import` reads the tables iptables-nft writes)"));
                }
            } else if (entry.has("chain")) {
                chain(entry.path("chain"));
            } else if (entry.has("rule")) {
                rule(entry.path("rule"));
            } else if (entry.has("set") || entry.has("map") || entry.has("flowtable") || entry.has("ct helper")) {
                JsonNode o = entry.elements().next();
                if (owned(o) || fromIptablesSave && iptablesTable(o.path("family").asText(), o.path("table").asText())) {
                    unexpressed.add(new Unexpressed(node, "nft " + entry.fieldNames().next() + " " + o.path("name").asText()
                            + " in table " + o.path("family").asText() + " " + o.path("table").asText(),
                            "the language has no sets, maps or flowtables"));
                }
            }
        }
    }

    Result result() {
        List<Chain> firewall = new ArrayList<>();
        for (ChainName c : ChainName.values()) {
            if (policies.containsKey(c)) {
                List<FwRule> rules = filters.getOrDefault(c, List.of());
                if (policies.get(c) != Action.ACCEPT || !rules.isEmpty()) {
                    firewall.add(new Chain(Span.NONE, c, policies.get(c), rules));
                }
            }
        }
        List<NatRule> nat = new ArrayList<>(dnat);
        nat.addAll(snat);
        return new Result(nat, firewall);
    }

    private static String id(JsonNode o, String chain) {
        return o.path("family").asText() + " " + o.path("table").asText() + " " + chain;
    }

    private void chain(JsonNode c) {
        if (!owned(c)) {
            return;
        }
        String object = "nft chain " + id(c, c.path("name").asText());
        String type = c.path("type").asText("");
        String hook = c.path("hook").asText("");
        if (type.equals("filter") && !hook.isEmpty() && ChainName.of(hook).isPresent()) {
            ChainName name = ChainName.of(hook).get();
            Action policy = Action.of(c.path("policy").asText("accept")).orElse(Action.ACCEPT);
            if (policies.containsKey(name) && policies.get(name) != policy) {
                unexpressed.add(new Unexpressed(node, object, "a second " + hook + " chain with another policy"));
            }
            policies.merge(name, policy, (a, b) -> a == Action.DROP || b == Action.DROP ? Action.DROP : a);
            chainRoles.put(id(c, c.path("name").asText()), "filter " + hook);
        } else if (type.equals("nat") && (hook.equals("prerouting") || hook.equals("postrouting"))) {
            chainRoles.put(id(c, c.path("name").asText()), "nat " + hook);
        } else if (hook.isEmpty()) {
            chainRoles.put(id(c, c.path("name").asText()), "regular");
            unexpressed.add(new Unexpressed(node, object, "a chain without a hook (jumped to) cannot be written"));
        } else {
            chainRoles.put(id(c, c.path("name").asText()), "other");
            unexpressed.add(new Unexpressed(node, object, "a " + type + " chain on the " + hook + " hook cannot be written"));
        }
    }

    // ---------------------------------------------------------------- rules

    /** What the matches of one rule said, before its statement decides what it becomes. */
    static final class Matches {
        IfMatch iif;
        IfMatch oif;
        Cidr saddr;
        Cidr daddr;
        Proto proto;
        PortRange sport;
        PortRange dport;
        Set<CtState> state = new LinkedHashSet<>();
    }

    private void rule(JsonNode r) {
        if (!owned(r)) {
            return;
        }
        String chainId = id(r, r.path("chain").asText());
        String role = chainRoles.getOrDefault(chainId, "other");
        String object = "nft rule " + chainId + " handle " + r.path("handle").asText();
        if (role.equals("regular") || role.equals("other")) {
            unexpressed.add(new Unexpressed(node, object, "its chain cannot be written"));
            return;
        }
        Matches m = new Matches();
        JsonNode verdict = null;
        String verdictKey = null;
        for (JsonNode e : r.path("expr")) {
            String key = e.fieldNames().next();
            JsonNode v = e.path(key);
            if (key.equals("counter")) {
                continue;
            }
            if (key.equals("match")) {
                Optional<String> problem = match(m, v);
                if (problem.isPresent()) {
                    unexpressed.add(new Unexpressed(node, object, problem.get()));
                    return;
                }
            } else if (verdict == null) {
                verdict = v;
                verdictKey = key;
            } else {
                unexpressed.add(new Unexpressed(node, object, "more than one statement (`" + verdictKey + "`, `" + key + "`)"));
                return;
            }
        }
        if (verdictKey == null) {
            unexpressed.add(new Unexpressed(node, object, "a rule without a verdict"));
            return;
        }
        if (verdictKey.equals("reject") && verdict != null && verdict.has("expr")
                && !verdict.path("expr").asText().equals("port-unreachable")) {
            unexpressed.add(new Unexpressed(node, object, "reject with " + verdict.path("expr").asText()
                    + " cannot be written (the language rejects with port-unreachable)"));
            return;
        }
        Optional<String> problem = role.startsWith("filter") ? filter(role, m, verdictKey) : nat(role, m, verdictKey, verdict);
        problem.ifPresent(p -> unexpressed.add(new Unexpressed(node, object, p)));
    }

    Optional<Action> policyOf(ChainName chain) {
        return Optional.ofNullable(policies.get(chain));
    }

    /** Whether the entry says IPv6 by an address; an entry that does not applies to both families. */
    private static boolean saysIpv6(Cidr... cidrs) {
        return java.util.Arrays.stream(cidrs).anyMatch(c -> c != null && !c.isIpv4());
    }

    Optional<String> filter(String role, Matches m, String verdict) {
        return filter(role, m, verdict, false);
    }

    /**
     * {@code ipv6Only}: the rule came from ip6tables; without an IPv6 address it would widen to IPv4 in the language,
     * so it is taken only when the same rule is already there (from iptables: together they are one inet rule).
     */
    Optional<String> filter(String role, Matches m, String verdict, boolean ipv6Only) {
        Optional<Action> action = Action.of(verdict);
        if (action.isEmpty()) {
            return Optional.of("the statement `" + verdict + "` is not one of " + Action.choices());
        }
        if (m.iif != null && m.iif.negated() || m.oif != null && m.oif.negated()) {
            return Optional.of("a negated interface match in a filter rule cannot be written");
        }
        ChainName chain = ChainName.of(role.substring("filter ".length())).orElseThrow();
        FwRule rule = new FwRule(Span.NONE, action.get(), m.proto, m.saddr, m.daddr, m.sport, m.dport,
                m.iif == null ? null : m.iif.name(), m.oif == null ? null : m.oif.name(), m.state);
        List<FwRule> rules = filters.computeIfAbsent(chain, c -> new ArrayList<>());
        if (ipv6Only && !saysIpv6(m.saddr, m.daddr)) {
            return rules.contains(rule) ? Optional.empty() : Optional.of("an ip6tables rule without an IPv6 address "
                    + "would apply to IPv4 too in the language, and iptables has no such rule");
        }
        rules.add(rule);
        return Optional.empty();
    }

    Optional<String> nat(String role, Matches m, String verdict, JsonNode v) {
        return nat(role, m, verdict, v, false);
    }

    /** {@code ipv6Only}: as for {@link #filter(String, Matches, String, boolean)}. */
    Optional<String> nat(String role, Matches m, String verdict, JsonNode v, boolean ipv6Only) {
        if (!m.state.isEmpty() || m.sport != null) {
            return Optional.of("a NAT entry cannot match conntrack state or a source port");
        }
        if (m.proto == Proto.ICMP) {
            return Optional.of("a NAT entry matches tcp or udp only");
        }
        boolean pre = role.equals("nat prerouting");
        if (pre && verdict.equals("dnat")) {
            if (m.oif != null || m.daddr != null && !isHost(m.daddr)) {
                return Optional.of("a DNAT entry matches an input interface and one destination address");
            }
            Integer port = v.has("port") ? v.path("port").asInt() : null;
            if (!v.path("addr").isTextual() || v.path("port").isObject()) {
                return Optional.of("a DNAT target must be one address and at most one port");
            }
            return add(dnat, new NatRule(Span.NONE, NatType.DNAT, m.saddr, ModelBuilder.ip(v.path("addr").asText()), port,
                    null, m.iif, m.proto, m.dport, m.daddr == null ? null : m.daddr.address()), ipv6Only);
        }
        if (!pre && (verdict.equals("masquerade") || verdict.equals("snat"))) {
            if (m.daddr != null || m.dport != null || m.proto != null) {
                return Optional.of("a masquerade or SNAT entry cannot match a destination, protocol or port");
            }
            boolean masq = verdict.equals("masquerade");
            if (masq && v != null && !v.isNull() || !masq && (!v.path("addr").isTextual() || v.has("port"))) {
                return Optional.of("`" + verdict + "` with options (ports, flags, ranges) cannot be written");
            }
            IPAddress to = masq ? null : ModelBuilder.ip(v.path("addr").asText());
            return add(snat, new NatRule(Span.NONE, masq ? NatType.MASQUERADE : NatType.SNAT, m.saddr, to, null, m.oif,
                    m.iif, null, null, null), ipv6Only);
        }
        return Optional.of("the statement `" + verdict + "` on the " + role.substring(4) + " hook cannot be written");
    }

    private static Optional<String> add(List<NatRule> list, NatRule rule, boolean ipv6Only) {
        boolean v6 = rule.from() != null && !rule.from().isIpv4() || rule.toAddress() != null && rule.toAddress().isIPv6()
                || rule.dst() != null && rule.dst().isIPv6();
        if (ipv6Only && !v6) {
            return list.contains(rule) ? Optional.empty() : Optional.of("an ip6tables NAT entry without an IPv6 address "
                    + "would apply to IPv4 too in the language, and iptables has no such entry");
        }
        list.add(rule);
        return Optional.empty();
    }

    private static boolean isHost(Cidr c) {
        return c.prefixLength() == c.address().getBitCount();
    }

    /** Reads one {@code match}; returns why it cannot be written, if it cannot. */
    private static Optional<String> match(Matches m, JsonNode v) {
        String op = v.path("op").asText();
        JsonNode left = v.path("left");
        JsonNode right = v.path("right");
        boolean eq = op.equals("==");
        if (left.has("meta")) {
            String key = left.path("meta").path("key").asText();
            if ((key.equals("iifname") || key.equals("oifname")) && right.isTextual() && (eq || op.equals("!="))) {
                IfMatch im = new IfMatch(right.asText(), !eq);
                if (key.equals("iifname")) {
                    m.iif = im;
                } else {
                    m.oif = im;
                }
                return Optional.empty();
            }
            if (key.equals("l4proto") && eq && right.isTextual()) {
                return proto(m, right.asText());
            }
        } else if (left.has("payload")) {
            String protocol = left.path("payload").path("protocol").asText();
            String field = left.path("payload").path("field").asText();
            if ((protocol.equals("ip") || protocol.equals("ip6")) && (field.equals("saddr") || field.equals("daddr")) && eq) {
                Cidr c;
                if (right.isTextual()) {
                    c = ModelBuilder.cidr(right.asText());
                } else if (right.has("prefix")) {
                    c = new Cidr(ModelBuilder.ip(right.path("prefix").path("addr").asText()),
                            right.path("prefix").path("len").asInt());
                } else {
                    return Optional.of("an address match other than one address or prefix");
                }
                if (field.equals("saddr")) {
                    m.saddr = c;
                } else {
                    m.daddr = c;
                }
                return Optional.empty();
            }
            if ((protocol.equals("tcp") || protocol.equals("udp")) && (field.equals("sport") || field.equals("dport")) && eq) {
                PortRange p;
                if (right.isInt()) {
                    p = PortRange.single(right.asInt());
                } else if (right.has("range")) {
                    p = new PortRange(right.path("range").get(0).asInt(), right.path("range").get(1).asInt());
                } else {
                    return Optional.of("a port match other than one port or a range");
                }
                Optional<String> problem = proto(m, protocol);
                if (field.equals("sport")) {
                    m.sport = p;
                } else {
                    m.dport = p;
                }
                return problem;
            }
        } else if (left.has("ct") && left.path("ct").path("key").asText().equals("state") && (eq || op.equals("in"))) {
            List<JsonNode> states = new ArrayList<>();
            if (right.isArray()) {
                right.forEach(states::add);
            } else {
                states.add(right);
            }
            for (JsonNode s : states) {
                Optional<CtState> st = CtState.of(s.asText());
                if (st.isEmpty()) {
                    return Optional.of("conntrack state `" + s.asText() + "` is not one of " + CtState.choices());
                }
                m.state.add(st.get());
            }
            return Optional.empty();
        }
        return Optional.of("the match `" + left + " " + op + " " + right + "` cannot be written");
    }

    static Optional<String> proto(Matches m, String word) {
        Proto p = switch (word) {
            case "tcp" -> Proto.TCP;
            case "udp" -> Proto.UDP;
            case "icmp", "ipv6-icmp" -> Proto.ICMP;
            default -> null;
        };
        if (p == null) {
            return Optional.of("protocol `" + word + "` is not one of " + Proto.choices());
        }
        if (m.proto != null && m.proto != p) {
            return Optional.of("two protocols in one rule");
        }
        m.proto = p;
        return Optional.empty();
    }
}
