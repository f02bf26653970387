package dev.topoc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.topoc.live.lab.LabStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * plan, up, check --live and down of a topology with machines, for real: through its playbooks (the real
 * ansible-playbook over real ssh), with --sandbox (machines as namespaces P+machine, each with its own sshd, the
 * controller P+control). One sandbox for the whole class, in order: up from nothing, a ping across the machines, plan
 * in sync, check --live with every expect holding on the machines (a ping across them, a tcp connection and a ping
 * through the router b on the other machine); a route deleted by hand makes the expects through it fail live (exit 3,
 * beside the simulator's trace: the playbook's dry run does not see inside a namespace, so the lab is not out of
 * sync); a namespace deleted by hand is pending, check --live refuses, and up restores it; an edit of one machine's
 * part leaves the other machine untouched (a process in its node keeps running, its interface keeps its ifindex, its
 * recap says changed=0); another file claiming the lab is refused, by up and by check --live; down twice leaves no
 * namespace, sshd, record or file.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Execution(ExecutionMode.CONCURRENT) // beside the other cli classes (it mostly waits on ssh); its methods in order
class MachinesLiveTest {
    static final String PREFIX = "tpc" + ProcessHandle.current().pid() % 100_000 + "M-";
    static final String LAB = "mlive@" + PREFIX;

    /** a and d on hv1, the router b between them on hv2: a reaches d through both tunnels; d serves http. */
    static final String TWO = """
            topology mlive
            machine hv1 { ssh 192.0.2.11  underlay 198.18.0.1 }
            machine hv2 { ssh 192.0.2.12  underlay 198.18.0.2 }
            node a { machine hv1  iface eth0 { address 10.9.0.1/24 }  route 10.9.3.0/24 via 10.9.0.2 }
            node b { machine hv2  forwarding  iface eth0 { address 10.9.0.2/24 }  iface eth3 { address 10.9.3.1/24 } }
            node d { machine hv1  iface eth0 { address 10.9.3.2/24 }  route default via 10.9.3.1  listen tcp 8080  run "python3 -m http.server 8080" }
            link a:eth0 -- b:eth0
            link b:eth3 -- d:eth0
            expect a -> b reach
            expect a -> d reach via b lands d
            expect a -> d tcp 8080 reach via b lands d
            expect a -> d tcp 8081 noreach
            """;

    /**
     * TWO with one more node on hv2, cabled to b, written below what hv1's part comes from: hv1's part is the same
     * (its apply.sh names the lines of the file it comes from, so a line inserted above them would change it).
     */
    static final String EDITED = TWO.replace("iface eth3 { address 10.9.3.1/24 } }",
            "iface eth3 { address 10.9.3.1/24 }  iface eth1 { address 10.9.1.2/24 } }") + """
            node c { machine hv2  iface eth0 { address 10.9.1.3/24 } }
            link b:eth1 -- c:eth0
            """;

    private Path dir;
    private Path file;
    private String[] opts;
    private boolean ready;

    @BeforeAll
    void tools() throws IOException {
        boolean root = "root".equals(System.getProperty("user.name"));
        ready = root && onPath("ip") && onPath("nsenter") && onPath("ansible-playbook") && onPath("ssh") && onPath("ssh-keygen")
                && Files.isExecutable(Path.of("/usr/sbin/sshd"));
        dir = Files.createTempDirectory("machines-live");
        file = dir.resolve("mlive.topo");
        Files.writeString(file, TWO);
        opts = new String[] {"--sandbox", "--prefix", PREFIX, "--wait", "0"};
    }

    private void assume() {
        assumeTrue(ready, "needs root, ip, nsenter, ansible-playbook (Debian package ansible-core), /usr/sbin/sshd "
                + "(openssh-server), ssh and ssh-keygen (openssh-client)");
    }

