package dev.topoc.compiler.machines;

import dev.topoc.compiler.model.Topology;
import java.util.List;

/**
 * A topology with machines, stitched (docs/machines.md): {@code whole} is everything that is really built, as
 * one topology the simulator runs (the machines' default namespaces as {@code root} nodes with their
 * underlay addresses on one underlay network, the tunnels' veth, bridge and VXLAN devices), and {@code parts}
 * what each machine builds, one per machine in declaration order. A topology without machines is its own whole
 * and has no parts.
 */
public record Stitched(Topology whole, List<MachinePart> parts) {
    public Stitched {
        parts = List.copyOf(parts);
    }
}
