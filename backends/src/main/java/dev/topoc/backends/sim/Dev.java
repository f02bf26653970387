package dev.topoc.backends.sim;

import dev.topoc.compiler.diag.Span;
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
    enum Kind { LO, VETH, PHYSICAL, BRIDGE, VLAN, VXLAN, MACVLAN, IPVLAN, DUMMY, TUN, TAP }

    final NodeState node;
    final String name;
    final Kind kind;
    final Interface model;
    final Span span;
    final List<Prefix> addrs = new ArrayList<>();
    boolean declaredUp;
    boolean up;

    Dev peer;
    Dev master;
    boolean hairpin;
    final List<Dev> ports = new ArrayList<>();

    Dev lower;
    int vlanId;
    final Map<Integer, Dev> vlans = new HashMap<>();

    MacvlanMode macMode;
    final List<Dev> macvlans = new ArrayList<>();
    IpvlanMode ipMode;
    IpvlanFlag ipFlag;
    final List<Dev> ipvlans = new ArrayList<>();

    Dev(NodeState node, Interface model, Kind kind) {
        this.node = node;
        this.model = model;
        this.name = model.name();
        this.kind = kind;
        this.span = model.span();
    }

    static Kind kind(Interface i) {
        if (i instanceof Interface.Veth) return Kind.VETH;
        if (i instanceof Interface.Bridge) return Kind.BRIDGE;
        if (i instanceof Interface.Vlan) return Kind.VLAN;
        if (i instanceof Interface.Vxlan) return Kind.VXLAN;
        if (i instanceof Interface.Macvlan) return Kind.MACVLAN;
        if (i instanceof Interface.Ipvlan) return Kind.IPVLAN;
        if (i instanceof Interface.Physical) return Kind.PHYSICAL;
        if (i instanceof Interface.Dummy) return Kind.DUMMY;
        if (i instanceof Interface.Tun) return Kind.TUN;
        if (i instanceof Interface.Tap) return Kind.TAP;
        return Kind.LO;
    }

    /** Devices that never resolve neighbours (no ARP): lo, tun, ipvlan in l3/l3s mode. */
    boolean noarp() {
        return kind == Kind.LO || kind == Kind.TUN || kind == Kind.IPVLAN && ipMode != IpvlanMode.L2;
    }

    String id() {
        return node.name + ":" + name;
    }

    @Override
    public String toString() {
        return id();
    }
}