    @AfterAll
    void cleanUp() throws Exception {
        if (!ready) {
            return;
        }
        CliTest.run("down", "--lab", LAB);
        Path sandboxDown = LabStore.system().dir().resolve(LAB).resolve("ansible/sandbox-down.sh");
        if (Files.exists(sandboxDown)) {
            run("bash", sandboxDown.toString(), "-q");
        }
        for (String ns : namespaces()) {
            run("ip", "netns", "del", ns);
        }
    }

    @Test
    @Order(1)
    @Execution(ExecutionMode.SAME_THREAD)
    void upFromNothingPingsAcrossTheMachinesAndPlanIsInSync() throws Exception {
        assume();
        CliTest.Run before = cli("plan", file.toString());
        assertEquals(5, before.exit(), before.out() + before.err());
        assertTrue(before.out().contains("+ machine hv1: build its part (nodes a, d and its default namespace)   mlive.topo:2"),
                before.out());
        CliTest.Run up = cli("up", file.toString());
        assertEquals(0, up.exit(), up.out() + up.err());
        assertTrue(up.out().contains("lab " + LAB + " is up on 2 machines"), up.out());
        assertTrue(up.out().contains("hv2: changed: apply.sh"), up.out());
        // a -> b crosses from hv1 to hv2 through the VXLAN stitched between the machines' namespaces
        assertEquals(0, run("ip", "netns", "exec", PREFIX + "a", "ping", "-c", "3", "-i", "0.2", "-W", "2", "10.9.0.2"));
        CliTest.Run plan = cli("plan", file.toString());
        assertEquals(0, plan.exit(), plan.out() + plan.err());
        assertTrue(plan.out().contains("is in sync"), plan.out());
        CliTest.Run inspect = CliTest.run("inspect", "--lab", LAB);
        assertTrue(inspect.out().contains("machines hv1, hv2") && inspect.out().contains("netns " + PREFIX + "b"), inspect.out());

        Path junit = dir.resolve("live.xml");
        CliTest.Run live = live("--junit", junit.toString());
        assertEquals(0, live.exit(), live.out() + live.err());
        String o = live.out();
        assertTrue(o.contains("PASS " + file + ":9:1  a -> b reach\n    live:      reaches, lands on b ("), o);
        assertTrue(o.contains("PASS " + file + ":10:1  a -> d reach via b lands d\n    live:      reaches, lands on d ("), o);
        assertTrue(o.contains("PASS " + file + ":11:1  a -> d tcp 8080 reach via b lands d\n    live:      reaches, lands on d "
                + "(connected)"), o);
        assertTrue(o.contains("PASS " + file + ":12:1  a -> d tcp 8081 noreach\n    live:      refused by d (connection refused "
                + "(reset))"), o);
        assertTrue(o.contains("lab " + LAB + ": 4 expectations: 4 hold, 0 fail live; the simulator agrees on every one"), o);
        assertTrue(Files.readString(junit).contains("<testsuite name=\"topoc check --live mlive\" tests=\"4\" failures=\"0\""),
                Files.readString(junit));
        assertEquals(List.of(), muxes(), "check.yml left its ssh connections open");
    }

    @Test
    @Order(2)
    @Execution(ExecutionMode.SAME_THREAD)
    void aRouteDeletedByHandFailsTheExpectsThroughItLive() throws Exception {
        assume();
        // d (hv1) no longer has a way back to a: the kernel drops the replies, the simulator (the file) still reaches
        assertEquals(0, run("ip", "-n", PREFIX + "d", "route", "del", "default"));
        try {
            CliTest.Run live = live();
            assertEquals(3, live.exit(), live.out() + live.err());
            String o = live.out();
            assertTrue(o.contains("PASS " + file + ":9:1  a -> b reach"), o);
            assertTrue(o.contains("FAIL " + file + ":10:1  a -> d reach via b lands d: expected to reach, got: no answer ("), o);
            assertTrue(o.contains("    DISAGREEMENT: the simulator says it reaches, the kernel: no answer ("), o);
            assertTrue(o.contains("hv1:st"), "the simulator's trace through the tunnels is shown: " + o);
            assertTrue(o.contains("FAIL " + file + ":11:1  a -> d tcp 8080 reach via b lands d: expected to reach, got: no answer "
                    + "(no answer to the SYN in 2 s (dropped))"), o);
            assertTrue(o.contains("lab " + LAB + ": 4 expectations: 2 hold, 2 fail live; 2 disagreements with the simulator"), o);
        } finally {
            assertEquals(0, run("ip", "-n", PREFIX + "d", "route", "add", "default", "via", "10.9.3.1"));
        }
    }

