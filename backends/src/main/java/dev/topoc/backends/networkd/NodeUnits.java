package dev.topoc.backends.networkd;

import dev.topoc.backends.networkd.UnitFile.Entry;
import dev.topoc.backends.networkd.UnitFile.Section;
import dev.topoc.compiler.analysis.Connected;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.model.Cidr;
import dev.topoc.compiler.model.IfKind;
import dev.topoc.compiler.model.IfRef;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.Link;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.model.Route;
import dev.topoc.compiler.model.RouteType;
import dev.topoc.compiler.model.Rule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the unit files of one node (the view model of {@code networkd.stg}).
 *
 * <p>Every interface gets exactly one {@code .network} (matched by {@code [Match] Name=}); the kinds
 * networkd creates itself (bridge, vlan, vxlan, macvlan, ipvlan, tun, tap, dummy) also get a
 * {@code .netdev}, and the interface they hang off names them in its {@code .network}
 * ({@code Bridge=}, {@code VLAN=}, {@code VXLAN=}, {@code MACVLAN=}, {@code IPVLAN=}). Link ends (veth,
 * physical) and {@code lo} already exist and are only matched. Files are numbered by the interface's
 * position in the node ({@code lo} first), so their order is the order of the source.
 *
 * <p>Routes go to the {@code .network} of their {@code dev}; without one, to the interface whose subnet
 * holds the gateway, and routes without a gateway (blackhole, unreachable, prohibit) and all policy
 * rules to {@code lo}'s. What networkd cannot express is reported, never dropped.
 */
final class NodeUnits {
    private final Node node;
    private final Map<IfRef, Link> linkOf;
    private final Diagnostics diagnostics;
    private final Map<String, List<Section>> routesOf = new LinkedHashMap<>();
    private final Map<String, List<Entry>> childrenOf = new LinkedHashMap<>();

    private NodeUnits(Node node, Map<IfRef, Link> linkOf, Diagnostics diagnostics) {
        this.node = node;
        this.linkOf = linkOf;
        this.diagnostics = diagnostics;
    }

    static List<UnitFile> of(Node node, Map<IfRef, Link> linkOf, Diagnostics diagnostics) {
        return new NodeUnits(node, linkOf, diagnostics).build();
    }

    private List<UnitFile> build() {
        node.interfaces().forEach(i -> {
            routesOf.put(i.name(), new ArrayList<>());
            childrenOf.put(i.name(), new ArrayList<>());
        });
        node.interfaces().forEach(this::attachToParent);
        node.routes().forEach(this::placeRoute);
        String lo = loopbackName();
        node.rules().forEach(r -> routesOf.get(lo).add(rule(r)));

        List<UnitFile> files = new ArrayList<>();
        int width = Math.max(2, Integer.toString(node.interfaces().size() - 1).length());
        int index = 0;
        for (Interface i : node.interfaces()) {
            String stem = "systemd/network/" + String.format(Locale.ROOT, "%0" + width + "d", index++) + "-" + i.name();
            Section netdev = netdevSection(i);
            if (netdev != null) {
                List<Section> sections = new ArrayList<>();
                sections.add(netdev);
                Section kind = kindSection(i);
                if (kind != null) {
                    sections.add(kind);
                }
                files.add(new UnitFile(stem + ".netdev", comment(i), sections));
            }
            files.add(new UnitFile(stem + ".network", comment(i), network(i)));
        }
        return files;
    }

    private String comment(Interface i) {
        return "topoc: " + i.kind() + " " + i.name() + " of node " + node.name() + " (generated; do not edit)";
    }

    private String loopbackName() {
        return node.interfaces(Interface.Loopback.class).stream().map(Interface::name).findFirst().orElse("lo");
    }

    /** Records {@code VLAN=} etc. on the parent's .network, or refuses a parent on another node. */
    private void attachToParent(Interface i) {
        i.accept(new Interface.Cases<Void>() {
            public Void veth(Interface.Veth i) { return null; }
            public Void bridge(Interface.Bridge i) { return null; }
            public Void vlan(Interface.Vlan v) {
                child("VLAN", v, v.parent());
                return null;
            }
            public Void vxlan(Interface.Vxlan x) {
                if (x.dev() != null) {
                    childrenOf.get(x.dev()).add(new Entry("VXLAN", x.name()));
                }
                return null;
            }
            public Void macvlan(Interface.Macvlan m) {
                child("MACVLAN", m, m.parent());
                return null;
            }
            public Void ipvlan(Interface.Ipvlan p) {
                child("IPVLAN", p, p.parent());
                return null;
            }
            public Void physical(Interface.Physical i) { return null; }
            public Void dummy(Interface.Dummy i) { return null; }
            public Void tun(Interface.Tun i) { return null; }
            public Void tap(Interface.Tap i) { return null; }
            public Void loopback(Interface.Loopback i) { return null; }
        });
    }

