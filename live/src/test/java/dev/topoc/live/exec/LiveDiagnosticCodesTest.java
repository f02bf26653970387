package dev.topoc.live.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.backends.lab.Lab;
import dev.topoc.compiler.diag.Codes;
import dev.topoc.compiler.diag.DiagnosticCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The live codes (E0900–E0929, {@link DiagnosticCode#isLiveCode}) against real namespaces: each is reported as
 * {@code FILE:LINE:COL: error[CODE]: …}. E0901 and E0902 are shown here; the others where their behaviour is tested
 * (listed in {@link #CASES}), and {@link #everyLiveCodeHasACase} checks that each listed test asserts its code.
 */
class LiveDiagnosticCodesTest {
    /** Code → the test class that asserts it. */
    static final Map<LiveCode, String> CASES = new LinkedHashMap<>();

    static {
        CASES.put(LiveCode.LIVE_OTHER_FILE, "OwnershipTest");
        CASES.put(LiveCode.LIVE_OTHER_SANDBOX, "LiveDiagnosticCodesTest");
        CASES.put(LiveCode.LIVE_OTHER_LABS_NAMESPACE, "LiveDiagnosticCodesTest");
        CASES.put(LiveCode.LIVE_UNOWNED_NAMESPACE, "OwnershipTest");
        CASES.put(LiveCode.LIVE_BUSY, "OwnershipTest");
        CASES.put(LiveCode.LIVE_ROLLED_BACK, "RollbackTest");
        CASES.put(LiveCode.LIVE_OTHER_KIND, "MachineLabTest");
        CASES.put(LiveCode.LIVE_PLAYBOOK_FAILED, "MachineLabTest");
        CASES.put(LiveCode.LIVE_CHECK_MACHINES, "MachineLabTest");
        CASES.put(LiveCode.LIVE_NO_ANSIBLE, "MachineLabTest");
    }

    @BeforeAll
    static void machine() {
        Lab.assumeMachine();
    }

    @Test
    void everyLiveCodeHasACase() throws Exception {
        Set<DiagnosticCode> missing = new java.util.LinkedHashSet<>();
        for (DiagnosticCode c : Codes.all()) {
            if (c.isLiveCode() && !CASES.containsKey(c)) {
                missing.add(c);
            }
        }
        assertEquals(Set.of(), missing, "live codes without a case");
        Path dir = Path.of("src/test/java/dev/topoc/live/exec");
        for (Map.Entry<LiveCode, String> e : CASES.entrySet()) {
            String test = Files.readString(dir.resolve(e.getValue() + ".java"));
            assertTrue(test.contains("\"" + e.getKey().id() + "\"") || test.contains("error[" + e.getKey().id() + "]"),
                    e.getValue() + " asserts no " + e.getKey().id());
        }
    }

    @Test
    void theOtherSandboxSettingIsRefusedWithItsCode() throws Exception {
        try (LiveFixture f = new LiveFixture()) {
            Path file = f.write("pair.topo", OwnershipTest.PAIR);
            assertEquals(Engine.OK, f.up(file).exit());
            Engine.Outcome refused = f.up(file, new Engine.Options(f.prefix, false, false, java.time.Duration.ZERO, -1));
            assertEquals(Engine.REFUSED, refused.exit(), refused.message());
            String said = String.join("\n", f.progress);
            assertTrue(said.contains(file + ":1:1: error[E0901]: lab pair@" + f.prefix + " is running with --sandbox"), said);
        }
    }

    @Test
    void anotherLabsNamespaceIsRefusedWithItsCode() throws Exception {
        try (LiveFixture f = new LiveFixture()) {
            Path file = f.write("pair.topo", OwnershipTest.PAIR);
            assertEquals(Engine.OK, f.up(file).exit());
            // another topology (another lab) with the same prefix and a node named like one of pair's
            Path other = f.write("solo.topo", "topology solo\nnode a { }\n");
            Engine.Outcome refused = f.up(other);
            assertEquals(Engine.REFUSED, refused.exit(), refused.message());
            String said = String.join("\n", f.progress);
            assertTrue(said.contains(other + ":2:6: error[E0902]: namespace " + f.ns("a") + " (node a) belongs to lab pair@"
                    + f.prefix), said);
            assertEquals(List.of(f.ns("a"), f.ns("b")), f.store.find("pair@" + f.prefix).orElseThrow().namespaces(),
                    "the running lab keeps its namespaces");
        }
    }
}
