package dev.topoc.compiler.model;

import dev.topoc.compiler.diag.Span;
import java.util.List;

/**
 * A reachability property: from a node to a target, by a protocol (port for tcp/udp), reaching or not,
 * optionally crossing {@code via} nodes in order and finally received by {@code lands} (nullable). For icmp,
 * {@code size} is the echo payload in bytes ({@code ping -s}, 56 by default) and {@code df} forbids
 * fragmentation ({@code ping -M do}).
 */
public record Expectation(Span span, String from, Target to, Proto proto, Integer port, boolean reach, List<String> via, String lands,
        int size, boolean df) {
    /** The payload of a default ping. */
    public static final int DEFAULT_SIZE = 56;

    public Expectation {
        via = List.copyOf(via);
    }

    /** A default-size probe, fragments allowed. */
    public Expectation(Span span, String from, Target to, Proto proto, Integer port, boolean reach, List<String> via, String lands) {
        this(span, from, to, proto, port, reach, via, lands, DEFAULT_SIZE, false);
    }
}
