package dev.topoc.backends.sim;

import dev.topoc.compiler.diag.Span;
import dev.topoc.compiler.model.IfKind;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.IpvlanFlag;
import dev.topoc.compiler.model.IpvlanMode;
import dev.topoc.compiler.model.MacvlanMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A network device of the data plane: one model interface with its wiring resolved to other devices. */
final class Dev {
    final NodeState node;
    final String name;
    final IfKind kind;
    final Interface model;
    final Span span;
    final List<Prefix> addrs = new ArrayList<>();
    boolean declaredUp;
    boolean up;
    /** The MTU the kernel gives the device ({@code Analysis.mtu}). */
    int mtu = 1500;

    Dev peer;
    /** The peer of a failed link's end (its {@link #peer} is then null: nothing crosses), else null. */
    Dev cut;
    /** Why this device has no carrier (a failed link or node, {@link Failures}), else null. */
    String noCarrier;
    Dev master;
    boolean hairpin;
    final List<Dev> ports = new ArrayList<>();

    Dev lower;
    int vlanId;
    final Map<Integer, Dev> vlans = new HashMap<>();

    /** The VXLAN's own settings (VNI, port, remote, group); null for other kinds. */
    Interface.Vxlan vxlan;

    MacvlanMode macMode;
    final List<Dev> macvlans = new ArrayList<>();
    IpvlanMode ipMode;
    IpvlanFlag ipFlag;
    final List<Dev> ipvlans = new ArrayList<>();

    Dev(NodeState node, Interface model) {
        this.node = node;
        this.model = model;
        this.name = model.name();
        this.kind = model.ifKind();
        this.span = model.span();
    }

    /** Devices that never resolve neighbours (no ARP): lo, tun, ipvlan in l3/l3s mode. */
    boolean noarp() {
        return switch (kind) {
            case LOOPBACK, TUN -> true;
            case IPVLAN -> ipMode != IpvlanMode.L2;
            case VETH, PHYSICAL, BRIDGE, VLAN, VXLAN, MACVLAN, DUMMY, TAP -> false;
        };
    }

    /** Kinds that are one end of a cable: what one end sends, its peer receives. */
    boolean cableEnd() {
        return switch (kind) {
            case VETH, PHYSICAL -> true;
            case BRIDGE, VLAN, VXLAN, MACVLAN, IPVLAN, DUMMY, TUN, TAP, LOOPBACK -> false;
        };
    }

    /** Whether {@code a} is one of this device's own addresses. */
    boolean owns(Addr a) {
        for (Prefix p : addrs) {
            if (p.addr().equals(a)) {
                return true;
            }
        }
        return false;
    }

    String id() {
        return node.name + ":" + name;
    }

    @Override
    public String toString() {
        return id();
    }
}
