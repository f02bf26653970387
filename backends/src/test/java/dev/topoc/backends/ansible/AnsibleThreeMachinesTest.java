package dev.topoc.backends.ansible;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.topoc.backends.ArtifactWriter;
import dev.topoc.backends.Artifacts;
import dev.topoc.backends.BackendOptions;
import dev.topoc.backends.StandIn;
import dev.topoc.backends.lab.Lab;
import dev.topoc.backends.lab.Lab.Result;
import dev.topoc.backends.lab.Probes;
import dev.topoc.backends.sim.Check;
import dev.topoc.backends.sim.CheckQuestion;
import dev.topoc.backends.sim.DataPlane;
import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.Compiler;
import dev.topoc.compiler.TestSupport;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.machines.Stitching;
import dev.topoc.compiler.model.Expectation;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.model.NodeKind;
import dev.topoc.compiler.syntax.SourceFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * samples/three-machines.topo (issue 15's proof) deployed for real, with each {@link AnsibleBackend.Via}: the real
 * ansible-playbook over real ssh to the sandbox's three machines, whose hv1 has its physical NIC {@code ens3} cabled
 * by sandbox-up.sh to the external node {@code upstream} (a namespace of its own). Every {@code expect} of the sample
 * holds in the simulator and for real, probed from its source node's namespace (ping with the expect's size and DF,
 * tcp by connecting); a {@code via} is checked by the forwarding counter ({@code ForwDatagrams}) of each named node,
 * which must grow during the probe (the order of the hops is not checked). A second deploy reports changed=0 on every
 * host; teardown.yml and sandbox-down.sh leave no namespace with the prefix, no sshd of the sandbox and no file of
 * the parts. The sample's {@code listen tcp 80} on a2 is served, with {@code --via bash}, by the stand-in listener
 * hv2's apply.sh starts (the parts of an Ansible sandbox get them, as single-machine sandboxes do), and with
 * {@code --via networkd}, whose trees start none, by one the test starts there, stopped before the teardown.
 */
class AnsibleThreeMachinesTest {
    private static final Path NETWORKD = Path.of("/lib/systemd/systemd-networkd");

    private Path dir;
    private String prefix;
    private Compilation c;
    private List<MachineTarget> machines;
    private Process listener;

    @BeforeEach
    void tools() throws IOException {
        assumeTrue(Lab.isRoot() && Lab.onPath("ip") && Lab.onPath("nsenter"), "needs root, ip (iproute2) and nsenter");
        assumeTrue(Lab.onPath("ansible-playbook"), "needs ansible-playbook (Debian package ansible-core)");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/sshd")), "needs /usr/sbin/sshd (Debian package openssh-server)");
        assumeTrue(Lab.onPath("ssh") && Lab.onPath("ssh-keygen"), "needs ssh and ssh-keygen (Debian package openssh-client)");
        assumeTrue(Lab.onPath("python3") && Lab.onPath("ping") && Lab.onPath("nft"),
                "needs python3 (Ansible on the machines, the tcp probe), ping (iputils-ping) and nft (the masquerade)");
        prefix = Lab.uniquePrefix() + "-";
        dir = Files.createTempDirectory("topoc-three-machines");
        Path sample = TestSupport.root().resolve("samples/three-machines.topo");
        c = Compiler.compile(new SourceFile("samples/three-machines.topo", Files.readString(sample)));
        assertTrue(c.ok(), () -> c.diagnostics().all().toString());
    }

    @AfterEach
    void down() {
        stopListener();
        if (machines != null) {
            Lab.run(Map.of(), 120, "bash", dir.resolve("sandbox-down.sh").toString(), "-q");
            Lab.cleanUp(prefix);
            for (MachineTarget m : machines) {
                Lab.run(Map.of(), 30, "rm", "-rf", AnsibleBackend.REMOTE_ROOT + lab(m));
            }
        }
        if (dir != null) {
            Lab.run(Map.of(), 30, "rm", "-rf", dir.toString());
        }
    }

