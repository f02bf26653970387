package dev.topoc.backends.graph;

import dev.topoc.compiler.model.Topology;

/**
 * Where {@code topoc graph --highlight A B} gets its path from. The simulator (backends/sim) is meant to
 * provide it: a {@code PingQuestion} asked of {@code DataPlane.of(model)} gives a {@code Trace} whose hops and drop reason
 * map one to one onto a {@link TracePath}. The graph backend only draws what it is given.
 */
@FunctionalInterface
public interface PathSource {
    /**
     * The path a packet from {@code from} (a node) to {@code to} (a node, {@code node:iface} or an address)
     * takes in {@code model}.
     *
     * @throws IllegalArgumentException when {@code from} or {@code to} names nothing in the model
     * @throws UnsupportedOperationException when no simulator is available to trace paths
     */
    TracePath trace(Topology model, String from, String to);

    /** The source used until the simulator is wired in: it traces nothing and says why. */
    PathSource UNAVAILABLE = (model, from, to) -> {
        throw new UnsupportedOperationException("--highlight needs the simulator (backends/sim), which this build does not include yet");
    };
}
