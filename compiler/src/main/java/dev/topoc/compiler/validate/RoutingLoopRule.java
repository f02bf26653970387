package dev.topoc.compiler.validate;

import dev.topoc.compiler.diag.Code;
import dev.topoc.compiler.diag.Diagnostic;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.diag.Span;
import dev.topoc.compiler.model.Cidr;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.model.Route;
import dev.topoc.compiler.model.RouteType;
import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Static routes that send a destination round in a circle. For one destination prefix P, every node
 * makes one choice (the longest of its prefixes that contains all of P: a connected subnet or a route
 * without gateway ends the path, a route with {@code via} hands it to the node owning the gateway), so
 * the next-hop graph of P has out-degree at most one and a walk finds its cycles; nodes already walked
 * for P are not walked again. Only nodes that are some route's gateway can be on a cycle, and the most
 * specific prefix of a cycle is a route's own destination, so it suffices to walk, for each route of
 * such a node, its destination from its node: work proportional to the routes times the path lengths,
 * never per pair of hosts. The main table is followed (policy rules are not).
 */
final class RoutingLoopRule implements Validator.Rule {
    /** One choice of a node: a gateway route, or (route null) the end of the path. */
    private record Hop(Node node, Route route, int index) {}

    @Override
    public void check(Facts facts, Diagnostics diagnostics) {
        Set<String> gateways = new HashSet<>();
        for (Node n : facts.topology.nodes()) {
            for (Route r : n.routes()) {
                Interface owner = forwarding(r) ? facts.owner(r.via()) : null;
                if (owner != null && !owner.node().equals(n.name())) {
                    gateways.add(owner.node());
                }
            }
        }
        Map<String, PrefixTable<Hop>> tables = new HashMap<>();
        Map<String, List<Hop>> starts = new LinkedHashMap<>();
        for (Node n : facts.topology.nodes()) {
            if (!gateways.contains(n.name()) || n.routes().stream().noneMatch(RoutingLoopRule::forwarding)) {
                continue;
            }
            tables.put(n.name(), table(n));
            for (int k = 0; k < n.routes().size(); k++) {
                Route r = n.routes().get(k);
                if (forwarding(r)) {
                    starts.computeIfAbsent(r.to().toString(), x -> new ArrayList<>()).add(new Hop(n, r, k));
                }
            }
        }
        Set<String> reported = new HashSet<>();
        for (List<Hop> group : starts.values()) {
            Cidr dst = group.get(0).route().to();
            IPAddress block = dst.network();
            Set<String> done = new HashSet<>();
            for (Hop start : group) {
                walk(facts, tables, dst, block, start.node(), done, reported, diagnostics);
            }
        }
    }

    private static boolean forwarding(Route r) {
        return r.via() != null && r.type() == RouteType.UNICAST && "main".equals(r.table());
    }

    /** A node's choices in its main table: connected subnets and gateway-less routes end a path. */
    private static PrefixTable<Hop> table(Node n) {
        PrefixTable<Hop> t = new PrefixTable<>();
        Hop end = new Hop(n, null, -1);
        for (Interface i : n.interfaces()) {
            i.addresses().forEach(c -> t.putIfAbsent(c.network(), end));
        }
        List<Integer> order = new ArrayList<>();
        for (int k = 0; k < n.routes().size(); k++) {
            if ("main".equals(n.routes().get(k).table())) {
                order.add(k);
            }
        }
        // of two routes to one prefix the lower metric wins
        order.sort(Comparator.comparingLong(k -> n.routes().get(k).metric() == null ? 0L
                : Integer.toUnsignedLong(n.routes().get(k).metric())));
        for (int k : order) {
            Route r = n.routes().get(k);
            t.putIfAbsent(r.to().network(), forwarding(r) ? new Hop(n, r, k) : end);
        }
        return t;
    }

    private static void walk(Facts facts, Map<String, PrefixTable<Hop>> tables, Cidr dst, IPAddress block, Node from,
            Set<String> done,
            Set<String> reported, Diagnostics diagnostics) {
        LinkedHashMap<String, Hop> path = new LinkedHashMap<>();
        Node cur = from;
        while (cur != null && !done.contains(cur.name())) {
            if (cur != from && !Facts.forwards(cur, !dst.isIpv4())) {
                break; // a node that does not forward drops the packet: no loop through it
            }
            PrefixTable<Hop> table = tables.get(cur.name());
            Hop hop = table == null ? null : table.longestContaining(block);
            if (hop == null || hop.route() == null) {
                break;
            }
            path.put(cur.name(), hop);
            Interface gateway = facts.owner(hop.route().via());
            if (gateway == null || gateway.node().equals(cur.name()) || facts.ipvlanFor(gateway, dst) != null) {
                break;
            }
            if (path.containsKey(gateway.node())) {
                report(cycleFrom(path, gateway.node()), dst, facts, reported, diagnostics);
                break;
            }
            cur = facts.node(gateway.node());
        }
        done.addAll(path.keySet());
    }

    private static List<Hop> cycleFrom(LinkedHashMap<String, Hop> path, String first) {
        List<Hop> cycle = new ArrayList<>();
        boolean in = false;
        for (var e : path.entrySet()) {
            in |= e.getKey().equals(first);
            if (in) {
                cycle.add(e.getValue());
            }
        }
        return cycle;
    }

    private static void report(List<Hop> cycle, Cidr dst, Facts facts, Set<String> reported, Diagnostics diagnostics) {
        List<String> key = cycle.stream().map(h -> h.node().name() + "#" + h.index()).sorted().toList();
        if (!reported.add(String.join(",", key))) {
            return;
        }
        int first = 0;
        for (int k = 1; k < cycle.size(); k++) {
            if (before(cycle.get(k), cycle.get(first))) {
                first = k;
            }
        }
        List<Hop> ordered = new ArrayList<>(cycle.subList(first, cycle.size()));
        ordered.addAll(cycle.subList(0, first));
        StringBuilder names = new StringBuilder();
        ordered.forEach(h -> names.append('`').append(h.node().name()).append("` → "));
        names.append('`').append(ordered.get(0).node().name()).append('`');
        List<Diagnostic.Note> notes = new ArrayList<>();
        for (int k = 1; k < ordered.size(); k++) {
            Hop h = ordered.get(k);
            String next = ordered.get((k + 1) % ordered.size()).node().name();
            notes.add(new Diagnostic.Note(h.route().span(), "then `" + h.node().name() + "` sends it via "
                    + h.route().via().toCanonicalString() + " to `" + next + "` with this route"));
        }
        Hop head = ordered.get(0);
        String second = ordered.get(1 % ordered.size()).node().name();
        diagnostics.add(Code.ROUTING_LOOP.at(head.route().span(), dst, names, head.node().name(),
                head.route().via().toCanonicalString(), second).withNotes(notes));
    }

    private static boolean before(Hop a, Hop b) {
        Span x = a.route().span();
        Span y = b.route().span();
        int c = x.file().compareTo(y.file());
        if (c == 0) {
            c = Integer.compare(x.line(), y.line());
        }
        if (c == 0) {
            c = Integer.compare(x.column(), y.column());
        }
        if (c == 0) {
            c = a.node().name().compareTo(b.node().name());
        }
        return c < 0;
    }
}
