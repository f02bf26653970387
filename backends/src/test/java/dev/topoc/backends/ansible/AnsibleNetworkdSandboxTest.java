package dev.topoc.backends.ansible;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.topoc.backends.ArtifactWriter;
import dev.topoc.backends.Artifacts;
import dev.topoc.backends.BackendOptions;
import dev.topoc.backends.lab.Lab;
import dev.topoc.backends.lab.Lab.Result;
import dev.topoc.compiler.diag.Diagnostics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code --via networkd} with the real engine over real SSH: the stitched two-machine topology of
 * {@link AnsibleNetworkdGoldenTest#DUO} (web on hv1; a router and a server with a run on hv2; the first link a VXLAN
 * tunnel between the machines) deployed by {@code ansible-playbook} from the sandbox's controller namespace into two
 * "machines" that are namespaces with their own sshd. Every node's networkd is the real systemd-networkd, one process per
 * namespace (the machines' own included), on the trees the playbook installed under the deployment folder; the host's
 * networkd and /etc/systemd are never used. One sandbox serves all the methods, in order: {@code --check} changes
 * nothing, a deployment pings across the machines through the tunnel, a second run reports {@code changed=0}, and the
 * teardown leaves no namespace, process or file.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AnsibleNetworkdSandboxTest {
    private static final Path NETWORKD = Path.of("/lib/systemd/systemd-networkd");

    private Path dir;
    private String prefix;
    private List<MachineTarget> machines;
    private boolean up;

    @BeforeAll
    void sandboxUp() throws IOException {
        assumeTrue(Lab.isRoot() && Lab.onPath("ip"), "needs root and ip (iproute2)");
        assumeTrue(Lab.onPath("ansible-playbook"), "needs ansible-playbook (Debian package ansible-core)");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/sshd")), "needs /usr/sbin/sshd (Debian package openssh-server)");
        assumeTrue(Lab.onPath("ssh") && Lab.onPath("ssh-keygen"), "needs ssh and ssh-keygen (Debian package openssh-client)");
        assumeTrue(Files.isExecutable(NETWORKD), "needs " + NETWORKD + " (Debian package systemd)");
        assumeTrue(Lab.onPath("python3"), "needs python3 (the server's run, and Ansible on the machines)");
        prefix = Lab.uniquePrefix() + "-";
        dir = Files.createTempDirectory("topoc-ansible-networkd");
        machines = AnsibleNetworkdGoldenTest.parts(AnsibleNetworkdGoldenTest.DUO);
        Diagnostics d = new Diagnostics();
        Artifacts a = new AnsibleBackend().generate("duo", machines, new BackendOptions(prefix, true), AnsibleBackend.Via.NETWORKD, d);
        assertFalse(d.hasErrors(), d.all()::toString);
        ArtifactWriter.write(a, dir);
        up = true;
        Result r = Lab.run(Map.of(), 120, "bash", dir.resolve("sandbox-up.sh").toString());
        assertEquals(0, r.code(), r::toString);
    }

    @AfterAll
    void sandboxDown() {
        if (!up) {
            return;
        }
        Lab.run(Map.of(), 120, "bash", dir.resolve("sandbox-down.sh").toString(), "-q");
        Lab.cleanUp(prefix);
        Lab.run(Map.of(), 30, "rm", "-rf", dir.toString());
    }

    @Test
    @Order(1)
    void checkReportsWhatWouldChangeAndChangesNothing() {
        Result check = playbook("deploy.yml", "--check");
        assertEquals(0, check.code(), check::toString);
        AnsibleSandboxTest.recap(check).forEach((host, changed) -> assertTrue(changed > 0, host + " would change: " + check.out()));
        assertEquals(List.of(), nodeNamespaces(), "--check created namespaces");
        assertFalse(Files.exists(dir.resolve("roots")), "--check installed files");
    }

    @Test
    @Order(2)
    void deploysPingsAcrossTheMachinesAndASecondRunChangesNothing() throws IOException {
        Result first = playbook("deploy.yml");
        assertEquals(0, first.code(), first::toString);
        Map<String, Integer> recap = AnsibleSandboxTest.recap(first);
        assertEquals(List.of("hv1", "hv2"), List.copyOf(recap.keySet()), first.out());
        recap.forEach((host, changed) -> assertTrue(changed > 0, host + ": " + first.out()));
        assertEquals(List.of(prefix + "cache", prefix + "router", prefix + "web"), nodeNamespaces());

        // every networkd is a process of its own namespace, the machines' included; none reads the host's /etc/systemd
        for (String ns : List.of("web", "router", "cache", "hv1", "hv2")) {
            assertEquals(1, networkds(prefix + ns).size(), "networkds in " + prefix + ns);
        }
        String tunnel = machines.get(0).part().nodes().stream().flatMap(n -> n.interfaces().stream())
                .map(f -> f.name()).filter(n -> n.endsWith("-vx")).findFirst().orElseThrow();
        Path units = dir.resolve("roots/hv1/etc/systemd/network");
        try (Stream<Path> s = Files.list(units)) {
            assertTrue(s.anyMatch(p -> p.getFileName().toString().contains(tunnel)), "hv1's units are not under " + units);
        }

        // web (hv1) -> router (hv2) -> cache (hv2): through the VXLAN between the machine namespaces
        Result ping = Lab.run(Map.of(), 30, "ip", "netns", "exec", prefix + "web", "ping", "-c", "3", "-i", "0.2", "-W", "2",
                "10.0.2.30");
        assertEquals(0, ping.code(), ping::toString);
        assertTrue(txPackets(prefix + "hv1", tunnel) > 0 && txPackets(prefix + "hv2", tunnel) > 0, "the ping did not cross the tunnel");
        // the cache's run (its topoc-run-1.service) answers from across the machines
        Result http = Lab.run(Map.of(), 30, "ip", "netns", "exec", prefix + "web", "python3", "-c",
                "import urllib.request,sys; urllib.request.urlopen('http://10.0.2.30:8080/', timeout=5); print('ok')");
        assertEquals(0, http.code(), http::toString);

        Result second = playbook("deploy.yml");
        assertEquals(0, second.code(), second::toString);
        assertEquals(Map.of("hv1", 0, "hv2", 0), AnsibleSandboxTest.recap(second), second.out());
        Result check = playbook("deploy.yml", "--check");
        assertEquals(0, check.code(), check::toString);
        assertEquals(Map.of("hv1", 0, "hv2", 0), AnsibleSandboxTest.recap(check), check.out());
    }

    @Test
    @Order(3)
    void teardownLeavesNoNamespaceProcessOrFile() throws IOException {
        Result teardown = playbook("teardown.yml");
        assertEquals(0, teardown.code(), teardown::toString);
        AnsibleSandboxTest.recap(teardown).forEach((host, changed) -> assertTrue(changed > 0, host + ": " + teardown.out()));
        assertEquals(List.of(), nodeNamespaces(), "namespaces left by the teardown");
        assertFalse(Files.exists(dir.resolve("roots")) && !isEmptyTree(dir.resolve("roots")), "files left under roots/");
        for (MachineTarget m : machines) {
            String ns = prefix + m.name();
            assertEquals(List.of(sshdPid(m)), pids(ns), "processes left on " + m.name() + " besides its sshd");
            Result links = Lab.run(Map.of(), 10, "ip", "-n", ns, "-o", "link", "show");
            assertFalse(links.out().matches("(?s).*\\bst[0-9]+-.*"), "devices left on " + m.name() + ": " + links.out());
        }

        List<String> sshds = new ArrayList<>();
        for (MachineTarget m : machines) {
            sshds.add(sshdPid(m));
        }
        Result down = Lab.run(Map.of(), 60, "bash", dir.resolve("sandbox-down.sh").toString());
        assertEquals(0, down.code(), down::toString);
        up = false;
        assertEquals(List.of(), Lab.namespacesWith(prefix), "sandbox-down left namespaces");
        for (String pid : sshds) {
            assertFalse(Files.exists(Path.of("/proc", pid)), "sshd " + pid + " still runs");
        }
        assertFalse(Files.exists(dir.resolve("roots")), "roots/ left");
        Lab.run(Map.of(), 30, "rm", "-rf", dir.toString());
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    private Result playbook(String playbook, String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", prefix + "control", "ansible-playbook", "-i",
                dir.resolve("inventory.ini").toString(), dir.resolve(playbook).toString()));
        cmd.addAll(Arrays.asList(args));
        return Lab.run(Map.of("ANSIBLE_NOCOLOR", "1", "ANSIBLE_LOCAL_TEMP", dir.resolve(".ansible-tmp").toString()), 300,
                cmd.toArray(String[]::new));
    }

    private List<String> nodeNamespaces() {
        List<String> nodes = List.of(prefix + "cache", prefix + "router", prefix + "web");
        return Lab.namespacesWith(prefix).stream().filter(nodes::contains).toList();
    }

    private static boolean isEmptyTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            return s.allMatch(Files::isDirectory);
        }
    }

    /** The systemd-networkd processes of a namespace. */
    private static List<String> networkds(String ns) throws IOException {
        List<String> out = new ArrayList<>();
        for (String pid : pids(ns)) {
            Path comm = Path.of("/proc", pid, "comm");
            if (Files.exists(comm) && Files.readString(comm).trim().equals("systemd-network")) {
                out.add(pid);
            }
        }
        return out;
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
