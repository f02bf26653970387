package dev.topoc.compiler.diag;

/**
 * The catalogue of diagnostic codes. Codes are stable: once released, a code keeps its meaning.
 * Every code is documented in docs/diagnostics.md (a test checks it).
 */
public enum Code {
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
    DUPLICATE_NAME("E0102", Severity.ERROR, "duplicate name"),
    UNKNOWN_REFERENCE("E0103", Severity.ERROR, "unknown reference"),
    UNKNOWN_KIND("E0104", Severity.ERROR, "unknown kind"),
    KEY_NOT_ALLOWED("E0105", Severity.ERROR, "key not allowed for this kind"),
    BAD_MASTER("E0106", Severity.ERROR, "master is not a bridge of the node"),
    IFACE_IN_TWO_LINKS("E0107", Severity.ERROR, "interface used by two links"),
    // values
    BAD_CIDR("E0200", Severity.ERROR, "malformed address or prefix"),
    OUT_OF_RANGE("E0201", Severity.ERROR, "number out of range"),
    BAD_VALUE("E0202", Severity.ERROR, "value not allowed"),
    POOL_EXHAUSTED("E0203", Severity.ERROR, "no free address left for `auto`"),
    NO_SUBNET("E0204", Severity.ERROR, "`auto` address without a subnet"),
    FAMILY_MISMATCH("E0205", Severity.ERROR, "IPv4/IPv6 mixed"),
    BAD_SYSCTL("E0206", Severity.ERROR, "sysctl key not settable inside a namespace"),
    SYSCTL_NOT_MODELLED("W0207", Severity.WARNING, "sysctl key not modelled by the simulator"),
    HIDDEN_CHARACTER("E0020", Severity.ERROR, "invisible or line-breaking character"),
    // addresses (validation)
    DUPLICATE_ADDRESS("E0300", Severity.ERROR, "address assigned twice"),
    NETWORK_ADDRESS("E0301", Severity.ERROR, "network or broadcast address used as a host address"),
    OVERLAPPING_SUBNETS("W0300", Severity.WARNING, "subnets of two L2 domains overlap"),
    SAME_SUBNET_ON_NODE("W0301", Severity.WARNING, "one subnet on two interfaces of a node"),
    ADDRESS_IN_TWO_DOMAINS("W0302", Severity.WARNING, "one address in two L2 domains"),
    SUBNET_ZERO_HOST("W0303", Severity.WARNING, "a subnet's lowest address used as a host address"),
    // routing (validation)
    GATEWAY_NOT_CONNECTED("E0400", Severity.ERROR, "gateway not on a connected subnet"),
    DEV_WITHOUT_GATEWAY_SUBNET("E0401", Severity.ERROR, "route device does not carry the gateway's subnet"),
    ROUTING_LOOP("E0402", Severity.ERROR, "routing loop"),
    GATEWAY_WITHOUT_FORWARDING("W0400", Severity.WARNING, "gateway node does not forward"),
    RULE_TABLE_EMPTY("W0401", Severity.WARNING, "policy rule looks up a table with no routes"),
    // L2 (validation)
    L2_LOOP("E0500", Severity.ERROR, "bridge loop without STP"),
    DUPLICATE_VLAN_ID("E0501", Severity.ERROR, "VLAN id used twice on one parent"),
    VXLAN_LOCAL_NOT_OWN("E0502", Severity.ERROR, "VXLAN local address not on its node"),
    DUPLICATE_VXLAN("E0503", Severity.ERROR, "two VXLAN devices with the same VNI and port"),
    MACVLAN_PASSTHRU_SHARED("E0504", Severity.ERROR, "passthru macvlan shares its parent"),
    PARENT_IS_BRIDGE_PORT("E0505", Severity.ERROR, "macvlan/ipvlan parent is a bridge port"),
    BRIDGE_TOO_MANY_PORTS("E0506", Severity.ERROR, "bridge has more ports than Linux allows"),
    BRIDGE_PORT_ADDRESS("W0500", Severity.WARNING, "address on a bridge port"),
    LINK_MTU_MISMATCH("W0501", Severity.WARNING, "the two ends of a link differ in MTU"),
    VXLAN_UNDERLAY_MTU("W0502", Severity.WARNING, "VXLAN underlay cannot carry the VXLAN's MTU plus overhead"),
    // NAT and firewall (validation)
    NAT_UNKNOWN_INTERFACE("E0600", Severity.ERROR, "NAT interface match names no interface of the node"),
    DNAT_TARGET_UNKNOWN("W0600", Severity.WARNING, "DNAT target is no address of the topology"),
    NAT_WITHOUT_FORWARDING("W0601", Severity.WARNING, "NAT or forward rules on a node that does not forward"),
    DNAT_TARGET_NO_LISTEN("W0602", Severity.WARNING, "DNAT target port has no listen on its node"),
    // workloads (validation)
    DUPLICATE_LISTEN("E0700", Severity.ERROR, "listen given twice"),
    LISTEN_ADDRESS_NOT_OWN("E0701", Severity.ERROR, "listen address is not the node's"),
    EXPECT_NO_LISTENER("W0700", Severity.WARNING, "tcp/udp expect to a port where nothing listens"),
    // machines (validation): placement, stitching across machines, the tunnels' MTU budget
    MACHINE_UNKNOWN("E1000", Severity.ERROR, "node on an unknown machine"),
    MACHINE_NOT_PLACED("E1001", Severity.ERROR, "node on no machine in a topology with machines"),
    MACHINE_DUPLICATE_ADDRESS("E1002", Severity.ERROR, "two machines with one address"),
    MACHINE_NO_UNDERLAY("E1003", Severity.ERROR, "link crosses to a machine without an underlay"),
    MACHINE_VNI_CLASH("E1004", Severity.ERROR, "tunnel VNI clashes with another tunnel or a vxlan device"),
    MACHINE_MTU_BUDGET("E1005", Severity.ERROR, "MTU larger than the tunnel's budget"),
    MACHINE_TUNNEL_KEY_UNUSED("E1006", Severity.ERROR, "`vni` or `port` on a link that crosses no machines"),
    MACHINE_TWO_ROOTS("E1007", Severity.ERROR, "two root nodes on one machine"),
    MACHINE_UNDERLAY_FAMILY("E1008", Severity.ERROR, "tunnel between an IPv4 and an IPv6 underlay"),
    // bash backend
    BASH_CYCLE("E0800", Severity.ERROR, "build order has a cycle"),
    BASH_NOT_PROVISIONED("W0800", Severity.WARNING, "not built outside a sandbox"),
    BASH_BAD_PREFIX("E0801", Severity.ERROR, "namespace prefix not usable in a script"),
    // networkd backend
    NETWORKD_FOREIGN_PARENT("E0850", Severity.ERROR, "networkd cannot create a sub-interface on another node"),
    NETWORKD_ROUTE_WITHOUT_LINK("E0851", Severity.ERROR, "networkd cannot attach the route to a link"),
    NETWORKD_UNCABLED_IN_SANDBOX("E0852", Severity.ERROR, "link end without a cable in a networkd sandbox"),
    NETWORKD_BAD_PREFIX("E0853", Severity.ERROR, "namespace prefix not usable"),
    // ansible backend (machines)
    ANSIBLE_VIA_NETWORKD("E0870", Severity.ERROR, "ansible cannot deploy networkd trees yet"),
    ANSIBLE_SANDBOX_NAME_TAKEN("E0871", Severity.ERROR, "node name taken by the ansible sandbox"),
    ANSIBLE_SANDBOX_HOST_NAME("E0872", Severity.ERROR, "ansible sandbox needs an ssh address, not a host name"),
    ANSIBLE_SANDBOX_PHYSICAL("E0873", Severity.ERROR, "ansible sandbox cannot provide a machine's physical NIC"),
    // live labs (topoc up, plan, down): a running lab refuses a change or a run fails
    LIVE_OTHER_FILE("E0900", Severity.ERROR, "lab running from another file"),
    LIVE_OTHER_SANDBOX("E0901", Severity.ERROR, "lab running with the other --sandbox setting"),
    LIVE_OTHER_LABS_NAMESPACE("E0902", Severity.ERROR, "namespace owned by another lab"),
    LIVE_UNOWNED_NAMESPACE("E0903", Severity.ERROR, "namespace owned by no lab"),
    LIVE_BUSY("E0904", Severity.ERROR, "lab busy"),
    LIVE_ROLLED_BACK("E0905", Severity.ERROR, "step failed, rolled back");

