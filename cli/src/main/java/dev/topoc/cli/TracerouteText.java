package dev.topoc.cli;

import dev.topoc.backends.sim.Traceroute;
import dev.topoc.compiler.diag.Json;
import java.io.PrintWriter;
import java.util.StringJoiner;

/** How `simulate --trace` prints what traceroute would show: its lines without times, each with why, or JSON. */
final class TracerouteText {
    private TracerouteText() {}

    static void text(Traceroute t, PrintWriter out, String indent) {
        out.println(indent + "as " + t.command() + " (one probe per hop) shows it:");
        if (t.error() != null) {
            out.println(indent + "  " + t.error());
            return;
        }
        int w = t.probes().stream().mapToInt(p -> p.line().length()).max().orElse(0);
        String last = null;
        for (Traceroute.Probe p : t.probes()) {
            String why = (p.node() == null ? "" : p.node() + " ") + p.why();
            out.println((indent + "  " + String.format("%-" + w + "s", p.line()) + "   " + (why.equals(last) ? "(the same)" : why)).stripTrailing());
            last = why;
        }
        boolean cut = !t.probes().isEmpty() && t.probes().get(t.probes().size() - 1).address() == null;
        out.println(indent + "  " + (t.reached() ? "reached" : cut ? "not reached within " + t.probes().size() + " hops" : "not reached"));
    }

    static String json(Traceroute t) {
        StringJoiner probes = new StringJoiner(",", "[", "]");
        for (Traceroute.Probe p : t.probes()) {
            probes.add("{\"ttl\":" + p.ttl() + ",\"address\":" + Json.quote(p.address()) + ",\"node\":" + Json.quote(p.node())
                    + ",\"marker\":" + Json.quote(p.marker()) + ",\"why\":" + Json.quote(p.why()) + "}");
        }
        return "{\"command\":" + Json.quote(t.command()) + ",\"reached\":" + t.reached() + ",\"error\":" + Json.quote(t.error())
                + ",\"probes\":" + probes + "}";
    }
}
