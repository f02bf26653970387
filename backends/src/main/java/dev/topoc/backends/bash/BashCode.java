package dev.topoc.backends.bash;

import dev.topoc.compiler.diag.CodeInfo;
import dev.topoc.compiler.diag.CodeSet;
import dev.topoc.compiler.diag.OwnCode;
import dev.topoc.compiler.diag.Severity;
import java.util.List;

/**
 * The bash backend's codes (E08xx/W08xx): a valid topology the generated script cannot build as asked. Each
 * fixes its severity and, when reported in one wording, carries it ({@link BashMsg} holds the others).
 * Registered through {@link Set} (META-INF/services); documented in docs/diagnostics.md.
 */
public enum BashCode implements OwnCode {
    BASH_CYCLE("E0800", Severity.ERROR, "build order has a cycle",
            "node `{0}` cannot be built: its sub-interfaces and their parents' nodes depend on each other in a "
            + "cycle ({1})", null),
    BASH_NOT_PROVISIONED("W0800", Severity.WARNING, "not built outside a sandbox", null, null),
    BASH_BAD_PREFIX("E0801", Severity.ERROR, "namespace prefix not usable in a script",
            "prefix `{0}` cannot start a namespace name: use up to 32 of A-Z a-z 0-9 _ . -, starting with a "
            + "letter or digit", null),
    /** {0}: the topology, {1}: the number of machines, {2}: their names. */
    BASH_MACHINES("E0802", Severity.ERROR, "one script cannot build a topology over several machines",
            "topology `{0}` places its nodes on {1} machines ({2}): one apply.sh builds one machine's part",
            "compile with `--target ansible -o DIR` (each machine's apply.sh and a playbook that deploys them), or "
            + "with `--sandbox` to build the stitched whole in namespaces of this host");

    private final CodeInfo info;

    BashCode(String id, Severity severity, String title, String text, String hint) {
        this.info = new CodeInfo(id, severity, title, text, hint);
    }

    @Override
    public CodeInfo info() {
        return info;
    }

    /** The {@link CodeSet} provider for these codes. */
    public static final class Set implements CodeSet {
        @Override
        public List<BashCode> codes() {
            return List.of(values());
        }
    }
}
