package dev.topoc.backends.graph;

import dev.topoc.backends.sim.DataPlane;
import dev.topoc.backends.sim.Hop;
import dev.topoc.backends.sim.PingQuestion;
import dev.topoc.backends.sim.Trace;
import dev.topoc.compiler.model.Proto;
import dev.topoc.compiler.model.Topology;
import java.util.ArrayList;
import java.util.List;

/**
 * The simulator as the source of {@code --highlight} paths: an ICMP {@link PingQuestion} from A to B, drawn as the
 * request's hops; when the request arrived but the reply was lost, the reply's hops follow, so the drop
 * is shown where it happened.
 */
public final class SimulatedPaths implements PathSource {
    @Override
    public TracePath trace(Topology model, String from, String to) {
        DataPlane plane = DataPlane.of(model);
        Trace t = plane.ask(PingQuestion.of(plane, from, to, Proto.ICMP, null));
        List<TracePath.Hop> hops = new ArrayList<>();
        boolean replyNeeded = !t.reaches() && t.lands() != null;
        for (Hop h : t.hops()) {
            if (h.leg() == Hop.Leg.REQUEST || replyNeeded) {
                TracePath.Hop hop = new TracePath.Hop(h.node(), h.iface());
                if (hops.isEmpty() || !hops.get(hops.size() - 1).equals(hop)) {
                    hops.add(hop);
                }
            }
        }
        TracePath.Drop drop = null;
        if (!t.reaches()) {
            String at = hops.isEmpty() ? from : hops.get(hops.size() - 1).node();
            drop = new TracePath.Drop(at, t.reason());
        }
        return new TracePath(from + " → " + to, hops, drop);
    }
}
