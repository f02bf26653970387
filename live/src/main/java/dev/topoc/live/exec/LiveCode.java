package dev.topoc.live.exec;

import dev.topoc.compiler.diag.CodeInfo;
import dev.topoc.compiler.diag.CodeSet;
import dev.topoc.compiler.diag.OwnCode;
import dev.topoc.compiler.diag.Severity;
import java.util.List;

/**
 * The live stage's codes (E0900–E0929, {@code topoc up}, {@code plan}, {@code down}, and their playbook for a topology across machines): a running lab refuses a
 * change, or a run fails. Each fixes its severity and, when reported in one wording, carries it ({@link LiveMsg}
 * holds the others). Registered through {@link Set} (META-INF/services); documented in docs/diagnostics.md.
 */
public enum LiveCode implements OwnCode {
    LIVE_OTHER_FILE("E0900", Severity.ERROR, "lab running from another file",
            "lab {0} is running from {1}, not from {2}: `topoc down --lab {0}` first, or `topoc up --replace` to take "
            + "it over"),
    LIVE_OTHER_SANDBOX("E0901", Severity.ERROR, "lab running with the other --sandbox setting",
            "lab {0} is running {1} --sandbox: give the same options, `topoc down --lab {0}` first, or --replace"),
    LIVE_OTHER_LABS_NAMESPACE("E0902", Severity.ERROR, "namespace owned by another lab",
            "namespace {0} (node {1}) belongs to lab {2} ({3}): use another --prefix, or `topoc down --lab {2}` first"),
    LIVE_UNOWNED_NAMESPACE("E0903", Severity.ERROR, "namespace owned by no lab", null),
    LIVE_BUSY("E0904", Severity.ERROR, "lab busy",
            "lab {0} is being changed by another topoc (pid {1})", "try again when it has finished (or raise --wait)"),
    LIVE_ROLLED_BACK("E0905", Severity.ERROR, "step failed, rolled back", null),
    /** {0}: the lab, {1}: how it runs, {2}: the file, {3}: what the file now describes. */
    LIVE_OTHER_KIND("E0906", Severity.ERROR, "lab running on one host, file across machines (or the other way)",
            "lab {0} runs {1}, but {2} now describes a topology {3}: `topoc down --lab {0}` first, then `topoc up {2}`"),
    LIVE_PLAYBOOK_FAILED("E0907", Severity.ERROR, "playbook failed", null),
    /**
     * Retired: no longer reported, since {@code check --live} probes a topology across machines through its
     * {@code check.yml} ({@code MachineCheck}); kept so that E0908 never gets another meaning. {0}: the file.
     */
    LIVE_CHECK_MACHINES("E0908", Severity.ERROR, "check --live of a topology across machines",
            "check --live does not probe a topology across machines yet: `topoc check {0}` proves its expects in the "
            + "simulator on the stitched topology, and `topoc compile {0} --target bash --sandbox` builds that whole on "
            + "one host to probe"),
    /** {0}: the program, {1}: its Debian package. */
    LIVE_NO_ANSIBLE("E0909", Severity.ERROR, "ansible-playbook or sshd missing",
            "{0} not found on this host: topoc up of a topology across machines needs it (Debian package {1})");

    private final CodeInfo info;

    LiveCode(String id, Severity severity, String title, String text) {
        this(id, severity, title, text, null);
    }

    LiveCode(String id, Severity severity, String title, String text, String hint) {
        this.info = new CodeInfo(id, severity, title, text, hint);
    }

    @Override
    public CodeInfo info() {
        return info;
    }

    /** The {@link CodeSet} provider for these codes. */
    public static final class Set implements CodeSet {
        @Override
        public List<LiveCode> codes() {
            return List.of(values());
        }
    }
}
