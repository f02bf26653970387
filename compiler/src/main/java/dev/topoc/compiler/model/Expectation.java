package dev.topoc.compiler.model;

import dev.topoc.compiler.diag.Span;
import java.util.List;

/**
 * A reachability property: from a node to a target, by a protocol (port for tcp/udp), reaching or not,
 * optionally crossing {@code via} nodes in order and finally received by {@code lands} (nullable).
 */
public record Expectation(Span span, String from, Target to, Proto proto, Integer port, boolean reach, List<String> via, String lands) {
    public Expectation {
        via = List.copyOf(via);
    }
}