    @Test
    void theSampleDeploysWithBashEveryExpectHoldsAndTheTeardownLeavesNothing() throws Exception {
        prove(AnsibleBackend.Via.BASH);
    }

    @Test
    void theSampleDeploysWithNetworkdEveryExpectHoldsAndTheTeardownLeavesNothing() throws Exception {
        assumeTrue(Files.isExecutable(NETWORKD), "needs " + NETWORKD + " (Debian package systemd)");
        prove(AnsibleBackend.Via.NETWORKD);
    }

    private void prove(AnsibleBackend.Via via) throws Exception {
        // the simulator first: every expect holds on the stitched topology (what `topoc check` answers)
        DataPlane plane = DataPlane.of(c.model());
        List<Check> checks = plane.ask(CheckQuestion.all(plane.topology())).checks();
        assertEquals(c.model().expectations().size(), checks.size());
        for (Check k : checks) {
            assertTrue(k.holds(), () -> "the simulator: " + k.expectation().span() + ": " + k.message());
        }

        machines = Stitching.of(c.model()).parts().stream().map(p -> new MachineTarget(p.machine().name(), p.machine().span(),
                p.machine().ssh(), p.machine().underlay().orElseThrow().withoutPrefixLength().toCanonicalString(), p.topology()))
                .toList();
        Diagnostics d = new Diagnostics();
        Artifacts a = new AnsibleBackend().generate("three-machines", machines, new BackendOptions(prefix, true), via, d);
        assertFalse(d.hasErrors(), d.all()::toString);
        ArtifactWriter.write(a, dir);
        Result up = Lab.run(Map.of(), 120, "bash", dir.resolve("sandbox-up.sh").toString());
        assertEquals(0, up.code(), up::toString);
        assertTrue(Lab.namespacesWith(prefix).contains(prefix + "upstream"), "no namespace for the external node");

        long start = System.nanoTime();
        Result first = playbook("deploy.yml");
        long wall = (System.nanoTime() - start) / 1_000_000;
        assertEquals(0, first.code(), first::toString);
        Map<String, Integer> recap = AnsibleSandboxTest.recap(first);
        assertEquals(List.of("hv1", "hv2", "hv3"), List.copyOf(recap.keySet()), first.out());
        recap.forEach((host, changed) -> assertTrue(changed > 0, host + ": " + first.out()));
        System.out.printf("three-machines via %s: deploy.yml %d ms%n", via, wall);

        if (via == AnsibleBackend.Via.NETWORKD) {
            startListener("a2"); // with bash, the part's apply.sh starts the stand-in itself (compiled for the sandbox)
        }
        List<String> failures = new ArrayList<>();
        try (Probes probes = Probes.start(c.model(), prefix)) {
            for (Expectation e : c.model().expectations()) {
                Map<String, Long> before = forwarded(e.via());
                Probes.Outcome o = probes.probe(e);
                String off = Probes.disagreement(e, o);
                if (off != null) {
                    failures.add(e.span() + ": " + off);
                    continue;
                }
                Map<String, Long> after = forwarded(e.via());
                for (String hop : e.via()) {
                    if (after.get(hop) <= before.get(hop)) {
                        failures.add(e.span() + ": " + hop + " forwarded nothing (" + before.get(hop) + " -> " + after.get(hop)
                                + "): " + o.evidence());
                    }
                }
            }
        }
        assertEquals(List.of(), failures, "expects that do not hold for real");
        stopListener();

        Result second = playbook("deploy.yml");
        assertEquals(0, second.code(), second::toString);
        assertEquals(Map.of("hv1", 0, "hv2", 0, "hv3", 0), AnsibleSandboxTest.recap(second), second.out());

        List<String> sshds = new ArrayList<>();
        for (MachineTarget m : machines) {
            sshds.add(Files.readString(dir.resolve("run/" + m.name() + ".pid")).trim());
        }
        Result teardown = playbook("teardown.yml");
        assertEquals(0, teardown.code(), teardown::toString);
        List<String> own = List.of("hv1", "hv2", "hv3", "control", "fabric", "upstream");
        List<String> left = Lab.namespacesWith(prefix).stream().filter(n -> !own.contains(n.substring(prefix.length()))).toList();
        assertEquals(List.of(), left, "node namespaces left by the teardown");
        for (int i = 0; i < machines.size(); i++) {
            MachineTarget m = machines.get(i);
            assertEquals(List.of(sshds.get(i)), pids(prefix + m.name()), "processes left on " + m.name() + " besides its sshd");
            if (via == AnsibleBackend.Via.BASH) {
                assertFalse(Files.exists(Path.of(AnsibleBackend.REMOTE_ROOT + lab(m))), "scripts left on " + m.name());
                assertFalse(Files.exists(Path.of("/run/topoc", lab(m))), "record left on " + m.name());
                assertFalse(Files.exists(Path.of("/run/topoc", lab(m) + ".lock")), "lock left on " + m.name());
            }
        }
        if (via == AnsibleBackend.Via.NETWORKD) {
            assertTrue(!Files.exists(dir.resolve("roots")) || onlyFolders(dir.resolve("roots")), "files left under roots/");
        }

        Result down = Lab.run(Map.of(), 120, "bash", dir.resolve("sandbox-down.sh").toString());
        assertEquals(0, down.code(), down::toString);
        assertEquals(List.of(), Lab.namespacesWith(prefix), "sandbox-down left namespaces");
        for (String pid : sshds) {
            assertFalse(Files.exists(Path.of("/proc", pid)), "sshd " + pid + " still runs");
        }
        assertFalse(Files.exists(dir.resolve("roots")), "roots/ left");
        machines = null;
    }

