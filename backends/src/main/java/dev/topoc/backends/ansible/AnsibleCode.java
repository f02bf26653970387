package dev.topoc.backends.ansible;

import dev.topoc.compiler.diag.CodeInfo;
import dev.topoc.compiler.diag.CodeSet;
import dev.topoc.compiler.diag.OwnCode;
import dev.topoc.compiler.diag.Severity;
import java.util.List;

/**
 * The Ansible backend's codes (E087x): a topology over machines the playbook or its sandbox cannot deploy as
 * asked. Each fixes its severity and carries its wording. Registered through {@link Set} (META-INF/services);
 * documented in docs/diagnostics.md.
 */
public enum AnsibleCode implements OwnCode {
    /** {0}: the root node, {1}: its interface, {2}: the machine. */
    ANSIBLE_NETWORKD_SANDBOX_CABLE("E0870", Severity.ERROR, "networkd cannot manage the ansible sandbox's cable",
            "`{0}:{1}` is machine `{2}`'s underlay interface, which the Ansible sandbox makes as the machine's cable to "
            + "the fabric, with its ssh address on it: under --via networkd, the machine's networkd would manage it and "
            + "remove that address", "leave the underlay interface out of the part (the sandbox puts the underlay address "
            + "on the cable), use --via bash, or deploy to real hosts"),
    /** {0}: the node, {1}: its namespace, {2}: what the sandbox uses that namespace for. */
    ANSIBLE_SANDBOX_NAME_TAKEN("E0871", Severity.ERROR, "node name taken by the ansible sandbox",
            "node `{0}` would live in namespace `{1}`, which the Ansible sandbox uses for {2}; rename the node "
            + "(machines, `control` and `fabric` are the sandbox's own names)", null),
    /** {0}: the machine, {1}: its ssh host name. */
    ANSIBLE_SANDBOX_HOST_NAME("E0872", Severity.ERROR, "ansible sandbox needs an ssh address, not a host name",
            "machine `{0}` is reached at `{1}`, a host name: in the sandbox, machines are namespaces with their ssh "
            + "address on a cable; write an address (`ssh 192.0.2.11`), or deploy to the real hosts without "
            + "--sandbox", null),
    /** {0}: the node, {1}: the NIC, {2}: the machine. */
    ANSIBLE_SANDBOX_PHYSICAL("E0873", Severity.ERROR, "ansible sandbox cannot provide a machine's physical NIC",
            "`{0}:{1}` is a physical NIC of machine `{2}` that no link cables to an `external` node: the Ansible "
            + "sandbox gives each machine its cable to the fabric (the underlay) and, for each other physical NIC, a "
            + "cable to the external node the NIC's link leads to; cable the NIC to an external node, deploy to real "
            + "hosts, or try this part on one machine with `--target bash --sandbox`", null),
    /** {0}: the external node, {1}: the statement or interface not built, {2}: the machine whose NIC leads to it. */
    ANSIBLE_SANDBOX_EXTERNAL("E0874", Severity.ERROR, "ansible sandbox cannot build this part of an external node",
            "external node `{0}` lies behind a physical NIC of machine `{2}`: the Ansible sandbox builds it as a namespace "
            + "with the interfaces cabled to machines' physical NICs (their addresses, mtu, mac), its `lo` addresses and "
            + "its routes, and `{1}` here is none of these", "leave it out of the external node, deploy to real hosts "
            + "(where external nodes are not built), or try the topology on one machine with `--target bash --sandbox`");

    private final CodeInfo info;

    AnsibleCode(String id, Severity severity, String title, String text, String hint) {
        this.info = new CodeInfo(id, severity, title, text, hint);
    }

    @Override
    public CodeInfo info() {
        return info;
    }

    /** The {@link CodeSet} provider for these codes. */
    public static final class Set implements CodeSet {
        @Override
        public List<AnsibleCode> codes() {
            return List.of(values());
        }
    }
}
