package dev.topoc.backends.ansible;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.topoc.backends.ArtifactWriter;
import dev.topoc.backends.Artifacts;
import dev.topoc.backends.BackendOptions;
import dev.topoc.backends.lab.Lab;
import dev.topoc.backends.lab.Lab.Result;
import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.Compiler;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.syntax.SourceFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real engine over real SSH: three "machines" that are sandbox namespaces, each running its own sshd on its
 * ssh address, deployed by {@code ansible-playbook} running in the sandbox's controller namespace. The parts are
 * written by hand as the stitching makes them (parts/hv1..3.topo: web on hv1, a router on hv2, cache on hv3, each
 * cross-machine link a VXLAN over the underlay), so what is proved here is the deployment: a ping from web to
 * cache crosses both tunnels, a second run reports changed=0, --check changes nothing, a failure on one machine
 * leaves none built, and the teardown leaves no namespace, process or file on any machine.
 */
class AnsibleSandboxTest {
    private static final Pattern RECAP = Pattern.compile("(?m)^(\\S+)\\s+: ok=(\\d+)\\s+changed=(\\d+)\\s+unreachable=(\\d+)\\s+failed=(\\d+)");

    @TempDir
    Path dir;

    private String prefix;
    private List<MachineTarget> machines;

    @BeforeEach
    void tools() {
        assumeTrue(Lab.isRoot() && Lab.onPath("ip"), "needs root and ip (iproute2)");
        assumeTrue(Lab.onPath("ansible-playbook"), "needs ansible-playbook (Debian package ansible-core)");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/sshd")), "needs /usr/sbin/sshd (Debian package openssh-server)");
        assumeTrue(Lab.onPath("ssh") && Lab.onPath("ssh-keygen"), "needs ssh and ssh-keygen (Debian package openssh-client)");
        prefix = Lab.uniquePrefix() + "-";
    }

    /** Compiles the machines' parts into {@link #dir} with --sandbox and brings the sandbox up. */
    private void up(List<MachineTarget> parts) throws IOException {
        machines = parts;
        Diagnostics d = new Diagnostics();
        Artifacts a = new AnsibleBackend().generate("demo", machines, new BackendOptions(prefix, true), AnsibleBackend.Via.BASH, d);
        assertFalse(d.hasErrors(), d.all()::toString);
        ArtifactWriter.write(a, dir);
        Result up = Lab.run(Map.of(), 120, "bash", dir.resolve("sandbox-up.sh").toString());
        assertEquals(0, up.code(), up::toString);
    }

    @AfterEach
    void down() {
        if (machines == null) {
            return;
        }
        Lab.run(Map.of(), 120, "bash", dir.resolve("sandbox-down.sh").toString(), "-q");
        Lab.cleanUp(prefix);
        for (MachineTarget m : machines) {
            Lab.run(Map.of(), 30, "rm", "-rf", AnsibleBackend.REMOTE_ROOT + lab(m));
        }
    }

