package dev.topoc.compiler.validate;

import dev.topoc.compiler.analysis.Connected;
import dev.topoc.compiler.diag.Code;
import dev.topoc.compiler.diag.Diagnostic;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.model.Cidr;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.model.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A gateway ({@code via}) must be on a subnet the node reaches on-link: one of its addresses' subnets or a
 * device route. Otherwise the kernel refuses the route ("Nexthop has invalid gateway").
 */
final class GatewayConnectedRule implements Validator.Rule {
    @Override
    public void check(Facts facts, Diagnostics diagnostics) {
        for (Node n : facts.topology.nodes()) {
            for (Route r : n.routes()) {
                if (r.via() == null || Connected.alwaysOnLink(r.via()) || Connected.subnetOf(n, r.via()) != null
                        || Connected.deviceRouteTo(n, r.via()) != null) {
                    continue;
                }
                String subnets = n.interfaces().stream().flatMap(i -> i.addresses().stream())
                        .filter(c -> c.isIpv4() == r.via().isIPv4()).map(Cidr::networkCidr).map(Object::toString)
                        .distinct().collect(Collectors.joining(", "));
                List<Diagnostic.Note> notes = new ArrayList<>();
                Interface owner = facts.owner(r.via());
                if (owner != null) {
                    notes.add(new Diagnostic.Note(owner.span(), r.via().toCanonicalString() + " is assigned to `"
                            + owner.ref() + "` here"));
                }
                diagnostics.add(Code.GATEWAY_NOT_CONNECTED.at(r.span(), r.via().toCanonicalString(), n.name(),
                        (subnets.isEmpty() ? "it has no address of that family" : "its subnets: " + subnets)).withNotes(notes));
            }
        }
    }
}
