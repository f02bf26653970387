package dev.topoc.compiler.validate;

import dev.topoc.compiler.diag.Code;
import dev.topoc.compiler.diag.Diagnostic;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.model.IfKind;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.model.Route;
import dev.topoc.compiler.model.RouteType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A node used as a gateway by another node must forward, or it drops every packet it is handed for
 * somewhere else (the notes' router without {@code ip_forward}). Not reported when the route's
 * destination is the gateway node's own address, or an ipvlan child of the gateway interface takes it
 * (ipvlan hands packets over before the parent's node routes); external nodes are assumed to forward.
 * One warning per gateway node, at the node, with a note at every route that relies on it.
 */
final class GatewayForwardingRule implements Validator.Rule {
    private static final int MAX_NOTES = 10;

    @Override
    public void check(Facts facts, Diagnostics diagnostics) {
        Map<String, List<Route>> users = new LinkedHashMap<>();
        Map<String, String> family = new LinkedHashMap<>();
        Map<Interface, Boolean> elsewhere = new java.util.IdentityHashMap<>();
        for (Node n : facts.topology.nodes()) {
            for (Route r : n.routes()) {
                if (r.via() == null || r.type() != RouteType.UNICAST) {
                    continue;
                }
                Interface gw = facts.owner(r.via());
                Node gateway = gw == null ? null : facts.node(gw.node());
                if (gateway == null || gateway == n || Facts.forwards(gateway, r.via().isIPv6())
                        || !elsewhere.computeIfAbsent(gw, g -> hasElsewhere(gateway, g)) || ownAddress(facts, gateway, r)
                        || facts.ipvlanFor(gw, r.to()) != null) {
                    continue;
                }
                users.computeIfAbsent(gateway.name(), k -> new ArrayList<>()).add(r);
                family.putIfAbsent(gateway.name(), r.via().isIPv6() ? "IPv6" : "IPv4");
            }
        }
        users.forEach((name, routes) -> {
            Node gateway = facts.node(name);
            List<Diagnostic.Note> notes = new ArrayList<>();
            for (Route r : routes.subList(0, Math.min(MAX_NOTES, routes.size()))) {
                notes.add(new Diagnostic.Note(r.span(), "this route to " + r.to() + " uses `" + gateway.name()
                        + "` as its gateway (" + r.via().toCanonicalString() + ")"));
            }
            String more = routes.size() > MAX_NOTES ? " (" + routes.size() + " routes in all)" : "";
            diagnostics.add(Code.GATEWAY_WITHOUT_FORWARDING.at(gateway.span(), gateway.name(), more,
                    family.get(name)).withNotes(notes));
        });
    }

    /**
     * True when the gateway node could send a packet on to somewhere else: a route of its own, or another
     * interface with an address. A node with one L3 interface and no routes (a bridge host that is every
     * host's gateway, say) has nowhere to forward to, so forwarding would change nothing.
     */
    private static boolean hasElsewhere(Node gateway, Interface gw) {
        if (!gateway.routes().isEmpty()) {
            return true;
        }
        return gateway.interfaces().stream().anyMatch(i -> i != gw && i.ifKind() != IfKind.LOOPBACK
                && !i.addresses().isEmpty());
    }

    /** True when the route's destination is a single address of the gateway node itself (nothing to forward). */
    private static boolean ownAddress(Facts facts, Node gateway, Route r) {
        int host = r.to().isIpv4() ? 32 : 128;
        if (r.to().prefixLength() != host) {
            return false;
        }
        Interface owner = facts.owner(r.to().address());
        return owner != null && owner.node().equals(gateway.name());
    }
}
