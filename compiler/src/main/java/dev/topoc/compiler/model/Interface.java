package dev.topoc.compiler.model;

import dev.topoc.compiler.diag.Span;
import inet.ipaddr.IPAddress;
import java.util.List;

/**
 * An interface of a node; one record per kind, each described by its {@link IfKind}.
 *
 * <p>How code branches on the kind (Java 17: no pattern matching for {@code switch}). There are two
 * exhaustive ways, and no other is used:
 * <ul>
 *   <li>{@link #accept(Cases)}: a visitor with one method per record, for code that needs the record's
 *       fields. A new record adds a method to {@link Cases}, so every stage's {@code Cases} stops
 *       compiling until it says what the new kind does.</li>
 *   <li>{@link #ifKind()} in a {@code switch} <em>expression</em> without {@code default}, for code that
 *       needs only the kind: javac refuses a switch expression that misses an enum constant.</li>
 * </ul>
 * In the switch, a case that needs the record's fields casts to it ({@code case VLAN -> ((Vlan) i).id()}):
 * the cast cannot fail, each kind having exactly one record (IfKindTest). A question about one kind
 * only, where other kinds are simply not concerned ("every VLAN of the node", "is the master a bridge
 * without STP?"), is a filter, not a branch: {@link Node#interfaces(Class)} and {@link #as(Class)}.
 * {@code instanceof} chains over the records and {@code default} branches over {@link IfKind} are not used: they
 * let a new kind compile and then fall through silently (a test scans the main sources for them). The
 * visitor was chosen over the enum alone because it also gives typed access to the record without casts,
 * and it cannot be written non-exhaustively; the enum switch is kept for the many one-line decisions
 * (the kind's word in {@code ip link add ... type}, whether the kind is a cable end) where a visitor's
 * eleven methods would hide the one that matters.
 */
public sealed interface Interface {
    IfCommon common();

    /** The kind's description: word, keys, defaults, DSL form. */
    IfKind ifKind();

    /** Calls the method of {@code cases} for this record. */
    <R> R accept(Cases<R> cases);

    /** The kind's word in both spellings ({@code veth}, {@code bridge}, ...). */
    default String kind() {
        return ifKind().word();
    }

    /** This interface as the given record, when it is one. */
    default <T extends Interface> java.util.Optional<T> as(Class<T> record) {
        return record.isInstance(this) ? java.util.Optional.of(record.cast(this)) : java.util.Optional.empty();
    }

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

    /** One method per record: what a stage does with each kind. */
    interface Cases<R> {
        R veth(Veth i);

        R bridge(Bridge i);

        R vlan(Vlan i);

        R vxlan(Vxlan i);

        R macvlan(Macvlan i);

        R ipvlan(Ipvlan i);

        R physical(Physical i);

        R dummy(Dummy i);

        R tun(Tun i);

        R tap(Tap i);

        R loopback(Loopback i);
    }

    /** One end of a link; {@code peer} is the other end (null if the veth is not on any link). */
    record Veth(IfCommon common, IfRef peer) implements Interface {
        public IfKind ifKind() { return IfKind.VETH; }
        public <R> R accept(Cases<R> cases) { return cases.veth(this); }
    }

    /** A Linux bridge; {@code subnet} (nullable) is the pool for {@code auto} addresses of its L2 domain. */
    record Bridge(IfCommon common, boolean stp, Cidr subnet) implements Interface {
        public IfKind ifKind() { return IfKind.BRIDGE; }
        public <R> R accept(Cases<R> cases) { return cases.bridge(this); }
    }

    /** An 802.1Q sub-interface of {@code parent} (on this node or another: created there and moved here). */
    record Vlan(IfCommon common, IfRef parent, int id) implements Interface {
        public IfKind ifKind() { return IfKind.VLAN; }
        public <R> R accept(Cases<R> cases) { return cases.vlan(this); }
    }

    /** A VXLAN tunnel endpoint; {@code remote} or {@code group} (nullable) says where to send; {@code dev} is nullable. */
    record Vxlan(IfCommon common, long vni, IPAddress local, IPAddress remote, IPAddress group, String dev, int port) implements Interface {
        public IfKind ifKind() { return IfKind.VXLAN; }
        public <R> R accept(Cases<R> cases) { return cases.vxlan(this); }
    }

    record Macvlan(IfCommon common, IfRef parent, MacvlanMode mode) implements Interface {
        public IfKind ifKind() { return IfKind.MACVLAN; }
        public <R> R accept(Cases<R> cases) { return cases.macvlan(this); }
    }

    /** {@code flag} is null when not set. */
    record Ipvlan(IfCommon common, IfRef parent, IpvlanMode mode, IpvlanFlag flag) implements Interface {
        public IfKind ifKind() { return IfKind.IPVLAN; }
        public <R> R accept(Cases<R> cases) { return cases.ipvlan(this); }
    }

    /** A NIC that already exists; {@code peer} is the other end of its cable, null when none is modelled. */
    record Physical(IfCommon common, IfRef peer) implements Interface {
        public IfKind ifKind() { return IfKind.PHYSICAL; }
        public <R> R accept(Cases<R> cases) { return cases.physical(this); }
    }

    record Dummy(IfCommon common) implements Interface {
        public IfKind ifKind() { return IfKind.DUMMY; }
        public <R> R accept(Cases<R> cases) { return cases.dummy(this); }
    }

    record Tun(IfCommon common) implements Interface {
        public IfKind ifKind() { return IfKind.TUN; }
        public <R> R accept(Cases<R> cases) { return cases.tun(this); }
    }

    record Tap(IfCommon common) implements Interface {
        public IfKind ifKind() { return IfKind.TAP; }
        public <R> R accept(Cases<R> cases) { return cases.tap(this); }
    }

    /** {@code lo}: always present and up; extra addresses may be added. */
    record Loopback(IfCommon common) implements Interface {
        public IfKind ifKind() { return IfKind.LOOPBACK; }
        public <R> R accept(Cases<R> cases) { return cases.loopback(this); }
    }
}
