package dev.topoc.backends.ansible;

import dev.topoc.compiler.diag.Span;
import dev.topoc.compiler.model.Topology;
import java.util.Objects;

/**
 * One machine the Ansible backend deploys to, and its part of the topology: what that machine's
 * {@code apply.sh} builds (its nodes, and its default namespace — a {@code root} node — with the VXLAN
 * devices and bridges that stitch its links to other machines).
 *
 * @param name the machine's name (an inventory host name)
 * @param span where the machine is declared (for diagnostics; may be null)
 * @param ssh the address or host name Ansible reaches it at ({@code ansible_host})
 * @param underlay the machine's own address that tunnels leave from (null when no link crosses to it)
 * @param part the topology this machine builds; its name is the lab's record key on the machine, so two
 *     machines of one deployment have parts with different names
 */
public record MachineTarget(String name, Span span, String ssh, String underlay, Topology part) {
    public MachineTarget {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(ssh, "ssh");
        Objects.requireNonNull(part, "part");
    }
}
