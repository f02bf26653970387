package dev.topoc.compiler.machines;

import dev.topoc.compiler.model.IfRef;
import dev.topoc.compiler.model.Link;
import dev.topoc.compiler.model.Machine;

/**
 * A link whose ends are on two machines, as stitching builds it (docs/machines.md): {@code a} is on machine
 * {@code ma}, {@code b} on {@code mb}; {@code vni} is the link's own or the allocated one, {@code port} the
 * VXLAN UDP port, {@code budget} the largest inner MTU the underlay carries, {@code mtu} the MTU its ends get
 * (the link's {@code mtu}, else the budget).
 */
public record Tunnel(Link link, IfRef a, Machine ma, IfRef b, Machine mb, int vni, int port, int budget, int mtu) {
    /** The name of a stitching device on either machine: {@code st<VNI>-v} (veth), {@code -br}, {@code -vx}; at most 13 characters. */
    public String device(String suffix) {
        return "st" + vni + "-" + suffix;
    }

    public String veth() {
        return device("v");
    }

    public String bridge() {
        return device("br");
    }

    public String vxlan() {
        return device("vx");
    }
}
