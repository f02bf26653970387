package dev.topoc.backends.graph;

import java.util.List;

/**
 * A packet's path to draw on the graph: the (node, interface) hops in order, and where it was dropped
 * (null when it was delivered). {@code label} says what was asked, e.g. {@code h1 → h1000}. A hop whose
 * {@code iface} is null stands for the node itself (the packet was delivered to, or born in, its stack).
 */
public record TracePath(String label, List<Hop> hops, Drop drop) {
    public TracePath {
        hops = List.copyOf(hops);
    }

    public record Hop(String node, String iface) {}

    /** The packet stopped at {@code node}; {@code reason} is the simulator's words for why. */
    public record Drop(String node, String reason) {}
}
