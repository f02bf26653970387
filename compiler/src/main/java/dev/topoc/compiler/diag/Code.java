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
    // addresses (validation)
    DUPLICATE_ADDRESS("E0300", Severity.ERROR, "address assigned twice"),
    NETWORK_ADDRESS("E0301", Severity.ERROR, "network or broadcast address used as a host address"),
    // L2 (validation)
    BRIDGE_PORT_ADDRESS("W0500", Severity.WARNING, "address on a bridge port"),
    // bash backend
    BASH_CYCLE("E0800", Severity.ERROR, "build order has a cycle"),
    BASH_NOT_PROVISIONED("W0800", Severity.WARNING, "not built outside a sandbox");

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
}
