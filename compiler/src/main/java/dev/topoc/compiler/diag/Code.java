package dev.topoc.compiler.diag;

/**
 * The compiler's diagnostic codes. Codes are stable: once released, a code keeps its meaning. Every code is
 * documented in docs/diagnostics.md (a test checks it). Each code fixes its severity; a code reported in one
 * wording carries that wording as its {@link Template} (message and fix hint), one reported in several has
 * none of its own and its wordings are the {@link Msg} constants naming it. Backends and the live stage
 * register their codes through {@link CodeSet}; {@link Codes#all()} lists every code.
 */
public enum Code implements OwnCode {
    // syntax (DSL and YAML)
    SYNTAX("E0001", Severity.ERROR, "syntax error"),
    YAML_SYNTAX("E0002", Severity.ERROR, "malformed YAML"),
    UNKNOWN_KEY("E0003", Severity.ERROR, "unknown key"),
    WRONG_TYPE("E0004", Severity.ERROR, "value of the wrong type"),
    MISSING_KEY("E0005", Severity.ERROR, "required key missing"),
    DUPLICATE_KEY("E0006", Severity.ERROR, "key given twice"),
    INPUT_LIMIT("E0007", Severity.ERROR, "input exceeds a safety limit"),
    BAD_RANGE("E0008", Severity.ERROR, "bad name range"),
    RANGE_MISMATCH("E0009", Severity.ERROR, "range lengths differ"),
    // printers (fmt, convert): reported when a file cannot be rewritten as written
    YAML_ALIAS_NOT_KEPT("E0010", Severity.ERROR, "YAML anchors and aliases cannot be kept"),
    // names and references
    BAD_NAME("E0100", Severity.ERROR, "invalid name"),
    NAME_TOO_LONG("E0101", Severity.ERROR, "name too long"),
    DUPLICATE_NAME("E0102", Severity.ERROR, "duplicate name",
            "{0} `{1}` is defined twice",
            "rename one of them"),
    UNKNOWN_REFERENCE("E0103", Severity.ERROR, "unknown reference"),
    UNKNOWN_KIND("E0104", Severity.ERROR, "unknown kind",
            "unknown interface kind `{0}`; {1}expected one of {2}"),
    KEY_NOT_ALLOWED("E0105", Severity.ERROR, "key not allowed for this kind"),
    BAD_MASTER("E0106", Severity.ERROR, "master is not a bridge of the node"),
    IFACE_IN_TWO_LINKS("E0107", Severity.ERROR, "interface used by two links",
            "`{0}` is already an end of the link to `{1}`; an interface takes one cable"),
    // values
    BAD_CIDR("E0200", Severity.ERROR, "malformed address or prefix"),
    OUT_OF_RANGE("E0201", Severity.ERROR, "number out of range"),
    BAD_VALUE("E0202", Severity.ERROR, "value not allowed"),
    POOL_EXHAUSTED("E0203", Severity.ERROR, "no free address left for `auto`",
            "no free address left in {0} for `{1}`",
            "use a larger `subnet`"),
    NO_SUBNET("E0204", Severity.ERROR, "`auto` address without a subnet",
            "`auto` needs a pool: give the bridge or the link of `{0}` a `subnet`, or write the address"),
    FAMILY_MISMATCH("E0205", Severity.ERROR, "IPv4/IPv6 mixed"),
    BAD_SYSCTL("E0206", Severity.ERROR, "sysctl key not settable inside a namespace"),
    SYSCTL_NOT_MODELLED("W0207", Severity.WARNING, "sysctl key not modelled by the simulator",
            "sysctl `{0} {1}` on node `{2}` is applied but not modelled by the simulator: `check` and "
            + "`simulate` answer as if it were not set. Modelled: {3}"),
    HIDDEN_CHARACTER("E0020", Severity.ERROR, "invisible or line-breaking character"),
    // addresses (validation)
    DUPLICATE_ADDRESS("E0300", Severity.ERROR, "address assigned twice",
            "address {0} of `{1}` is also assigned to `{2}` in the same L2 domain: both answer ARP for it. "
            + "Change one"),
    NETWORK_ADDRESS("E0301", Severity.ERROR, "network or broadcast address used as a host address",
            "{0} on `{1}` is the broadcast address of its subnet",
            "use a host address"),
    OVERLAPPING_SUBNETS("W0300", Severity.WARNING, "subnets of two L2 domains overlap",
            "subnet {0} of `{1}` {2} `{3}`, which is in another L2 domain: each side takes the overlap for "
            + "on-link and never reaches the other's addresses in it. Use disjoint subnets, or join the two "
            + "domains"),
    SAME_SUBNET_ON_NODE("W0301", Severity.WARNING, "one subnet on two interfaces of a node",
            "`{0}` and `{1}` are both in {2}: node `{3}` gets two routes to one subnet and may answer or "
            + "send by the wrong interface. Give each interface its own subnet, or bridge them"),
    ADDRESS_IN_TWO_DOMAINS("W0302", Severity.WARNING, "one address in two L2 domains",
            "address {0} of `{1}` is also assigned to `{2}`, in another L2 domain: each is reachable from "
            + "the other's side only through NAT. If that is not meant, change one"),
    SUBNET_ZERO_HOST("W0303", Severity.WARNING, "a subnet's lowest address used as a host address",
            "{0} on `{1}` is the lowest address of its subnet: Linux (5.14 and later) uses it as an "
            + "ordinary host address, older kernels and other systems treat it as a broadcast. To be safe use "
            + "a host address such as {2}/{3}"),
    // routing (validation)
    GATEWAY_NOT_CONNECTED("E0400", Severity.ERROR, "gateway not on a connected subnet",
            "gateway {0} is not on a subnet of node `{1}` ({2}), so the kernel refuses the route. Use a "
            + "gateway on a connected subnet, or give the node an address in the gateway's subnet"),
    DEV_WITHOUT_GATEWAY_SUBNET("E0401", Severity.ERROR, "route device does not carry the gateway's subnet",
            "this route sends via {0} out of `{1}`, but that gateway's subnet is on `{2}`; the kernel "
            + "refuses the route. Write `dev {2}` (or drop `dev`)"),
    ROUTING_LOOP("E0402", Severity.ERROR, "routing loop",
            "routing loop for {0}: {1}; packets to it circle until their TTL runs out. `{2}` sends it via "
            + "{3} to `{4}` with this route. Change one route of the loop so the path ends where {0} is "
            + "connected (or make it a blackhole route)"),
    GATEWAY_WITHOUT_FORWARDING("W0400", Severity.WARNING, "gateway node does not forward",
            "node `{0}` is used as a gateway{1} but does not forward {2}: the packets it must forward are "
            + "dropped. Add `forwarding` to node `{0}`"),
    RULE_TABLE_EMPTY("W0401", Severity.WARNING, "policy rule looks up a table with no routes",
            "this rule looks up table {0}, but node `{1}` has no route in table {0}: matching packets fall "
            + "through to the next rule. Add routes with `table {0}`, or look up the table that has them"),
    // L2 (validation)
    L2_LOOP("E0500", Severity.ERROR, "bridge loop without STP",
            "link `{0} -- {1}` closes an L2 loop without STP: {2}; broadcast frames circle forever (a "
            + "broadcast storm). Remove a link of the loop, or add `stp` to one of its bridges"),
    DUPLICATE_VLAN_ID("E0501", Severity.ERROR, "VLAN id used twice on one parent",
            "VLAN id {0} on `{1}` is already taken by `{2}`: a parent carries each id once. Use another id, "
            + "or one sub-interface"),
    VXLAN_LOCAL_NOT_OWN("E0502", Severity.ERROR, "VXLAN local address not on its node",
            "`local {0}` of vxlan `{1}` is not an address of node `{2}`, so the tunnel cannot send from it. "
            + "Use an address of `{2}` (usually the one on the underlay `dev`)"),
    DUPLICATE_VXLAN("E0503", Severity.ERROR, "two VXLAN devices with the same VNI and port",
            "vxlan `{0}` has VNI {1} and port {2} like `{3}`: the kernel accepts one device per VNI and "
            + "port on a node. Use another VNI or port, or one device with several remotes"),
    MACVLAN_PASSTHRU_SHARED("E0504", Severity.ERROR, "passthru macvlan shares its parent",
            "`{0}` is {1} on `{2}`: a passthru macvlan takes the whole parent, so it must be the parent's "
            + "only macvlan. Give it its own parent, or use mode bridge"),
    PARENT_IS_BRIDGE_PORT("E0505", Severity.ERROR, "macvlan/ipvlan parent is a bridge port",
            "{0} `{1}` has parent `{2}`, a port of bridge `{3}`: the bridge owns the port's traffic and the "
            + "kernel refuses the {0}. Use `parent {4}:{3}` instead"),
    BRIDGE_TOO_MANY_PORTS("E0506", Severity.ERROR, "bridge has more ports than Linux allows",
            "bridge `{0}:{1}` has {2} ports; a Linux bridge takes at most {3} (BR_MAX_PORTS = 1024 in "
            + "net/bridge/br_private.h, port 0 reserved), so the {4}th fails with \"Exchange full\". Split "
            + "the hosts over several bridges joined by a link"),
    BRIDGE_PORT_ADDRESS("W0500", Severity.WARNING, "address on a bridge port",
            "`{0}` is a port of bridge `{1}`, so its address {2} is unreachable: the bridge takes every "
            + "frame the port receives. Put the address on the bridge `{1}` instead"),
    LINK_MTU_MISMATCH("W0501", Severity.WARNING, "the two ends of a link differ in MTU",
            "the ends of this link differ in MTU: `{0}` {1}, `{2}` {3}; frames larger than the smaller MTU "
            + "are dropped without an error. Give both ends the same `mtu` (or set it on the link)"),
    VXLAN_UNDERLAY_MTU("W0502", Severity.WARNING, "VXLAN underlay cannot carry the VXLAN's MTU plus overhead",
            "VXLAN `{0}` has MTU {1}: with the {2} bytes of encapsulation its packets need {3}, more than "
            + "the MTU {4} of its underlay `{5}`; the kernel refuses such an MTU (`ip link set … mtu`: "
            + "Invalid argument). Use `mtu {6}` or raise the underlay's MTU"),
    // NAT and firewall (validation)
    NAT_UNKNOWN_INTERFACE("E0600", Severity.ERROR, "NAT interface match names no interface of the node"),
    DNAT_TARGET_UNKNOWN("W0600", Severity.WARNING, "DNAT target is no address of the topology",
            "this dnat forwards to {0}, which is no address of any node in the topology: nothing will "
            + "answer. Use the address of the server it should reach"),
    NAT_WITHOUT_FORWARDING("W0601", Severity.WARNING, "NAT or forward rules on a node that does not forward",
            "node `{0}` has NAT or forward-chain rules but does not forward: they act on forwarded packets, "
            + "and this node forwards none. Add `forwarding` to node `{0}`"),
    DNAT_TARGET_NO_LISTEN("W0602", Severity.WARNING, "DNAT target port has no listen on its node",
            "this dnat forwards to {0}:{1} on node `{2}`, where nothing listens on {3} {1}: connections "
            + "will be refused. Add `listen {3} {1}` to node `{2}`, or forward to the port its server listens "
            + "on"),
    // workloads (validation)
    DUPLICATE_LISTEN("E0700", Severity.ERROR, "listen given twice",
            "`listen {0}` overlaps `listen {1}` (line {2}): only one process can bind a port",
            "remove one or split the ranges"),
    LISTEN_ADDRESS_NOT_OWN("E0701", Severity.ERROR, "listen address is not the node's"),
    EXPECT_NO_LISTENER("W0700", Severity.WARNING, "tcp/udp expect to a port where nothing listens"),
    // expectations (validation)
    EXPECT_FAMILY_NO_ADDRESS("E0702", Severity.ERROR, "expect asks for a family its target has no address of",
            "`{0}` has no IPv{1} address (loopback and link-local ones aside), so this expect has nothing to send "
            + "to: give {0} an IPv{1} address, or ask for v{2}"),
    // machines (validation): placement, stitching across machines, the tunnels' MTU budget
    MACHINE_UNKNOWN("E1000", Severity.ERROR, "node on an unknown machine"),
    MACHINE_NOT_PLACED("E1001", Severity.ERROR, "node on no machine in a topology with machines"),
    MACHINE_DUPLICATE_ADDRESS("E1002", Severity.ERROR, "two machines with one address",
            "machines `{0}` and `{1}` have the same `{2}` {3}: each machine has its own address",
            "correct one of them"),
    MACHINE_NO_UNDERLAY("E1003", Severity.ERROR, "link crosses to a machine without an underlay",
            "link `{0} -- {1}` crosses from `{2}` to `{3}`, but machine `{4}` has no `underlay` for the tunnel to "
            + "leave from: add `underlay ADDRESS` to it"),
    MACHINE_VNI_CLASH("E1004", Severity.ERROR, "tunnel VNI clashes with another tunnel or a vxlan device"),
    MACHINE_MTU_BUDGET("E1005", Severity.ERROR, "MTU larger than the tunnel's budget"),
    MACHINE_TUNNEL_KEY_UNUSED("E1006", Severity.ERROR, "`vni` or `port` on a link that crosses no machines"),
    MACHINE_TWO_ROOTS("E1007", Severity.ERROR, "two root nodes on one machine",
            "root nodes `{0}` and `{1}` are both machine `{2}`'s default namespace",
            "merge them into one node"),
    MACHINE_UNDERLAY_FAMILY("E1008", Severity.ERROR, "tunnel between an IPv4 and an IPv6 underlay",
            "link `{0} -- {1}` crosses between `{2}` (underlay {3}) and `{4}` (underlay {5}): a VXLAN tunnel needs "
            + "two underlays of one family");

    private final CodeInfo info;

    /** A code whose wordings are {@link Msg} constants. */
    Code(String id, Severity severity, String title) {
        this(id, severity, title, null, null);
    }

    Code(String id, Severity severity, String title, String text) {
        this(id, severity, title, text, null);
    }

    Code(String id, Severity severity, String title, String text, String hint) {
        this.info = new CodeInfo(id, severity, title, text, hint);
    }

    @Override
    public CodeInfo info() {
        return info;
    }
}
