package dev.topoc.live.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.backends.lab.Lab;
import dev.topoc.live.lab.LabStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** All or nothing: a step that fails rolls the lab back to the state before the run and names the step and its line. */
class RollbackTest {
    @BeforeAll
    static void machine() {
        Lab.assumeMachine();
    }

    private static String t2() {
        String t2 = UpTest.edit(UpTest.T1, "address 10.8.0.11/24", "address 10.8.0.21/24");
        t2 = UpTest.edit(t2, "  iface p2 { master br0 }\n", "  iface p2 { master br0 }\n  iface p3 { master br0 }\n");
        t2 = UpTest.edit(t2, "  route 10.77.0.0/16 via 10.8.0.1 table 100\n", "");
        return t2 + "node h3 {\n  iface eth0 { address 10.8.0.13/24 }\n  route default via 10.8.0.1\n}\nlink h3:eth0 -- r:p3\n";
    }

    private static void assertBackAtT1(LiveFixture f, Path file) throws Exception {
        f.write("edit.topo", UpTest.T1);
        assertEquals(List.of(), f.planLines(file), "the lab is as T1 built it");
        assertFalse(f.exists("h3"), "the namespace the failed run created is gone");
        assertEquals(LabStore.sha256(UpTest.T1), f.store.find("edit@" + f.prefix).orElseThrow().sha256(), "the record is T1's");
        assertEquals(0, f.in("h1", "ping", "-c1", "-W2", "10.8.1.2").code(), "h1 routes through r as before");
        assertTrue(f.in("h2", "ip", "route", "show", "table", "100").out().contains("10.77.0.0/16"));
    }

    @Test
    void anInjectedFailureRollsBackAndNamesTheStep() throws Exception {
        try (LiveFixture f = new LiveFixture()) {
            Path file = f.write("edit.topo", UpTest.T1);
            assertEquals(Engine.OK, f.up(file).exit());
            int h2 = f.ifindex("h2", "eth0");
            String t2 = t2();
            f.write("edit.topo", t2);
            List<String> plan = f.planLines(file);
            int failAt = plan.size() - 1; // everything but the last change has run
            Engine.Outcome o = f.up(file, f.options(false, failAt));
            assertEquals(Engine.FAILED, o.exit(), o.message());
            String last = plan.get(failAt);
            assertTrue(o.message().startsWith("step " + plan.size() + "/" + plan.size() + " failed: "
                    + last.substring(0, last.indexOf("   "))), o.message() + "\n" + last);
            assertTrue(o.message().contains("(edit.topo:" + last.substring(last.lastIndexOf(':') + 1) + ")"), o.message());
            assertTrue(o.message().endsWith("rolled back to the state before the run"), o.message());
            assertBackAtT1(f, file);
            assertEquals(h2, f.ifindex("h2", "eth0"), "an interface the failed run did not touch keeps its ifindex");
        }
    }

    @Test
    void aKernelFailureRollsBack() throws Exception {
        try (LiveFixture f = new LiveFixture()) {
            Path file = f.write("edit.topo", UpTest.T1);
            assertEquals(Engine.OK, f.up(file).exit());
            // the kernel refuses a value the file may write (validation checks keys, not the kernel's ranges: a TTL of
            // 0 is EINVAL); everything before it has run. (An interface the node lacks, the test's first way, is now
            // refused at validation, E0206.)
            String t2 = UpTest.edit(t2(), "node h3 {\n", "node h3 {\n  sysctl net.ipv4.ip_default_ttl 0\n");
            f.write("edit.topo", t2);
            Engine.Outcome o = f.up(file);
            assertEquals(Engine.FAILED, o.exit(), o.message());
            assertTrue(o.message().contains("sysctl net.ipv4.ip_default_ttl=0 on h3 (edit.topo:"
                    + UpTest.lineOf(t2, "node h3 {") + ")"), o.message());
            assertTrue(o.message().endsWith("rolled back to the state before the run"), o.message());
            assertEquals(file + ":" + UpTest.lineOf(t2, "node h3 {") + ":1: error[E0905]: " + o.message(), o.diagnostic(),
                    "the diagnostic points at the statement of the failed step");
            assertBackAtT1(f, file);
        }
    }
}