    private void child(String key, Interface i, IfRef parent) {
        if (!parent.node().equals(node.name())) {
            diagnostics.report(NetworkdCode.NETWORKD_FOREIGN_PARENT, i.span(), i.kind(), node.name(), i.name(), parent,
                    parent.node());
            return;
        }
        childrenOf.get(parent.iface()).add(new Entry(key, i.name()));
    }

    private void placeRoute(Route r) {
        String at = r.dev();
        if (at == null && r.via() != null) {
            Interface onLink = Connected.subnetOf(node, r.via());
            at = onLink == null ? null : onLink.name();
            if (at == null) {
                diagnostics.report(NetworkdCode.NETWORKD_ROUTE_WITHOUT_LINK, r.span(), r.to(), r.via(), node.name());
                return;
            }
        }
        if (at == null) {
            at = loopbackName();
        }
        routesOf.get(at).add(route(r));
    }

    private static Section route(Route r) {
        List<Entry> e = new ArrayList<>();
        e.add(new Entry("Destination", r.to().toString()));
        if (r.via() != null) {
            e.add(new Entry("Gateway", r.via().toCanonicalString()));
        }
        if (r.src() != null) {
            e.add(new Entry("PreferredSource", r.src().toCanonicalString()));
        }
        if (r.metric() != null) {
            e.add(new Entry("Metric", Integer.toUnsignedString(r.metric())));
        }
        if (!r.table().equals("main")) {
            e.add(new Entry("Table", r.table()));
        }
        if (r.type() != RouteType.UNICAST) {
            e.add(new Entry("Type", r.type().word()));
        }
        return new Section("Route", e);
    }

    private static Section rule(Rule r) {
        List<Entry> e = new ArrayList<>();
        if (r.priority() != null) {
            e.add(new Entry("Priority", r.priority().toString()));
        }
        if (r.from() != null) {
            e.add(new Entry("From", r.from().toString()));
        }
        if (r.to() != null) {
            e.add(new Entry("To", r.to().toString()));
        }
        if (r.iif() != null) {
            e.add(new Entry("IncomingInterface", r.iif()));
        }
        if (r.oif() != null) {
            e.add(new Entry("OutgoingInterface", r.oif()));
        }
        if (r.fwmark() != null) {
            e.add(new Entry("FirewallMark", r.fwmark().toString()));
        }
        boolean v6 = r.from() != null ? !r.from().isIpv4() : r.to() != null && !r.to().isIpv4();
        if (v6) {
            e.add(new Entry("Family", "ipv6"));
        }
        e.add(new Entry("Table", r.table()));
        return new Section("RoutingPolicyRule", e);
    }

    /**
     * The {@code Kind=} of the interfaces networkd creates (systemd.netdev's words, not ours); null for lo
     * and link ends, which exist already.
     */
    static String createdKind(Interface i) {
        return switch (i.ifKind()) {
            case VETH, PHYSICAL, LOOPBACK -> null;
            case BRIDGE -> "bridge";
            case VLAN -> "vlan";
            case VXLAN -> "vxlan";
            case MACVLAN -> "macvlan";
            case IPVLAN -> "ipvlan";
            case DUMMY -> "dummy";
            case TUN -> "tun";
            case TAP -> "tap";
        };
    }

    /** The [NetDev] section of the kinds networkd creates, null for links that already exist. */
    private static Section netdevSection(Interface i) {
        String kind = createdKind(i);
        if (kind == null) {
            return null;
        }
        List<Entry> e = new ArrayList<>();
        e.add(new Entry("Name", i.name()));
        e.add(new Entry("Kind", kind));
        if (i.common().mac() != null) {
            e.add(new Entry("MACAddress", i.common().mac()));
        }
        return new Section("NetDev", e);
    }

    /** The kind's own section of the .netdev ([Bridge], [VLAN], ...), null for kinds that have none. */
    private static Section kindSection(Interface i) {
        return i.accept(KIND_SECTION);
    }

