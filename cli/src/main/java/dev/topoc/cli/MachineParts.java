package dev.topoc.cli;

import dev.topoc.backends.ansible.MachineTarget;
import dev.topoc.compiler.model.Link;
import dev.topoc.compiler.model.Machine;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.model.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * TEMPORARY ADAPTER (issue 15), until the machines branch's stitching ({@code dev.topoc.compiler.machines.Stitching})
 * is merged: splits a topology with machines into one part per machine — the nodes placed on it and the links
 * between them — without stitching. A link between two machines is refused with a message (it needs the VXLAN
 * stitching); so is a topology without machines. Replace the body of {@link #of} by the stitching's parts.
 */
final class MachineParts {
    private MachineParts() {}

    /** The parts, or a refusal: {@code error} set, {@code parts} empty. */
    record Split(List<MachineTarget> parts, String error) {}

    static Split of(Topology t) {
        if (t.machines().isEmpty()) {
            return new Split(List.of(), "--target ansible deploys a topology spread over machines: declare them "
                    + "(`machine hv1 { ssh 192.0.2.11  underlay 198.18.0.1 }`) and place each node (`node web { machine hv1 … }`)");
        }
        Map<String, Node> nodes = t.nodesByName();
        for (Link l : t.links()) {
            Optional<String> a = nodes.get(l.a().node()).machine();
            Optional<String> b = nodes.get(l.b().node()).machine();
            if (!a.equals(b)) {
                return new Split(List.of(), t.span().file() + ":" + l.span().line() + ": link " + l.a().node() + ":" + l.a().iface()
                        + " -- " + l.b().node() + ":" + l.b().iface() + " crosses machines; their VXLAN stitching is not in this "
                        + "build yet (issue 15)");
            }
        }
        List<MachineTarget> parts = new ArrayList<>();
        for (Machine m : t.machines()) {
            List<Node> mine = t.nodes().stream().filter(n -> n.machine().equals(Optional.of(m.name()))).toList();
            List<Link> links = t.links().stream().filter(l -> nodes.get(l.a().node()).machine().equals(Optional.of(m.name()))).toList();
            Topology part = new Topology(t.name() + "-" + m.name(), t.span(), List.of(m), mine, links, List.of());
            parts.add(new MachineTarget(m.name(), m.span(), m.ssh(),
                    m.underlay().map(u -> u.toCanonicalString()).orElse(null), part));
        }
        return new Split(parts, null);
    }
}
