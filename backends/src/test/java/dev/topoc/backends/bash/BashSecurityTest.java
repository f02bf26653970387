package dev.topoc.backends.bash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.backends.ArtifactWriter;
import dev.topoc.backends.BackendOptions;
import dev.topoc.backends.lab.Lab;
import dev.topoc.compiler.Compiler;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.syntax.SourceFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 18 in real namespaces: records that cannot collide, are trusted only when root's own and delete only
 * what is still theirs; kills inside the namespace batch and the preflight; two applies at once; sysctls read
 * back; another version of the file refused; a hostile file name inert on every path of the scripts. Each test
 * is named after the item it proves.
 */
class BashSecurityTest {
    static final Path SAMPLE = BashReliabilityTest.SAMPLE;

    @BeforeAll
    static void machine() {
        Lab.assumeMachine();
    }

    static String text() throws Exception {
        return Files.readString(SAMPLE);
    }

    static boolean live(String ns) {
        return Lab.run(Map.of(), 10, "ip", "netns", "exec", ns, "true").code() == 0;
    }

    // ---- item 6: record keys ----------------------------------------------------------------------------------

    @Test
    void item06_prefixAndTopologyNameCannotShareARecord() throws Exception {
        String p = Lab.uniquePrefix();
        String body = "node h { iface eth0 { address 10.61.0.1/24 } }\nnode g { iface eth0 { address 10.61.0.2/24 } }\n"
                + "link h:eth0 -- g:eth0\n";
        try (Lab one = Lab.of("one.topo", "topology b\n" + body, p + "-a");
                Lab two = Lab.of("two.topo", "topology ab\n" + body, p + "-")) {
            assertNotEquals(one.stateDir(), two.stateDir());
            assertEquals(0, one.apply("-q").code());
            Lab.Result r = two.apply("-q");
            assertEquals(0, r.code(), r.toString());
            assertEquals(2, one.namespaces().stream().filter(n -> n.startsWith(p + "-a")).count());
            assertEquals(0, two.destroy("-q").code());
            assertTrue(live(one.namespace("h")) && live(one.namespace("g")), "destroying one lab removed the other's");
            assertEquals(0, one.destroy("-q").code());
            assertEquals(List.of(), Lab.namespacesWith(p));
        }
    }

    // ---- item 7: tampered records -----------------------------------------------------------------------------

    @Test
    void item07_aTamperedRecordDeletesNothingThatIsNotThisLabs() throws Exception {
        String p = Lab.uniquePrefix();
        try (Lab mine = Lab.of(SAMPLE.getFileName().toString(), text(), p + "-");
                Lab other = Lab.of(SAMPLE.getFileName().toString(), text(), p + "-o")) {
            assertEquals(0, mine.apply("-q").code());
            assertEquals(0, other.apply("-q").code());
            String victim = other.namespace("nginx"); // starts with mine's prefix too: only its identity protects it
            Path record = mine.stateDir().resolve("namespaces");
            Files.writeString(record, Files.readString(record) + victim + " 4:1\n" + other.namespace("docker") + " \n");
            Lab.Result d = mine.destroy();
            assertEquals(0, d.code(), d.toString());
            assertTrue(d.err().contains("left alone") && d.err().contains(victim), d.err());
            assertTrue(live(victim) && live(other.namespace("docker")), "destroy.sh deleted another lab's namespace");
            assertEquals(4, other.namespaces().stream().filter(n -> n.startsWith(p + "-o")).count());
            assertEquals(List.of(), mine.namespaces().stream().filter(n -> !n.startsWith(p + "-o")).toList());
        }
    }

    @Test
    void item07_aRecordOthersCouldWriteIsNotTrusted() throws Exception {
        try (Lab lab = Lab.of(SAMPLE)) {
            assertEquals(0, lab.apply("-q").code());
            Path record = lab.stateDir().resolve("namespaces");
            assertEquals("rw-------", permissions(record));
            assertEquals("rwx------", permissions(lab.stateDir()));
            Lab.run(Map.of(), 10, "chmod", "o+w", record.toString());
            for (String script : List.of("apply.sh", "destroy.sh")) {
                Lab.Result r = lab.script(script, Map.of(), "-q");
                assertEquals(1, r.code(), r.toString());
                assertTrue(r.err().contains("is not root's own"), r.err());
            }
            assertEquals(4, lab.namespaces().size(), "a refused run changed something");
            Lab.run(Map.of(), 10, "chmod", "o-w", record.toString());
            // a name that is no namespace name (a line break would become an `ip -batch` command) is refused
            Files.writeString(record, Files.readString(record) + "x;reboot 4:1\n");
            Lab.Result r = lab.destroy();
            assertEquals(1, r.code(), r.toString());
            assertTrue(r.err().contains("refusing to trust it"), r.err());
        }
    }

