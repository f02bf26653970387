package dev.topoc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * plan, up and down from the command line, for real (root; namespaces named with a pid-based prefix, --sandbox): the
 * exit codes of the issue and LANGUAGE.md §5 (plan 0 in sync, 5 changes pending, 1 invalid; up 0/1/4; down 0, twice).
 * Records go to the machine's store (/run/topoc/live, or $TOPOC_LIVE_DIR), under this test's unique lab name.
 */
class LiveCommandsTest {
    static final String PREFIX = "tpc" + ProcessHandle.current().pid() % 100_000 + "C-";

    @TempDir
    Path dir;

    static final String PAIR = """
            topology clipair
            node a { iface eth0 { address 10.5.0.1/24 } }
            node b { iface eth0 { address 10.5.0.2/24 } }
            link a:eth0 -- b:eth0
            """;

    static boolean machine() {
        return "root".equals(System.getProperty("user.name")) && Stream.of(System.getenv("PATH").split(":"))
                .anyMatch(d -> Files.isExecutable(Path.of(d, "ip")) && Files.isExecutable(Path.of(d, "nsenter")));
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (machine()) {
            CliTest.run("down", "--lab", "clipair@" + PREFIX);
            // down removes the lock file with the record
            assertFalse(Files.exists(dev.topoc.live.lab.LabStore.system().dir().resolve("clipair@" + PREFIX + ".lock")));
            try (Stream<Path> s = Files.list(Path.of("/run/netns"))) {
                for (Path ns : s.filter(p -> p.getFileName().toString().startsWith(PREFIX)).toList()) {
                    new ProcessBuilder("ip", "netns", "del", ns.getFileName().toString()).start().waitFor();
                }
            }
        }
    }

    Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void planUpDownExitCodes() throws Exception {
        assumeTrue(machine(), "needs root, ip and nsenter");
        Path file = write("pair.topo", PAIR);
        String[] opts = {"--sandbox", "--prefix", PREFIX, "--wait", "0"};
        CliTest.Run plan = CliTest.run(cat(new String[] {"plan", file.toString()}, opts));
        assertEquals(5, plan.exit(), plan.out() + plan.err());
        assertTrue(plan.out().contains("+ node a (namespace " + PREFIX + "a)   pair.topo:2"), plan.out());
        CliTest.Run up = CliTest.run(cat(new String[] {"up", file.toString()}, opts));
        assertEquals(0, up.exit(), up.out() + up.err());
        assertTrue(up.out().contains("lab clipair@" + PREFIX + " is up"), up.out());
        CliTest.Run synced = CliTest.run(cat(new String[] {"plan", file.toString(), "--format", "json"}, opts));
        assertEquals(0, synced.exit(), synced.out() + synced.err());
        assertTrue(synced.out().contains("\"inSync\": true"), synced.out());
        // drift by hand: plan exits 5 and names it; up restores; plan exits 0
        assertEquals(0, new ProcessBuilder("ip", "-n", PREFIX + "b", "address", "flush", "dev", "eth0").start().waitFor());
        CliTest.Run drift = CliTest.run(cat(new String[] {"plan", file.toString()}, opts));
        assertEquals(5, drift.exit(), drift.out());
        assertTrue(drift.out().contains("+ address 10.5.0.2/24 on b:eth0   pair.topo:3"), drift.out());
        assertEquals(0, CliTest.run(cat(new String[] {"up", file.toString()}, opts)).exit());
        assertEquals(0, CliTest.run(cat(new String[] {"plan", file.toString()}, opts)).exit());
        // another file with the same topology name and prefix is refused, naming the running lab's file
        Path other = write("other.topo", PAIR.replace("10.5.0.2", "10.5.0.3"));
        CliTest.Run refused = CliTest.run(cat(new String[] {"up", other.toString()}, opts));
        assertEquals(1, refused.exit(), refused.out() + refused.err());
        assertTrue(refused.err().contains("is running from " + file.toAbsolutePath()), refused.err());
        // an invalid file
        Path bad = write("bad.topo", "topology clipair\nnode a { iface eth0 { address 10.5.0.300/24 } }\n");
        assertEquals(1, CliTest.run(cat(new String[] {"plan", bad.toString()}, opts)).exit());
        assertEquals(1, CliTest.run(cat(new String[] {"up", bad.toString()}, opts)).exit());
        // down, twice
        CliTest.Run down = CliTest.run(cat(new String[] {"down", file.toString()}, opts));
        assertEquals(0, down.exit(), down.out() + down.err());
        assertTrue(down.out().contains("is down: 2 namespaces deleted"), down.out());
        CliTest.Run again = CliTest.run("down", "--lab", "clipair@" + PREFIX);
        assertEquals(0, again.exit(), again.out() + again.err());
        assertTrue(again.out().contains("is not running"), again.out());
    }

    @Test
    void aRefusalIsReportedAtTheLineOfTheNodeWhoseNamespaceIsTaken() throws Exception {
        assumeTrue(machine(), "needs root, ip and nsenter");
        Path file = write("pair.topo", PAIR);
        // b's namespace exists and no lab owns it (built by hand): up refuses at node b (3:6, its name), not at `topology`
        assertEquals(0, new ProcessBuilder("ip", "netns", "add", PREFIX + "b").inheritIO().start().waitFor());
        CliTest.Run refused = CliTest.run("up", file.toString(), "--sandbox", "--prefix", PREFIX, "--wait", "0");
        assertEquals(1, refused.exit(), refused.out() + refused.err());
        assertTrue(refused.err().contains(file + ":3:6: error[E0903]: namespace " + PREFIX + "b (node b) exists and no lab owns it"),
                refused.err());
        assertTrue(!refused.err().contains(file + ":1:1: error"), refused.err());
        assertTrue(!Files.exists(Path.of("/run/netns", PREFIX + "a")), "refused before changing anything");
    }

    @Test
    void usageErrors() {
        assertEquals(2, CliTest.run("down").exit(), "FILE or --lab");
        assertEquals(2, CliTest.run("down", "x.topo", "--lab", "x").exit(), "not both");
        assertEquals(2, CliTest.run("plan", "x.topo", "--prefix", "-bad").exit());
        CliTest.Run help = CliTest.run("up", "--help");
        assertEquals(0, help.exit());
        assertTrue(help.out().contains("Examples:") && help.out().contains("--replace"), help.out());
    }

    private static String[] cat(String[] a, String[] b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }

}
