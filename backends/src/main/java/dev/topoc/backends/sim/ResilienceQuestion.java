package dev.topoc.backends.sim;

import dev.topoc.compiler.model.Expectation;
import dev.topoc.compiler.model.IfRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The N-1 analysis ({@code check --resilience}): the {@code expect} lines asked again with each single link
 * and each single node down, every one over its own data plane ({@link DataPlane#of(dev.topoc.compiler.model.Topology,
 * Failures)}). An expectation from a node that is down cannot be asked and is left out of that scenario.
 */
public record ResilienceQuestion(List<Expectation> expectations) implements Question<ResilienceQuestion.Report> {
    public ResilienceQuestion {
        expectations = List.copyOf(expectations);
    }

    /** One failure and the expectations asked under it (those from the failed node left out). */
    public record Scenario(Failures failure, String description, CheckReport report) {
        /** The expectations that do not hold with this failure. */
        public List<Check> broken() {
            return report.checks().stream().filter(c -> !c.holds()).toList();
        }
    }

    /** The expectations with nothing down, then one scenario per link (in model order), then per node. */
    public record Report(CheckReport baseline, List<Scenario> scenarios) {
        public Report {
            scenarios = List.copyOf(scenarios);
        }

        /** Whether every expectation holds with nothing down and with every single failure. */
        public boolean resilient() {
            return baseline.failed() == 0 && scenarios.stream().allMatch(s -> s.report().failed() == 0);
        }
    }

    @Override
    public Report answer(DataPlane plane) {
        CheckReport baseline = new CheckQuestion(expectations).answer(plane);
        List<Scenario> out = new ArrayList<>();
        for (Map.Entry<IfRef, IfRef> l : plane.links().entrySet()) {
            Failures f = Failures.link(l.getKey());
            out.add(scenario(plane, f, "link " + l.getKey() + " -- " + l.getValue(), expectations));
        }
        for (NodeState n : plane.nodeStates()) {
            List<Expectation> asked = expectations.stream().filter(e -> !e.from().equals(n.name)).toList();
            out.add(scenario(plane, Failures.node(n.name), "node " + n.name, asked));
        }
        return new Report(baseline, out);
    }

    private static Scenario scenario(DataPlane plane, Failures f, String description, List<Expectation> asked) {
        DataPlane failed = DataPlane.of(plane.topology(), f);
        return new Scenario(f, description, new CheckQuestion(asked).answer(failed));
    }
}
