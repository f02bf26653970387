package dev.topoc.backends.sim;

import dev.topoc.compiler.analysis.Sysctls;
import dev.topoc.compiler.diag.Span;
import dev.topoc.compiler.model.Chain;
import dev.topoc.compiler.model.ChainName;
import dev.topoc.compiler.model.NatRule;
import dev.topoc.compiler.model.NatType;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.model.RouteType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One network stack: its devices, routing tables, policy rules and netfilter, as the kernel holds them. */
final class NodeState {
    static final int LOCAL = 255;
    static final int MAIN = 254;
    static final int DEFAULT = 253;

    /** A route as the FIB holds it; {@code local} routes come from addresses, {@code kernel} ones too. */
    record RouteEntry(Prefix to, Kind kind, Dev dev, Addr gw, int metric, Addr prefsrc, int table, String origin, Span span) {
        enum Kind { LOCAL, UNICAST, BLACKHOLE, UNREACHABLE, PROHIBIT }

        static Kind kindOf(RouteType t) {
            return switch (t) {
                case UNICAST -> Kind.UNICAST;
                case BLACKHOLE -> Kind.BLACKHOLE;
                case UNREACHABLE -> Kind.UNREACHABLE;
                case PROHIBIT -> Kind.PROHIBIT;
            };
        }
    }

    /** A policy rule; selectors are null when absent. The three default rules have a null span. */
    record RuleEntry(int priority, Prefix from, Prefix to, String iif, String oif, Long fwmark, int table, Span span) {}

    final Node model;
    final String name;
    /** Position in the data plane's node order (array index for per-node memos). */
    int index;
    /** Whether any interface forwards (the signature of a host class); the per-interface answer is {@link #sysctls}. */
    final boolean forwarding;
    /** The kernel settings ({@code forwarding}, then the {@code sysctl} keys), as the namespace holds them. */
    final Sysctls sysctls;
    final List<Dev> devs = new ArrayList<>();
    final Map<String, Dev> byName = new HashMap<>();
    final Map<Integer, List<RouteEntry>> tables = new LinkedHashMap<>();
    final List<RuleEntry> rules = new ArrayList<>();
    final Map<Integer, String> tableNames = new HashMap<>();
    /** Exact addresses of this node's devices, up or down (what the kernel's inet_lookup_ifaddr sees). */
    final Set<Addr> ifaddrs = new HashSet<>();
    /** Notes about routes the kernel would refuse to install. */
    final List<String> refused = new ArrayList<>();
    final Chain input;
    final Chain forward;
    final Chain output;
    final List<NatRule> dnat;
    final List<NatRule> snat;
    final boolean netfilter;
    final boolean defaultRulesOnly;

    NodeState(Node model) {
        this.model = model;
        this.name = model.name();
        this.sysctls = Sysctls.of(model);
        this.forwarding = sysctls.forwardsAnywhere(model, false) || sysctls.forwardsAnywhere(model, true);
        this.input = model.chain(ChainName.INPUT).orElse(null);
        this.forward = model.chain(ChainName.FORWARD).orElse(null);
        this.output = model.chain(ChainName.OUTPUT).orElse(null);
        this.dnat = model.nat().stream().filter(n -> n.type() == NatType.DNAT).toList();
        this.snat = model.nat().stream().filter(n -> n.type() != NatType.DNAT).toList();
        this.netfilter = !model.firewall().isEmpty() || !model.nat().isEmpty();
        this.defaultRulesOnly = model.rules().isEmpty();
        tableNames.put(LOCAL, "local");
        tableNames.put(MAIN, "main");
        tableNames.put(DEFAULT, "default");
    }

    int tableId(String table) {
        if (table == null) {
            return MAIN;
        }
        switch (table) {
            case "main": return MAIN;
            case "local": return LOCAL;
            case "default": return DEFAULT;
            default:
        }
        try {
            int id = Integer.parseInt(table);
            tableNames.putIfAbsent(id, table);
            return id;
        } catch (NumberFormatException e) {
            for (Map.Entry<Integer, String> t : tableNames.entrySet()) {
                if (t.getValue().equals(table)) {
                    return t.getKey();
                }
            }
            int id = 1000 + tableNames.size();
            tableNames.put(id, table);
            return id;
        }
    }

    String tableName(int id) {
        return tableNames.getOrDefault(id, Integer.toString(id));
    }

    List<RouteEntry> table(int id) {
        return tables.computeIfAbsent(id, k -> new ArrayList<>());
    }

    Dev dev(String devName) {
        return byName.get(devName);
    }

    Dev lo() {
        return byName.get("lo");
    }

    /** Longest prefix match in one table: prefix length, then lowest metric, then first installed. */
    RouteEntry lookupTable(int id, Addr dst) {
        List<RouteEntry> t = tables.get(id);
        if (t == null) {
            return null;
        }
        RouteEntry best = null;
        for (RouteEntry r : t) {
            if (r.dev != null && !r.dev.up && r.kind != RouteEntry.Kind.LOCAL) {
                continue;
            }
            if (!r.to.contains(dst)) {
                continue;
            }
            if (best == null || r.to.len() > best.to.len() || r.to.len() == best.to.len() && r.metric < best.metric) {
                best = r;
            }
        }
        return best;
    }

    /** Whether {@code a} is local to this node (its local table says so). */
    boolean isLocal(Addr a) {
        RouteEntry r = lookupTable(LOCAL, a);
        return r != null && r.kind == RouteEntry.Kind.LOCAL;
    }

    @Override
    public String toString() {
        return name;
    }
}
