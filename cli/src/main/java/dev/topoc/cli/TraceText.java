package dev.topoc.cli;

import dev.topoc.compiler.diag.Json;
import dev.topoc.backends.sim.Hop;
import dev.topoc.backends.sim.Trace;
import java.io.PrintWriter;
import java.util.StringJoiner;

/** How traces are printed by `simulate` and `check`: text like traceroute, or JSON. */
final class TraceText {
    private TraceText() {}

    static void text(Trace t, PrintWriter out, String indent) {
        out.println(indent + t.summary());
        Hop.Leg leg = null;
        for (Hop h : t.hops()) {
            if (h.leg() != leg) {
                leg = h.leg();
                out.println(indent + "  " + (leg == Hop.Leg.REQUEST ? "request:" : "reply:"));
            }
            out.println(indent + "    " + h);
        }
    }

    static String json(Trace t) {
        StringJoiner hops = new StringJoiner(",", "[", "]");
        for (Hop h : t.hops()) {
            hops.add("{\"leg\":" + Json.quote(h.leg().name().toLowerCase()) + ",\"node\":" + Json.quote(h.node()) + ",\"iface\":"
                    + Json.quote(h.iface()) + ",\"text\":" + Json.quote(h.text()) + "}");
        }
        StringJoiner path = new StringJoiner(",", "[", "]");
        t.path().forEach(p -> path.add(Json.quote(p)));
        return "{\"from\":" + Json.quote(t.from()) + ",\"to\":" + Json.quote(t.to()) + ",\"address\":" + Json.quote(t.address())
                + ",\"proto\":" + Json.quote(t.proto().word()) + ",\"port\":" + t.port() + ",\"reaches\":" + t.reaches()
                + ",\"lands\":" + Json.quote(t.lands()) + ",\"path\":" + path + ",\"reason\":" + Json.quote(t.reason())
                + ",\"hops\":" + hops + "}";
    }
}