    @Test
    void deploysOverSshIdempotentlyChecksWithoutChangingAndTearsDownToNothing() throws IOException {
        up(parts());
        Result check = playbook("deploy.yml", "--check");
        assertEquals(0, check.code(), check::toString);
        recap(check).forEach((host, changed) -> assertTrue(changed > 0, host + " would change: " + check.out()));
        assertEquals(List.of(), nodeNamespaces(), "--check created namespaces");
        for (MachineTarget m : machines) {
            assertFalse(Files.exists(Path.of(AnsibleBackend.REMOTE_ROOT + lab(m))), "--check copied the scripts of " + m.name());
        }

        Result first = playbook("deploy.yml");
        assertEquals(0, first.code(), first::toString);
        Map<String, Integer> firstRecap = recap(first);
        assertEquals(List.of("hv1", "hv2", "hv3"), List.copyOf(firstRecap.keySet()), first.out());
        firstRecap.forEach((host, changed) -> assertTrue(changed > 0, host + ": " + first.out()));
        assertEquals(List.of(prefix + "cache", prefix + "router", prefix + "web"), nodeNamespaces());

        // web (hv1) -> router (hv2) -> cache (hv3): through VXLAN 101 and 102 between the machine namespaces
        Result ping = Lab.run(Map.of(), 30, "ip", "netns", "exec", prefix + "web", "ping", "-c", "3", "-i", "0.2", "-W", "2",
                "10.0.2.30");
        assertEquals(0, ping.code(), ping::toString);
        assertTrue(txPackets(prefix + "hv1", "vx101") > 0 && txPackets(prefix + "hv3", "vx102") > 0,
                "the ping did not cross the tunnels");

        Result second = playbook("deploy.yml");
        assertEquals(0, second.code(), second::toString);
        assertEquals(Map.of("hv1", 0, "hv2", 0, "hv3", 0), recap(second), second.out());

        Result checkAgain = playbook("deploy.yml", "--check");
        assertEquals(Map.of("hv1", 0, "hv2", 0, "hv3", 0), recap(checkAgain), checkAgain.out());

        Result teardown = playbook("teardown.yml");
        assertEquals(0, teardown.code(), teardown::toString);
        recap(teardown).forEach((host, changed) -> assertTrue(changed > 0, host + ": " + teardown.out()));
        assertEquals(List.of(), nodeNamespaces(), "namespaces left by the teardown");
        for (MachineTarget m : machines) {
            assertFalse(Files.exists(Path.of(AnsibleBackend.REMOTE_ROOT + lab(m))), "scripts left on " + m.name());
            assertFalse(Files.exists(Path.of("/run/topoc", lab(m))), "record left on " + m.name());
            assertFalse(Files.exists(Path.of("/run/topoc", lab(m) + ".lock")), "lock left on " + m.name());
            assertEquals(List.of(sshdPid(m)), pids(prefix + m.name()), "processes left on " + m.name() + " besides its sshd");
        }
        List<String> sshds = new ArrayList<>();
        for (MachineTarget m : machines) {
            sshds.add(sshdPid(m));
        }
        Result again = playbook("teardown.yml");
        assertEquals(Map.of("hv1", 0, "hv2", 0, "hv3", 0), recap(again), again.out());

        Result down = Lab.run(Map.of(), 60, "bash", dir.resolve("sandbox-down.sh").toString());
        assertEquals(0, down.code(), down::toString);
        assertEquals(List.of(), Lab.namespacesWith(prefix), "sandbox-down left namespaces");
        for (String pid : sshds) {
            assertFalse(Files.exists(Path.of("/proc", pid)), "sshd " + pid + " still runs");
        }
        Result downAgain = Lab.run(Map.of(), 60, "bash", dir.resolve("sandbox-down.sh").toString());
        assertEquals(0, downAgain.code(), "sandbox-down.sh is idempotent: " + downAgain);
    }

    /** A namespace sandbox-up.sh would make that exists already is not taken, and not removed by its failure. */
    @Test
    void sandboxUpRefusesANamespaceItWouldMakeThatExistsAlreadyAndLeavesIt() throws IOException {
        machines = parts();
        Diagnostics d = new Diagnostics();
        Artifacts a = new AnsibleBackend().generate("demo", machines, new BackendOptions(prefix, true), AnsibleBackend.Via.BASH, d);
        assertFalse(d.hasErrors(), d.all()::toString);
        ArtifactWriter.write(a, dir);
        String foreign = prefix + "hv2";
        assertEquals(0, Lab.run(Map.of(), 10, "ip", "netns", "add", foreign).code());
        Result up = Lab.run(Map.of(), 120, "bash", dir.resolve("sandbox-up.sh").toString());
        assertEquals(1, up.code(), up::toString);
        assertTrue(up.err().contains("namespace " + foreign + " exists already"), up.err());
        assertEquals(List.of(foreign), Lab.namespacesWith(prefix), "sandbox-up.sh made or removed something");
        // what `topoc up` then runs to forget the failed lab (and what a user may run): it removes only what
        // sandbox-up.sh made (run/made), here nothing
        Result down = Lab.run(Map.of(), 120, "bash", dir.resolve("sandbox-down.sh").toString(), "-q");
        assertEquals(0, down.code(), down::toString);
        assertEquals(List.of(foreign), Lab.namespacesWith(prefix), "sandbox-down.sh removed a namespace it did not make");
    }

