package dev.topoc.compiler.model;

import dev.topoc.compiler.diag.Span;
import java.util.List;

/**
 * A reachability property: from a node to a target, by a protocol (port for tcp/udp), reaching or not,
 * optionally crossing {@code via} nodes in order and finally received by {@code lands} (nullable). For icmp,
 * {@code size} is the echo payload in bytes ({@code ping -s}, 56 by default) and {@code df} forbids
 * fragmentation ({@code ping -M do}). {@code family} (4, 6, or null when not written) chooses which address of a
 * node or interface is the target: without it, the first IPv4 address, or the first IPv6 one when there is none.
 */
public record Expectation(Span span, String from, Target to, Proto proto, Integer port, boolean reach, List<String> via, String lands,
        int size, boolean df, Integer family) {
    /** The payload of a default ping. */
    public static final int DEFAULT_SIZE = 56;

    public Expectation {
        via = List.copyOf(via);
    }

    /** As written without a family ({@code v4}/{@code v6}): {@link #family} is null. */
    public Expectation(Span span, String from, Target to, Proto proto, Integer port, boolean reach, List<String> via, String lands,
            int size, boolean df) {
        this(span, from, to, proto, port, reach, via, lands, size, df, null);
    }

    /** A default-size probe, fragments allowed. */
    public Expectation(Span span, String from, Target to, Proto proto, Integer port, boolean reach, List<String> via, String lands) {
        this(span, from, to, proto, port, reach, via, lands, DEFAULT_SIZE, false);
    }
}