    private final String id;
    private final Severity severity;
    private final String title;

    Code(String id, Severity severity, String title) {
        this.id = id;
        this.severity = severity;
        this.title = title;
    }

    public String id() {
        return id;
    }

    public Severity severity() {
        return severity;
    }

    public String title() {
        return title;
    }

    /**
     * Codes E0010–E0019 are reported by the printers ({@code fmt}, {@code convert}) about a file they cannot
     * rewrite as written; their test cases live beside the printers (CommentsKeptProperties).
     */
    public boolean isPrinterCode() {
        int n = Integer.parseInt(id.substring(1));
        return n >= 10 && n <= 19;
    }

    /**
     * Codes E0800–E0999 (except the live codes) are reported by a backend (bash, networkd, simulator, graph) about a
     * valid topology it cannot express; their test cases live beside the backends.
     */
    public boolean isBackendCode() {
        int n = Integer.parseInt(id.substring(1));
        return n >= 800 && n <= 999 && !isLiveCode();
    }

    /**
     * Codes E0900–E0929 are reported by the live commands ({@code up}, {@code plan}, {@code down}) about a running
     * lab, not about the file; their test cases live in live/ (LiveDiagnosticCodesTest) against real namespaces.
     */
    public boolean isLiveCode() {
        int n = Integer.parseInt(id.substring(1));
        return n >= 900 && n <= 929;
    }
}
