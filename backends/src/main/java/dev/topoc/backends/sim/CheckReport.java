package dev.topoc.backends.sim;

import java.util.List;

/** The answer of a {@link CheckQuestion}: one {@link Check} per expectation, in order. */
public record CheckReport(List<Check> checks) {
    public CheckReport {
        checks = List.copyOf(checks);
    }

    /** How many expectations do not hold. */
    public int failed() {
        return (int) checks.stream().filter(c -> !c.holds()).count();
    }
}
