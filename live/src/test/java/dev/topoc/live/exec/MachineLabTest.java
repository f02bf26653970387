package dev.topoc.live.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.backends.Artifacts;
import dev.topoc.backends.ansible.MachineTarget;
import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.Compiler;
import dev.topoc.compiler.machines.Stitching;
import dev.topoc.compiler.syntax.SourceFile;
import dev.topoc.live.lab.LabRecord;
import dev.topoc.live.lab.LabStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link MachineLab} without machines: its refusals against records in a store of its own, the tools it needs, and
 * how it reads ansible-playbook's output (the default callback's lines, as ansible-core 2.14 prints them). The real
 * playbook over real ssh runs in the cli's MachinesLiveTest (up, plan, drift, an edit, down, and {@code check --live}
 * through check.yml).
 */
class MachineLabTest {
    static final String TWO = """
            topology mlive
            machine hv1 { ssh 192.0.2.11  underlay 198.18.0.1 }
            machine hv2 { ssh 192.0.2.12  underlay 198.18.0.2 }
            node a { machine hv1  iface eth0 { address 10.9.0.1/24 } }
            node b { machine hv2  iface eth0 { address 10.9.0.2/24 } }
            link a:eth0 -- b:eth0
            """;

    @TempDir
    Path dir;

    private final List<String> said = new ArrayList<>();

    private Compilation compile() {
        Compilation c = Compiler.compile(new SourceFile("mlive.topo", TWO));
        assertTrue(c.ok(), () -> c.diagnostics().all().toString());
        return c;
    }

    private static List<MachineTarget> parts(Compilation c) {
        return Stitching.of(c.model()).parts().stream().map(p -> new MachineTarget(p.machine().name(), p.machine().span(),
                p.machine().ssh(), p.machine().underlay().orElseThrow().toCanonicalString(), p.topology())).toList();
    }

    private static Engine.Options options() {
        return new Engine.Options("p-", false, false, Duration.ZERO, -1);
    }

    @Test
    void aLabOnThisHostOfTheSameNameIsRefusedWithE0906() throws Exception {
        LabStore store = new LabStore(dir.resolve("store"));
        Path file = dir.resolve("mlive.topo");
        store.write(new LabRecord(LabRecord.VERSION, "p-", "mlive", false, file.toString(), "0", List.of()));
        Compilation c = compile();
        MachineLab.Plan p = new MachineLab(store, said::add).plan(c.model(), parts(c), new Artifacts(), file, options());
        assertEquals(1, p.refusals().size(), p.refusals()::toString);
        Engine.Refusal r = p.refusals().get(0);
        assertEquals("E0906", r.code().id());
        assertTrue(r.diagnostic(file, "x").startsWith(file + ":1:1: error[E0906]: lab mlive@p- runs on this host, but " + file
                + " now describes a topology across machines"), r.diagnostic(file, "x"));
    }

    @Test
    void anotherFileClaimingALabAcrossMachinesIsRefusedWithE0900() throws Exception {
        LabStore store = new LabStore(dir.resolve("store"));
        store.write(new LabRecord(LabRecord.VERSION, "p-", "mlive", false, "/elsewhere/mlive.topo", "0", List.of(),
                List.of("hv1", "hv2"), dir.resolve("store/mlive@p-/ansible").toString()));
        Compilation c = compile();
        Path file = dir.resolve("mlive.topo");
        MachineLab.Plan p = new MachineLab(store, said::add).plan(c.model(), parts(c), new Artifacts(), file, options());
        assertEquals(List.of("E0900"), p.refusals().stream().map(r -> r.code().id()).toList());
        // read back: the record keeps its machines and folder
        LabRecord back = store.find("mlive@p-").orElseThrow();
        assertEquals(List.of("hv1", "hv2"), back.machines());
        assertTrue(back.acrossMachines());
    }

    @Test
    void aMissingToolIsNamedWithItsPackage() {
        Engine.Outcome o = MachineLab.tools(options(), "mlive.topo:1:1", dir.toString());
        assertEquals(Engine.FAILED, o.exit());
        assertEquals("mlive.topo:1:1: error[E0909]: ansible-playbook not found on this host: topoc up of a topology across "
                + "machines needs it (Debian package ansible-core)", o.diagnostic());
    }

    @Test
    void theRetiredE0908KeepsItsWording() {
        Engine.Outcome o = Engine.Outcome.failed(Engine.FAILED, "mlive.topo:1:1", LiveCode.LIVE_CHECK_MACHINES, "mlive.topo");
        assertTrue(o.diagnostic().startsWith("mlive.topo:1:1: error[E0908]: check --live does not probe a topology across "
                + "machines yet: `topoc check mlive.topo` proves"), o.diagnostic());
    }

