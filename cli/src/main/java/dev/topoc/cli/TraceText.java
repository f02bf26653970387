package dev.topoc.cli;

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
            hops.add("{\"leg\":" + Json.str(h.leg().name().toLowerCase()) + ",\"node\":" + Json.str(h.node()) + ",\"iface\":"
                    + Json.str(h.iface()) + ",\"text\":" + Json.str(h.text()) + "}");
        }
        StringJoiner path = new StringJoiner(",", "[", "]");
        t.path().forEach(p -> path.add(Json.str(p)));
        return "{\"from\":" + Json.str(t.from()) + ",\"to\":" + Json.str(t.to()) + ",\"address\":" + Json.str(t.address())
                + ",\"proto\":" + Json.str(t.proto().word()) + ",\"port\":" + t.port() + ",\"reaches\":" + t.reaches()
                + ",\"lands\":" + Json.str(t.lands()) + ",\"path\":" + path + ",\"reason\":" + Json.str(t.reason())
                + ",\"hops\":" + hops + "}";
    }
}
