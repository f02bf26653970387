package dev.topoc.cli;

import dev.topoc.backends.ansible.MachineTarget;
import dev.topoc.compiler.machines.MachinePart;
import dev.topoc.compiler.machines.Stitching;
import dev.topoc.compiler.model.Machine;
import dev.topoc.compiler.model.Topology;
import java.util.List;

/**
 * What {@code compile --target ansible} deploys: the stitched topology's parts ({@link Stitching#of}), one per
 * machine with the ssh and underlay addresses the inventory and the sandbox need. A topology without machines is
 * refused with a message (there is nothing to place).
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
        List<MachineTarget> parts = Stitching.of(t).parts().stream().map(MachineParts::target).toList();
        return new Split(parts, null);
    }

    private static MachineTarget target(MachinePart p) {
        Machine m = p.machine();
        return new MachineTarget(m.name(), m.span(), m.ssh(), m.underlay().map(u -> u.withoutPrefixLength().toCanonicalString())
                .orElse(null), p.topology());
    }
}