    // ---- helpers ------------------------------------------------------------------------------------------

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

    /** Each node's IPv4 forwarding counter (ForwDatagrams of its namespace: a root node's is its machine's). */
    private Map<String, Long> forwarded(List<String> nodes) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String name : nodes) {
            Node n = c.model().node(name).orElseThrow();
            String ns = prefix + (n.kind() == NodeKind.ROOT ? n.machine().orElseThrow() : name);
            Result r = Lab.run(Map.of(), 10, "ip", "netns", "exec", ns, "cat", "/proc/net/snmp");
            List<String> ip = r.out().lines().filter(l -> l.startsWith("Ip: ")).toList();
            assertEquals(2, ip.size(), r::toString);
            List<String> keys = List.of(ip.get(0).split("\\s+"));
            out.put(name, Long.parseLong(ip.get(1).split("\\s+")[keys.indexOf("ForwDatagrams")]));
        }
        return out;
    }

    /** The stand-in listener apply.sh starts under the single-machine --sandbox, in the node's namespace. */
    private void startListener(String node) throws IOException, InterruptedException {
        Node n = c.model().node(node).orElseThrow();
        Path script = dir.resolve("standin.py");
        Files.writeString(script, StandIn.script());
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", prefix + node, "python3", script.toString(), node));
        cmd.addAll(StandIn.words(n));
        listener = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("standin.log").toFile()).start();
        String port = ":" + n.listens().get(0).ports().lo() + " ";
        for (int i = 0; i < 50; i++) {
            Result ss = Lab.run(Map.of(), 10, "ip", "netns", "exec", prefix + node, "ss", "-Hltn");
            if (ss.out().contains(port)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the stand-in listener of " + node + " did not bind: " + Files.readString(dir.resolve("standin.log")));
    }

    private void stopListener() {
        if (listener != null) {
            listener.destroyForcibly();
            try {
                listener.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            listener = null;
        }
    }

    private static boolean onlyFolders(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            return s.allMatch(Files::isDirectory);
        }
    }

    private static List<String> pids(String ns) {
        Result r = Lab.run(Map.of(), 10, "ip", "netns", "pids", ns);
        return Stream.of(r.out().split("\\s+")).filter(s -> !s.isBlank()).sorted().toList();
    }
}