    @Test
    @Order(3)
    @Execution(ExecutionMode.SAME_THREAD)
    void aNamespaceDeletedByHandIsPendingAndUpRestoresIt() throws Exception {
        assume();
        assertEquals(0, run("ip", "netns", "del", PREFIX + "b"));
        CliTest.Run drift = cli("plan", file.toString());
        assertEquals(5, drift.exit(), drift.out() + drift.err());
        assertTrue(drift.out().contains("~ machine hv2: namespace " + PREFIX + "b is missing"), drift.out());
        assertFalse(drift.out().contains("machine hv1"), drift.out());
        CliTest.Run stale = live();
        assertEquals(4, stale.exit(), stale.out() + stale.err());
        assertTrue(stale.err().contains("lab " + LAB + " is out of sync with " + file + ": 1 change pending (`topoc plan "),
                stale.err());
        assertEquals("", stale.out(), "nothing was probed");
        CliTest.Run up = cli("up", file.toString());
        assertEquals(0, up.exit(), up.out() + up.err());
        assertTrue(up.out().contains("hv1 changed=0"), up.out());
        assertTrue(Files.exists(Path.of("/run/netns", PREFIX + "b")));
        CliTest.Run plan = cli("plan", file.toString());
        assertEquals(0, plan.exit(), plan.out() + plan.err());
        // b was built again, with a new MAC that a's neighbour cache does not know yet
        assertEquals(0, run("ip", "-n", PREFIX + "a", "neigh", "flush", "all"));
        assertEquals(0, run("ip", "netns", "exec", PREFIX + "a", "ping", "-c", "2", "-i", "0.2", "-W", "2", "10.9.0.2"));
    }