    @Test
    void aFailureOnOneMachineRollsBackTheMachinesThisRunBuilt() throws IOException {
        up(parts());
        // a namespace that hv3's part needs, owned by no lab: hv3's apply.sh refuses in its preflight
        Result squat = Lab.run(Map.of(), 10, "ip", "netns", "add", prefix + "cache");
        assertEquals(0, squat.code(), squat::toString);
        Result r = playbook("deploy.yml");
        assertNotEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("exists and is not owned by this topology"), r.out());
        assertEquals(List.of(prefix + "cache"), nodeNamespaces(), "hv1 and hv2 were left built: " + r.out());
        for (MachineTarget m : machines) {
            assertFalse(Files.exists(Path.of("/run/topoc", lab(m))), "record left on " + m.name());
        }
        // the squatter is no namespace of this deployment's: sandbox-down.sh leaves it, and removes its own
        Result down = Lab.run(Map.of(), 120, "bash", dir.resolve("sandbox-down.sh").toString(), "-q");
        assertEquals(0, down.code(), down::toString);
        assertEquals(List.of(prefix + "cache"), Lab.namespacesWith(prefix), down::toString);
    }

    /** The same three machines written as one topology with machines, stitched by topoc (Stitching.of). */
    static final String STITCHED = """
            topology demo
            machine hv1 { ssh 192.0.2.11  underlay 198.18.0.1 }
            machine hv2 { ssh 192.0.2.12  underlay 198.18.0.2 }
            machine hv3 { ssh 192.0.2.13  underlay 198.18.0.3 }
            node web { machine hv1  iface eth0 { address 10.0.1.10/24 }  route default via 10.0.1.1 }
            node router { machine hv2  forwarding  iface eth0 { address 10.0.1.1/24 }  iface eth1 { address 10.0.2.1/24 } }
            node cache { machine hv3  iface eth0 { address 10.0.2.30/24 }  route default via 10.0.2.1 }
            link web:eth0 -- router:eth0
            link router:eth1 -- cache:eth0
            expect web -> 10.0.2.30 reach via router
            """;

    @Test
    void aStitchedTopologyDeploysAndItsTunnelsCarryThePing() throws IOException {
        Compilation c = Compiler.compile(new SourceFile("demo.topo", STITCHED));
        assertTrue(c.ok(), () -> c.diagnostics().all().toString());
        List<MachineTarget> parts = new ArrayList<>();
        for (var p : dev.topoc.compiler.machines.Stitching.of(c.model()).parts()) {
            parts.add(new MachineTarget(p.machine().name(), p.machine().span(), p.machine().ssh(),
                    p.machine().underlay().orElseThrow().toCanonicalString(), p.topology()));
        }
        up(parts);
        Result deploy = playbook("deploy.yml");
        assertEquals(0, deploy.code(), deploy::toString);
        Result ping = Lab.run(Map.of(), 30, "ip", "netns", "exec", prefix + "web", "ping", "-c", "3", "-i", "0.2", "-W", "2",
                "10.0.2.30");
        assertEquals(0, ping.code(), ping::toString);
        Result again = playbook("deploy.yml");
        assertEquals(Map.of("hv1", 0, "hv2", 0, "hv3", 0), recap(again), again.out());
        Result teardown = playbook("teardown.yml");
        assertEquals(0, teardown.code(), teardown::toString);
        assertEquals(List.of(), nodeNamespaces(), "namespaces left by the teardown");
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    static List<MachineTarget> parts() throws IOException {
        List<MachineTarget> out = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            String name = "hv" + i;
            String file = name + ".topo";
            try (var in = AnsibleSandboxTest.class.getResourceAsStream("parts/" + file)) {
                Compilation c = Compiler.compile(new SourceFile(file, new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)));
                assertTrue(c.ok(), () -> c.diagnostics().all().toString());
                out.add(new MachineTarget(name, c.model().span(), "192.0.2.1" + i, "198.18.0." + i, c.model()));
            }
        }
        return out;
    }

    private String lab(MachineTarget m) {
        return prefix + "+" + m.part().name();
    }

    private Result playbook(String playbook, String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", prefix + "control", "ansible-playbook", "-i",
                dir.resolve("inventory.ini").toString(), dir.resolve(playbook).toString()));
        cmd.addAll(Arrays.asList(args));
        return Lab.run(Map.of("ANSIBLE_NOCOLOR", "1", "ANSIBLE_LOCAL_TEMP", dir.resolve(".ansible-tmp").toString()), 600,
                cmd.toArray(String[]::new));
    }

    /** Host → changed count, from the PLAY RECAP. */
    static Map<String, Integer> recap(Result r) {
        Map<String, Integer> out = new LinkedHashMap<>();
        int at = r.out().lastIndexOf("PLAY RECAP");
        assertTrue(at >= 0, () -> "no PLAY RECAP: " + r);
        Matcher m = RECAP.matcher(r.out().substring(at));
        while (m.find()) {
            out.put(m.group(1), Integer.parseInt(m.group(3)));
        }
        return out;
    }

    private List<String> nodeNamespaces() {
        List<String> nodes = List.of(prefix + "cache", prefix + "router", prefix + "web");
        return Lab.namespacesWith(prefix).stream().filter(nodes::contains).toList();
    }

    private static long txPackets(String ns, String dev) {
        Result r = Lab.run(Map.of(), 10, "ip", "netns", "exec", ns, "cat", "/sys/class/net/" + dev + "/statistics/tx_packets");
        return r.code() == 0 ? Long.parseLong(r.out().trim()) : -1;
    }

    private static List<String> pids(String ns) {
        Result r = Lab.run(Map.of(), 10, "ip", "netns", "pids", ns);
        return Stream.of(r.out().split("\\s+")).filter(s -> !s.isBlank()).sorted().toList();
    }

    private String sshdPid(MachineTarget m) throws IOException {
        return Files.readString(dir.resolve("run/" + m.name() + ".pid")).trim();
    }
}
