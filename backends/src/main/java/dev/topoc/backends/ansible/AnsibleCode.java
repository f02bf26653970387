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
    ANSIBLE_VIA_NETWORKD("E0870", Severity.ERROR, "ansible cannot deploy networkd trees yet",
            "--target ansible --via networkd is not supported yet: the playbook deploys each machine's apply.sh "
            + "(use --via bash, the default, or --target networkd for one machine's trees)", null),
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
            "`{0}:{1}` is a physical NIC of machine `{2}`: the Ansible sandbox gives each machine only its cable to "
            + "the fabric (the underlay) and does not build what lies behind another NIC; deploy to real hosts, or "
            + "try this part on one machine with `--target bash --sandbox`", null);

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