    /** What ansible-core 2.14's default callback prints for a deploy where hv2's apply.sh fails. */
    static final String OUTPUT = """

            PLAY [deploy mlive] ************************************************************

            TASK [read the record of a lab already built here] *****************************
            ok: [hv1]
            ok: [hv2]

            TASK [copy apply.sh and destroy.sh] ********************************************
            ok: [hv1] => (item=apply.sh)
            changed: [hv2] => (item=apply.sh)
            changed: [hv2] => (item=destroy.sh)

            TASK [apply.sh (changed when it ran a step, not when every step was done already)] ***
            ok: [hv1]
            fatal: [hv2]: FAILED! => {"changed": true, "cmd": ["/var/lib/topoc/p-+mlive-hv2/apply.sh"], "msg": "non-zero return code", "rc": 1, "stderr": "apply.sh: step 3/5 failed", "stdout": ""}

            TASK [(check) the commands apply.sh would run, from its dry run on the controller] ***
            skipping: [hv1]
            changed: [hv1 -> localhost]

            TASK [stop when a machine failed (its apply.sh removed what it had created)] ***
            fatal: [hv2]: FAILED! => {"changed": false, "msg": "apply.sh: apply.sh: step 3/5 failed"}

            PLAY RECAP *********************************************************************
            hv1                        : ok=5    changed=1    unreachable=0    failed=0    skipped=3    rescued=0    ignored=0
            hv2                        : ok=4    changed=1    unreachable=0    failed=1    skipped=2    rescued=1    ignored=0
            """;

    @Test
    void thePlaybooksOutputIsReadIntoRecapChangesAndFailures() throws Exception {
        Path out = dir.resolve("out.txt");
        Files.writeString(out, OUTPUT);
        List<String> progress = new ArrayList<>();
        MachineLab.Run r = MachineLab.run(new ProcessBuilder("sh", "-c", "cat \"$0\"; exit 2", out.toString()), progress::add);
        assertEquals(2, r.exit());
        assertEquals(Map.of("hv1", new MachineLab.Recap(5, 1, 0, 0), "hv2", new MachineLab.Recap(4, 1, 0, 1)), r.recap());
        // `(check) X (why)` is X; a result delegated to the controller counts for its machine
        assertEquals(List.of("the commands apply.sh would run, from its dry run on the controller"), r.changed().get("hv1"));
        assertEquals(List.of("copy apply.sh and destroy.sh"), r.changed().get("hv2"), "one line per task, not per item");
        // the machine's last failure is its verdict: the play's own `fail` with apply.sh's message
        assertEquals(Map.of("hv2", "apply.sh: apply.sh: step 3/5 failed"), r.failures());
        assertTrue(progress.contains("  hv2: failed: apply.sh: apply.sh: step 3/5 failed"), progress::toString);
        assertTrue(progress.contains("  hv2: ok=4 changed=1 failed=1"), progress::toString);
        Engine.Outcome o = MachineLab.failed("mlive.topo:1:1", "deploy.yml", r);
        assertEquals("mlive.topo:1:1: error[E0907]: deploy.yml failed on machine hv2: apply.sh: apply.sh: step 3/5 failed",
                o.diagnostic());
    }

    @Test
    void aPlaybookThatFailsWithoutAMachineIsNamedByItsExitAndLastLines() throws Exception {
        MachineLab.Run r = MachineLab.run(new ProcessBuilder("sh", "-c", "echo 'ERROR! the playbook: x could not be found'; exit 1"),
                line -> { });
        assertEquals("t: error[E0907]: deploy.yml exited with 1: ERROR! the playbook: x could not be found",
                MachineLab.failed("t", "deploy.yml", r).diagnostic());
    }

    /** What ansible-core 2.14's default callback prints with -v for two steps of check.yml (raw over a tty). */
    static final String CHECK_OUTPUT = """

            TASK [the counters before probe 0] *********************************************
            ok: [hv2] => {"changed": false, "rc": 0, "stderr": "Shared connection to 192.0.2.12 closed.\\r\\n", "stderr_lines": ["Shared connection to 192.0.2.12 closed."], "stdout": "topoc-probe {\\"counters\\": {\\"-\\": {\\"echo\\": 0}}, \\"k\\": 0}\\r\\n", "stdout_lines": ["topoc-probe {\\"counters\\": {\\"-\\": {\\"echo\\": 0}}, \\"k\\": 0}"]}
            ok: [hv1] => {"changed": false, "rc": 0, "stderr": "", "stdout": "a warning of python\\r\\ntopoc-probe {\\"counters\\": {}, \\"k\\": 0}\\r\\n"}

            TASK [probe 0 from hv1] ********************************************************
            skipping: [hv2] => {"changed": false, "skip_reason": "Conditional result was False"}
            ok: [hv1] => {"changed": false, "rc": 0, "stdout": "topoc-probe {\\"detail\\": \\"connection refused (reset)\\", \\"k\\": 0, \\"replies\\": 0, \\"verdict\\": \\"refused\\"}\\r\\n"}

            PLAY RECAP *********************************************************************
            hv1                        : ok=2    changed=0    unreachable=0    failed=0    skipped=0    rescued=0    ignored=0
            hv2                        : ok=1    changed=0    unreachable=0    failed=0    skipped=1    rescued=0    ignored=0
            """;

    @Test
    void theLinesCheckYmlsStepsPrintAreReadPerMachineInOrder() throws Exception {
        Path out = dir.resolve("check.txt");
        Files.writeString(out, CHECK_OUTPUT);
        MachineLab.Run r = MachineLab.run(new ProcessBuilder("cat", out.toString()), line -> { });
        assertEquals(0, r.exit());
        assertEquals(Map.of(
                "hv1", List.of("topoc-probe {\"counters\": {}, \"k\": 0}",
                        "topoc-probe {\"detail\": \"connection refused (reset)\", \"k\": 0, \"replies\": 0, \"verdict\": \"refused\"}"),
                "hv2", List.of("topoc-probe {\"counters\": {\"-\": {\"echo\": 0}}, \"k\": 0}")), r.said());
        assertEquals(Map.of(), r.changed());
    }
}
