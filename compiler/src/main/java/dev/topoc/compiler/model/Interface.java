package dev.topoc.compiler.model;

import dev.topoc.compiler.diag.Span;
import inet.ipaddr.IPAddress;
import java.util.List;

/** An interface of a node; one record per kind. */
public sealed interface Interface {
    IfCommon common();

    /** The kind's word in both spellings ({@code veth}, {@code bridge}, ...). */
    String kind();

    default String name() {
        return common().name();
    }

    default String node() {
        return common().node();
    }

    default IfRef ref() {
        return common().ref();
    }

    default Span span() {
        return common().span();
    }

    default List<Cidr> addresses() {
        return common().addresses();
    }

    /** One end of a link; {@code peer} is the other end (null if the veth is not on any link). */
    record Veth(IfCommon common, IfRef peer) implements Interface {
        public String kind() { return "veth"; }
    }

    /** A Linux bridge; {@code subnet} (nullable) is the pool for {@code auto} addresses of its L2 domain. */
    record Bridge(IfCommon common, boolean stp, Cidr subnet) implements Interface {
        public String kind() { return "bridge"; }
    }

    /** An 802.1Q sub-interface of {@code parent} (on this node or another: created there and moved here). */
    record Vlan(IfCommon common, IfRef parent, int id) implements Interface {
        public String kind() { return "vlan"; }
    }

    /** A VXLAN tunnel endpoint; {@code remote} or {@code group} (nullable) says where to send; {@code dev} is nullable. */
    record Vxlan(IfCommon common, long vni, IPAddress local, IPAddress remote, IPAddress group, String dev, int port) implements Interface {
        public String kind() { return "vxlan"; }
    }

    record Macvlan(IfCommon common, IfRef parent, MacvlanMode mode) implements Interface {
        public String kind() { return "macvlan"; }
    }

    /** {@code flag} is null when not set. */
    record Ipvlan(IfCommon common, IfRef parent, IpvlanMode mode, IpvlanFlag flag) implements Interface {
        public String kind() { return "ipvlan"; }
    }

    /** A NIC that already exists; {@code peer} is the other end of its cable, null when none is modelled. */
    record Physical(IfCommon common, IfRef peer) implements Interface {
        public String kind() { return "physical"; }
    }

    record Dummy(IfCommon common) implements Interface {
        public String kind() { return "dummy"; }
    }

    record Tun(IfCommon common) implements Interface {
        public String kind() { return "tun"; }
    }

    record Tap(IfCommon common) implements Interface {
        public String kind() { return "tap"; }
    }

    /** {@code lo}: always present and up; extra addresses may be added. */
    record Loopback(IfCommon common) implements Interface {
        public String kind() { return "loopback"; }
    }
}
