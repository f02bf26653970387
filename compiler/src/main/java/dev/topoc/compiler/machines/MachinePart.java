package dev.topoc.compiler.machines;

import dev.topoc.compiler.model.Machine;
import dev.topoc.compiler.model.Topology;

/**
 * What one machine builds: {@code topology} holds the nodes placed on {@code machine}, the machine's default
 * namespace (a {@code root} node) with the stitching devices of every tunnel that leaves the machine, and the
 * links among them; its {@code machines} list is this machine alone. Its underlay NIC is the machine's own and
 * is not in the part (the tunnels' VXLAN devices name {@code local}, not {@code dev}). Compiles with the bash
 * and networkd backends like any topology.
 */
public record MachinePart(Machine machine, Topology topology) {}