    @Test
    @Order(4)
    @Execution(ExecutionMode.SAME_THREAD)
    void anEditOfOneMachineLeavesTheOtherUntouched() throws Exception {
        assume();
        String ifindex = ifindex(PREFIX + "a", "eth0");
        Process sleeper = new ProcessBuilder("ip", "netns", "exec", PREFIX + "a", "sleep", "600").start();
        try {
            Files.writeString(file, EDITED);
            CliTest.Run plan = cli("plan", file.toString());
            assertEquals(5, plan.exit(), plan.out() + plan.err());
            assertTrue(plan.out().contains("~ machine hv2: its part changed"), plan.out());
            assertFalse(plan.out().contains("machine hv1"), plan.out());
            CliTest.Run up = cli("up", file.toString());
            assertEquals(0, up.exit(), up.out() + up.err());
            assertTrue(up.out().contains("hv1 changed=0"), up.out());
            assertFalse(up.out().contains("hv1: changed"), up.out());
            assertTrue(sleeper.isAlive(), "the process in a (machine hv1) was killed");
            assertEquals(ifindex, ifindex(PREFIX + "a", "eth0"), "a:eth0 was recreated");
            assertEquals(0, run("ip", "netns", "exec", PREFIX + "c", "ping", "-c", "2", "-i", "0.2", "-W", "2", "10.9.1.2"));
            assertEquals(0, run("ip", "-n", PREFIX + "a", "neigh", "flush", "all")); // b is new again (its part changed)
            assertEquals(0, run("ip", "netns", "exec", PREFIX + "a", "ping", "-c", "2", "-i", "0.2", "-W", "2", "10.9.0.2"));
        } finally {
            sleeper.destroy();
            sleeper.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    @Order(5)
    @Execution(ExecutionMode.SAME_THREAD)
    void anotherFileClaimingTheLabIsRefused() throws Exception {
        assume();
        Path other = dir.resolve("other.topo");
        Files.writeString(other, TWO);
        CliTest.Run refused = cli("up", other.toString());
        assertEquals(1, refused.exit(), refused.out() + refused.err());
        assertTrue(refused.err().contains("error[E0900]: lab " + LAB + " is running from " + file.toAbsolutePath()), refused.err());
        CliTest.Run live = CliTest.run("check", other.toString(), "--live", "--sandbox", "--prefix", PREFIX);
        assertEquals(4, live.exit(), live.out() + live.err());
        assertTrue(live.err().contains("error[E0900]: lab " + LAB + " is running from " + file.toAbsolutePath()), live.err());
        assertTrue(live.err().contains("is not the lab " + other + " --prefix " + PREFIX + " --sandbox describes: nothing was probed"),
                live.err());
    }

    @Test
    @Order(6)
    @Execution(ExecutionMode.SAME_THREAD)
    void downTwiceLeavesNothing() throws Exception {
        assume();
        Path folder = LabStore.system().dir().resolve(LAB);
        List<String> sshd = new ArrayList<>();
        try (Stream<Path> s = Files.list(folder.resolve("ansible/run"))) {
            for (Path p : s.filter(p -> p.toString().endsWith(".pid")).toList()) {
                sshd.add(Files.readString(p).trim());
            }
        }
        assertEquals(2, sshd.size(), sshd::toString);
        CliTest.Run down = CliTest.run("down", file.toString(), "--prefix", PREFIX);
        assertEquals(0, down.exit(), down.out() + down.err());
        assertTrue(down.out().contains("lab " + LAB + " is down: torn down on 2 machines, sandbox removed"), down.out());
        assertEquals(List.of(), namespaces(), "namespaces left");
        for (String pid : sshd) {
            assertFalse(Files.exists(Path.of("/proc", pid)), "sshd " + pid + " still runs");
        }
        assertFalse(Files.exists(folder), "the lab's folder is left");
        assertFalse(Files.exists(LabStore.system().recordPath(new dev.topoc.live.lab.LabId(PREFIX, "mlive"))), "record left");
        for (String root : List.of("/run/topoc", "/var/lib/topoc")) {
            if (Files.isDirectory(Path.of(root))) {
                try (Stream<Path> s = Files.list(Path.of(root))) {
                    assertEquals(List.of(), s.filter(p -> p.getFileName().toString().startsWith(PREFIX)).toList(),
                            "the machines' apply.sh records or scripts left in " + root);
                }
            }
        }
        CliTest.Run again = CliTest.run("down", "--lab", LAB);
        assertEquals(0, again.exit(), again.out() + again.err());
        assertTrue(again.out().contains("is not running"), again.out());
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    private CliTest.Run live(String... more) {
        return CliTest.run(Stream.concat(Stream.of("check", file.toString(), "--live", "--sandbox", "--prefix", PREFIX),
                Stream.of(more)).toArray(String[]::new));
    }

    /** The ssh client processes that hold a connection to this sandbox's machines open (ControlMaster). */
    private static List<String> muxes() throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("/proc"))) {
            for (Path p : s.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cmd = Files.readString(p.resolve("cmdline")).replace('\0', ' ');
                    if (cmd.startsWith("ssh: ") && cmd.contains("[mux]") && cmd.contains("topoc-ssh")) {
                        out.add(p.getFileName() + " " + cmd);
                    }
                } catch (IOException e) {
                    // gone
                }
            }
        }
        return out;
    }

    private CliTest.Run cli(String... args) {
        return CliTest.run(Stream.concat(Stream.of(args), Stream.of(opts)).toArray(String[]::new));
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv("PATH").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, program)));
    }

    private static int run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    private static String ifindex(String ns, String dev) throws Exception {
        Process p = new ProcessBuilder("ip", "netns", "exec", ns, "cat", "/sys/class/net/" + dev + "/ifindex").start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        p.waitFor();
        return out;
    }

    private static List<String> namespaces() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/run/netns"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(PREFIX)).sorted().toList();
        }
    }
}
