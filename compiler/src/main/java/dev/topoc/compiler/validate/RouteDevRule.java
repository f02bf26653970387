package dev.topoc.compiler.validate;

import dev.topoc.compiler.analysis.Connected;
import dev.topoc.compiler.diag.Code;
import dev.topoc.compiler.diag.Diagnostic;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.model.Route;
import java.util.List;

/**
 * {@code route … via G dev D}: D must carry G's subnet (an address of D, or a device route over D), or the
 * kernel refuses the route. Reported only when G is connected through another interface (which the note
 * names); a gateway on no connected subnet at all is {@link GatewayConnectedRule}'s.
 */
final class RouteDevRule implements Validator.Rule {
    @Override
    public void check(Facts facts, Diagnostics diagnostics) {
        for (Node n : facts.topology.nodes()) {
            for (Route r : n.routes()) {
                if (r.via() == null || r.dev() == null || Connected.alwaysOnLink(r.via())) {
                    continue;
                }
                Interface dev = n.iface(r.dev()).orElse(null);
                if (dev == null || Connected.carries(dev, r.via())) {
                    continue;
                }
                Route devRoute = Connected.deviceRouteTo(n, r.via());
                if (devRoute != null && r.dev().equals(devRoute.dev())) {
                    continue;
                }
                Interface right = Connected.subnetOf(n, r.via());
                if (right == null && devRoute == null) {
                    continue;
                }
                String rightName = right != null ? right.name() : devRoute.dev();
                diagnostics.add(Code.DEV_WITHOUT_GATEWAY_SUBNET.at(r.span(), r.via().toCanonicalString(), r.dev(),
                        rightName).withNotes(List.of(right != null
                                ? new Diagnostic.Note(right.span(), "the gateway's subnet is on `" + right.ref() + "`")
                                : new Diagnostic.Note(devRoute.span(), "the gateway is reached over `" + devRoute.dev()
                                        + "` by this route"))));
            }
        }
    }
}