    private static final Interface.Cases<Section> KIND_SECTION = new Interface.Cases<>() {
        public Section veth(Interface.Veth i) { return null; }
        public Section bridge(Interface.Bridge b) {
            return new Section("Bridge", List.of(new Entry("STP", b.stp() ? "yes" : "no")));
        }
        public Section vlan(Interface.Vlan v) {
            return new Section("VLAN", List.of(new Entry("Id", Integer.toString(v.id()))));
        }
        public Section vxlan(Interface.Vxlan x) {
            return new Section("VXLAN", NodeUnits.vxlan(x));
        }
        public Section macvlan(Interface.Macvlan m) {
            return new Section("MACVLAN", List.of(new Entry("Mode", m.mode().word())));
        }
        public Section ipvlan(Interface.Ipvlan p) {
            List<Entry> e = new ArrayList<>();
            e.add(new Entry("Mode", p.mode().word().toUpperCase(Locale.ROOT)));
            if (p.flag() != null) {
                e.add(new Entry("Flags", p.flag().word()));
            }
            return new Section("IPVLAN", e);
        }
        public Section physical(Interface.Physical i) { return null; }
        public Section dummy(Interface.Dummy i) { return null; }
        public Section tun(Interface.Tun i) { return null; }
        public Section tap(Interface.Tap i) { return null; }
        public Section loopback(Interface.Loopback i) { return null; }
    };

    private static List<Entry> vxlan(Interface.Vxlan x) {
        List<Entry> e = new ArrayList<>();
        e.add(new Entry("VNI", Long.toString(x.vni())));
        if (x.local() != null) {
            e.add(new Entry("Local", x.local().toCanonicalString()));
        }
        if (x.remote() != null) {
            e.add(new Entry("Remote", x.remote().toCanonicalString()));
            e.add(new Entry("MacLearning", "false")); // point to point: always the remote (as the bash backend)
        }
        if (x.group() != null) {
            e.add(new Entry("Group", x.group().toCanonicalString()));
        }
        e.add(new Entry("DestinationPort", Integer.toString(x.port())));
        if (x.dev() == null) {
            e.add(new Entry("Independent", "yes"));
        }
        return e;
    }

    private List<Section> network(Interface i) {
        List<Section> sections = new ArrayList<>();
        sections.add(new Section("Match", List.of(new Entry("Name", i.name()))));
        List<Entry> link = new ArrayList<>();
        Integer mtu = i.common().mtu();
        Link cable = linkOf.get(i.ref());
        if (mtu == null && cable != null) {
            mtu = cable.mtu();
        }
        if (mtu != null) {
            link.add(new Entry("MTUBytes", mtu.toString()));
        }
        boolean created = netdevSection(i) != null;
        if (!created && i.common().mac() != null) {
            link.add(new Entry("MACAddress", i.common().mac()));
        }
        if (!i.common().up() && i.ifKind() != IfKind.LOOPBACK) {
            link.add(new Entry("ActivationPolicy", "down"));
        }
        if (!link.isEmpty()) {
            sections.add(new Section("Link", link));
        }
        List<Entry> net = new ArrayList<>();
        if (i.ifKind() != IfKind.LOOPBACK) {
            // IPv6 link-local as the kernel gives every interface a bash lab builds (no IPv4LL): a router forwarding
            // a packet whose source is not its own solicits the next hop from its link-local address, and with none
            // it sends no solicitation at all (measured on docker-hairpin-dual: the DNAT66 to a container that was
            // not yet a neighbour failed, "No route to host"); the simulator assumes that address
            net.add(new Entry("LinkLocalAddressing", "ipv6"));
            net.add(new Entry("IPv6AcceptRA", "no"));
            net.add(new Entry("ConfigureWithoutCarrier", "yes"));
        }
        for (Cidr a : i.addresses()) {
            net.add(new Entry("Address", a.toString()));
        }
        if (i.ifKind() != IfKind.LOOPBACK && i.addresses().stream().anyMatch(a -> !a.isIpv4())) {
            // as the bash backend's `nodad`: an IPv6 address is usable at once, not tentative for DAD's second
            // or two (the simulator, like a lab, answers without it; measured: a ping in that time is lost)
            net.add(new Entry("IPv6DuplicateAddressDetection", "0"));
        }
        if (i.common().master() != null) {
            net.add(new Entry("Bridge", i.common().master()));
        }
        net.addAll(childrenOf.get(i.name()));
        if (!net.isEmpty()) {
            sections.add(new Section("Network", net));
        }
        if (i.common().hairpin()) {
            sections.add(new Section("Bridge", List.of(new Entry("HairPin", "yes"))));
        }
        sections.addAll(routesOf.get(i.name()));
        return sections;
    }
}