    private static String permissions(Path p) throws Exception {
        return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    // ---- items 8 and 9: kills inside the namespace batch and the preflight -----------------------------------

    @Test
    void item08_aKillAtEveryPointInsideTheNamespaceBatchIsRecoveredByTheNextApply() throws Exception {
        try (Lab lab = Lab.of(SAMPLE)) {
            int namespaces = 4;
            for (int k = 0; k < namespaces; k++) {
                Lab.Result killed = lab.script("apply.sh", Map.of("TOPOC_KILL_IN_BATCH", String.valueOf(k)), "-q");
                assertNotEquals(0, killed.code(), "apply.sh was to die inside the batch at line " + k);
                long dead = lab.namespaces().stream().filter(n -> !live(n)).count();
                assertEquals(1, dead, "the kill at line " + k + " should leave one /run/netns file without a namespace");
                Lab.Result resumed = lab.apply("-q");
                assertEquals(0, resumed.code(), "after a kill at line " + k + ": " + resumed);
                assertEquals(namespaces, lab.namespaces().size());
                assertTrue(lab.namespaces().stream().allMatch(BashSecurityTest::live), lab.namespaces().toString());
                if (k == namespaces - 1) {
                    BashReliabilityTest.assertExpectationsHold(lab);
                }
                assertEquals(0, lab.destroy("-q").code());
                assertEquals(List.of(), lab.namespaces(), "after a kill at line " + k);
            }
        }
    }

    @Test
    void item08_aRealSigkillAtRandomMomentsOfTheFirstStepsIsRecovered() throws Exception {
        try (Lab lab = Lab.of(SAMPLE)) {
            java.util.Random random = new java.util.Random(18);
            for (int round = 0; round < 6; round++) {
                long delayMs = 20 + random.nextInt(200);
                ProcessBuilder pb = new ProcessBuilder("setsid", "bash", lab.dir.resolve("apply.sh").toString(), "-q");
                pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
                Process p = pb.start();
                Thread.sleep(delayMs);
                // the whole session, ip -batch included, as a power cut or an OOM kill of the group would
                Lab.run(Map.of(), 10, "kill", "-KILL", "--", "-" + p.pid());
                p.waitFor();
                Lab.Result resumed = lab.apply("-q");
                assertEquals(0, resumed.code(), "after a kill at " + delayMs + " ms: " + resumed);
                assertTrue(lab.namespaces().stream().allMatch(BashSecurityTest::live), lab.namespaces().toString());
                assertEquals(0, lab.destroy("-q").code());
                assertEquals(List.of(), lab.namespaces(), "after a kill at " + delayMs + " ms");
            }
        }
    }

    /**
     * The record folder appears and goes in one rename each. A kill while apply.sh makes it, or while destroy.sh
     * removes it, used to leave a folder without its plan, which the next apply.sh took for another version of the
     * file (CI found it through the random kills above, about one run in thirty).
     */
    @Test
    void item08_aKillWhileTheRecordIsMadeOrRemovedLeavesARecordTheNextRunTrusts() throws Exception {
        try (Lab lab = Lab.of(SAMPLE)) {
            Path records = lab.stateDir().getParent();
            String side = "." + lab.stateDir().getFileName();
            Lab.Result killed = lab.script("apply.sh", Map.of("TOPOC_KILL_IN_RECORD", "new"), "-q");
            assertNotEquals(0, killed.code(), "apply.sh was to die while making its record");
            assertFalse(Files.exists(lab.stateDir()), "the record is in place only once it is whole");
            assertTrue(Files.isDirectory(records.resolve(side + ".new")), "the hook fired after the side folder was made");
            Lab.Result resumed = lab.apply("-q");
            assertEquals(0, resumed.code(), resumed.toString());
            assertFalse(Files.exists(records.resolve(side + ".new")), "the next run removes the killed run's side folder");
            BashReliabilityTest.assertExpectationsHold(lab);

            killed = lab.script("destroy.sh", Map.of("TOPOC_KILL_IN_RECORD", "drop"), "-q");
            assertNotEquals(0, killed.code(), "destroy.sh was to die while removing the record");
            assertEquals(List.of(), lab.namespaces(), "everything was removed before the record");
            assertFalse(Files.exists(lab.stateDir()));
            assertEquals(0, lab.apply("-q").code());
            assertFalse(Files.exists(records.resolve(side + ".old")), "the next run removes the renamed record");
            assertEquals(0, lab.destroy("-q").code());

            // what an older apply.sh killed inside its record's first write left: a folder with a half-written plan
            Files.createDirectory(lab.stateDir());
            Files.writeString(lab.stateDir().resolve(".plan.new"), "");
            Lab.Result over = lab.apply("-q");
            assertEquals(0, over.code(), over.toString());
            assertEquals(0, lab.destroy("-q").code());
            assertEquals(List.of(), lab.namespaces());
            assertFalse(Files.exists(lab.stateDir()));
        }
    }

    @Test
    void item09_aKillDuringPreflightLeavesNoProbeNamespaceAfterTheNextRun() throws Exception {
        try (Lab lab = Lab.of(SAMPLE)) {
            Lab.Result killed = lab.script("apply.sh", Map.of("TOPOC_KILL_IN_PREFLIGHT", "1"), "-q");
            assertNotEquals(0, killed.code());
            String probe = lab.prefix + "+" + lab.model.name() + "+probe";
            assertEquals(List.of(probe), lab.namespaces(), "the probe namespace is named with the prefix");
            assertEquals(0, lab.apply("-q").code());
            assertFalse(lab.namespaces().contains(probe), lab.namespaces().toString());
            assertEquals(0, lab.destroy("-q").code());
            assertEquals(List.of(), lab.namespaces());
        }
    }

    // ---- item 10: two applies at once -------------------------------------------------------------------------

    @Test
    void item10_twoAppliesOfOneLabAtOnceBothEndWithTheLabBuilt() throws Exception {
        try (Lab lab = Lab.of(SAMPLE)) {
            for (int round = 0; round < 3; round++) {
                CompletableFuture<Lab.Result> a = CompletableFuture.supplyAsync(() -> lab.apply());
                CompletableFuture<Lab.Result> b = CompletableFuture.supplyAsync(() -> lab.apply());
                Lab.Result ra = a.get();
                Lab.Result rb = b.get();
                assertEquals(0, ra.code(), ra.toString());
                assertEquals(0, rb.code(), rb.toString());
                assertTrue(Stream.of(ra, rb).anyMatch(r -> r.out().contains("ok (already)") || r.out().contains("waiting")),
                        "one of the two should have waited for the other:\n" + ra + rb);
                BashReliabilityTest.assertExpectationsHold(lab);
                CompletableFuture<Lab.Result> c = CompletableFuture.supplyAsync(() -> lab.apply("-q"));
                CompletableFuture<Lab.Result> d = CompletableFuture.supplyAsync(() -> lab.destroy("-q"));
                assertEquals(0, c.get().code(), c.get().toString());
                assertEquals(0, d.get().code(), d.get().toString());
                assertEquals(0, lab.destroy("-q").code());
                assertEquals(List.of(), lab.namespaces());
            }
        }
    }

    // ---- item 15: sysctls are read back -----------------------------------------------------------------------

    @Test
    void item15_sysctlsAreSetInsideTheNamespaceAndReadBack() throws Exception {
        try (Lab lab = Lab.of("sysctl.topo", """
                node r {
                  forwarding
                  iface eth0.7 { address 10.62.0.1/24 }
                  sysctl net.ipv4.conf.eth0.7.rp_filter 2
                  sysctl net.ipv4.icmp_ratelimit 500
                }
                node h { iface eth0 { address 10.62.0.2/24 } }
                link r:eth0.7 -- h:eth0
                """)) {
            Lab.Result r = lab.apply("-q");
            assertEquals(0, r.code(), r.toString());
            String ns = lab.namespace("r");
            assertEquals("2", Lab.run(Map.of(), 10, "ip", "netns", "exec", ns, "cat", "/proc/sys/net/ipv4/conf/eth0.7/rp_filter")
                    .out().trim());
            assertEquals("1", Lab.run(Map.of(), 10, "ip", "netns", "exec", ns, "cat", "/proc/sys/net/ipv4/ip_forward").out().trim());
            assertEquals(0, lab.destroy("-q").code());
        }
    }

    /** The kernel reads a leading 0 as octal: `0500` becomes 320, which the read-back catches. */
    @Test
    void item15_aSysctlValueTheKernelReadsDifferentlyFailsTheStep() throws Exception {
        try (Lab lab = Lab.of("octal.topo", """
                node r {
                  iface eth0 { address 10.64.0.1/24 }
                  sysctl net.ipv4.icmp_ratelimit 0500
                }
                """)) {
            Lab.Result r = lab.apply();
            assertEquals(1, r.code(), r.toString());
            assertTrue(r.err().contains("icmp_ratelimit: set to 0500, reads back 320"), r.err());
            assertTrue(r.err().contains("step 2/2 (r, octal.topo:1) failed"), r.err());
            assertEquals(List.of(), lab.namespaces());
        }
    }

    @Test
    void item15_aSysctlThatDoesNotTakeItsValueFailsTheStepInsteadOfPassingSilently() throws Exception {
        try (Lab lab = Lab.of(SAMPLE)) {
            Path apply = lab.dir.resolve("apply.sh");
            String script = Files.readString(apply);
            // forwarding on docker writes ip_forward; point it at a key that is read-only inside a namespace
            String good = "/proc/sys/net/ipv4/ip_forward 1";
            assertTrue(script.contains(good), "the docker step changed shape");
            Files.writeString(apply, script.replaceFirst(java.util.regex.Pattern.quote(good), "/proc/sys/net/core/rmem_max 4096"));
            Lab.Result r = lab.apply();
            assertEquals(1, r.code(), r.toString());
            assertTrue(r.err().contains("step 2/6 (docker"), r.err()); // the sixth step starts the workloads
            assertEquals(List.of(), lab.namespaces(), "rollback left namespaces");
        }
    }

    // ---- issue 12: another version of the file ----------------------------------------------------------------

    @Test
    void issue12_applyOfAnotherVersionOfTheFileRefusesInsteadOfReportingSuccess() throws Exception {
        try (Lab lab = Lab.of(SAMPLE)) {
            assertEquals(0, lab.apply("-q").code());
            String before = BashReliabilityTest.snapshot(lab);
            lab.recompile(SAMPLE.getFileName().toString(), text().replace("172.17.10.10/16", "172.17.10.11/16"));
            Lab.Result r = lab.apply();
            assertEquals(1, r.code(), r.toString());
            assertTrue(r.err().contains("this lab was applied from another version of docker-bridge.topo: run `topoc up` "
                    + "or `destroy.sh` first"), r.err());
            assertEquals(before, BashReliabilityTest.snapshot(lab), "the refused apply changed the lab");
            assertEquals(0, lab.destroy("-q").code());
            assertEquals(List.of(), lab.namespaces());
            Lab.Result fresh = lab.apply("-q");
            assertEquals(0, fresh.code(), fresh.toString());
            assertEquals(0, lab.destroy("-q").code());
        }
    }

    // ---- items 1 and 16: a hostile file name; error files --------------------------------------------------------

    @Test
    void item01_aHostileFileNameRunsNothingEvenWhenAKernelFeatureIsMissing() throws Exception {
        Path marker = Files.createTempDirectory("topoc-payload").resolve("ran");
        String payload = "touch " + marker;
        String name = "x\n" + payload + "\n\"$(" + payload + ")`" + payload + "`'; " + payload + " #.topo";
        // a VLAN: missing on this kernel's machines, and on others the feature probe passes and the lab is built
        String text = """
                node a { iface eth0 { address 10.63.0.1/24 }  vlan v5 parent eth0 id 5 { address 10.63.5.1/24 } }
                node b { iface eth0 { address 10.63.0.2/24 }  vlan v5 parent eth0 id 5 { address 10.63.5.2/24 } }
                link a:eth0 -- b:eth0
                """;
        var model = Compiler.compile(new SourceFile(name, text)).model();
        Path dir = Files.createTempDirectory("topoc-hostile");
        String prefix = Lab.uniquePrefix() + "-";
        ArtifactWriter.write(new BashBackend().generate(model, new BackendOptions(prefix, true), new Diagnostics()), dir);
        try {
            for (String script : List.of("apply.sh", "destroy.sh")) {
                for (String arg : List.of("--help", "--dry-run", "-q", "--bogus")) {
                    Lab.run(Map.of(), 60, "bash", dir.resolve(script).toString(), arg);
                    assertFalse(Files.exists(marker), script + " " + arg + " ran the payload");
                }
            }
            Lab.Result r = Lab.run(Map.of(), 60, "bash", dir.resolve("apply.sh").toString(), "-q");
            assertFalse(Files.exists(marker), "apply.sh ran the payload: " + r);
            Lab.run(Map.of(), 60, "bash", dir.resolve("destroy.sh").toString(), "-q");
        } finally {
            Lab.cleanUp(prefix);
            Lab.run(Map.of(), 10, "rm", "-rf", dir.toString(), marker.getParent().toString());
        }
    }

    @Test
    void item16_aKilledApplyLeavesItsErrorFileInTheRecordNotInTmp() throws Exception {
        try (Lab lab = Lab.of(SAMPLE)) {
            List<String> before = tmpFiles();
            Lab.Result killed = lab.script("apply.sh", Map.of("TOPOC_KILL_AFTER_STEP", "2"), "-q");
            assertNotEquals(0, killed.code());
            List<String> after = new ArrayList<>(tmpFiles());
            after.removeAll(before);
            assertEquals(List.of(), after, "a killed apply.sh left files in /tmp");
            assertEquals(0, lab.apply("-q").code());
            assertEquals(0, lab.destroy("-q").code());
            assertFalse(Files.exists(lab.stateDir()));
        }
    }

    private static List<String> tmpFiles() throws Exception {
        try (Stream<Path> s = Files.list(Path.of("/tmp"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("tmp.")).sorted().toList();
        }
    }
}
