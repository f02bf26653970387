package dev.topoc.backends.sim;

import dev.topoc.compiler.model.Expectation;
import dev.topoc.compiler.model.Topology;
import java.util.ArrayList;
import java.util.List;

/**
 * Do the {@code expect} lines hold? Each is a {@link PingQuestion}; it holds when the verdict is the one
 * expected and, for a reach, the request crossed the {@code via} nodes in order and landed on {@code lands}.
 */
public record CheckQuestion(List<Expectation> expectations) implements Question<CheckReport> {
    public CheckQuestion {
        expectations = List.copyOf(expectations);
    }

    /** Every expectation the topology states. */
    public static CheckQuestion all(Topology topology) {
        return new CheckQuestion(topology.expectations());
    }

    @Override
    public CheckReport answer(DataPlane plane) {
        return new CheckReport(expectations.stream().map(e -> check(plane, e)).toList());
    }

    static Check check(DataPlane plane, Expectation e) {
        Trace t;
        try {
            t = new PingQuestion(e.from(), e.to(), e.proto(), e.port(), e.size(), e.df(), e.family()).answer(plane);
        } catch (IllegalArgumentException ex) {
            return new Check(e, false, null, ex.getMessage());
        }
        List<String> problems = new ArrayList<>();
        if (t.reaches() != e.reach()) {
            problems.add(e.reach() ? "expected to reach, but " + t.reason() : "expected no reach, but it reaches");
        }
        if (e.reach() && t.reaches()) {
            if (!e.via().isEmpty() && !inOrder(t.path(), e.via())) {
                problems.add("expected via " + String.join(" ", e.via()) + ", but the request went " + String.join(" > ", t.path()));
            }
            if (e.lands() != null && !e.lands().equals(t.lands())) {
                problems.add("expected to land on " + e.lands() + ", but it lands on " + t.lands());
            }
        }
        // a redirect its sender follows changes the path of later packets (one it ignores, accept_redirects 0 or IPv6 from
        // another address than its gateway, changes nothing), and a path MTU an IPv6 sender learns from a packet too big
        // without DF changes their fate (the sender fragments them itself)
        String redirect = t.hops().stream().filter(h -> h.leg() == Hop.Leg.REQUEST && (h.text().startsWith(Walk.REDIRECT)
                        && h.text().contains(Walk.FOLLOWED) || h.text().startsWith(Walk.PMTU)))
                .map(h -> h.node() + " " + h.text()).findFirst().orElse(null);
        if (redirect != null) {
            // ICMP redirects and a learned path MTU change later packets, which no question asks: said, not silently ignored
            problems.add("for the first packet only: " + redirect);
        }
        boolean holds = problems.size() == (redirect == null ? 0 : 1);
        return new Check(e, holds, t, problems.isEmpty() ? "holds" : holds ? "holds " + problems.get(0) : String.join("; ", problems));
    }

    private static boolean inOrder(List<String> path, List<String> via) {
        int i = 0;
        for (String n : path) {
            if (i < via.size() && via.get(i).equals(n)) {
                i++;
            }
        }
        return i == via.size();
    }
}
