package dev.topoc.backends.ansible;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.backends.ArtifactWriter;
import dev.topoc.backends.Artifacts;
import dev.topoc.backends.BackendOptions;
import dev.topoc.backends.lab.Lab;
import dev.topoc.backends.networkd.NetworkdBackend;
import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.Compiler;
import dev.topoc.compiler.diag.Diagnostic;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.machines.MachinePart;
import dev.topoc.compiler.machines.Stitching;
import dev.topoc.compiler.syntax.SourceFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --via networkd}: the exact host_vars, playbooks and networkd.sh of a stitched two-machine topology against
 * reviewed golden files ({@code golden/networkd-plain.txt}, {@code golden/networkd-sandbox.txt}; regenerate with
 * {@code -Dtopoc.golden.update=true}, then review the diff). Each machine's trees are the networkd backend's trees of
 * its part, asserted byte for byte against that backend rather than against a golden copy.
 */
class AnsibleNetworkdGoldenTest {
    private static final Path GOLDEN = Path.of(System.getProperty("topoc.root", ".."))
            .resolve("backends/src/test/resources/dev/topoc/backends/ansible/golden");

    /** Two machines; web on hv1, a router and a server (with a run) on hv2; the first link crosses. */
    static final String DUO = """
            topology duo
            machine hv1 { ssh 192.0.2.11  underlay 198.18.0.1 }
            machine hv2 { ssh 192.0.2.12  underlay 198.18.0.2 }
            node web { machine hv1  iface eth0 { address 10.0.1.10/24 }  route default via 10.0.1.1 }
            node router { machine hv2  forwarding  iface eth0 { address 10.0.1.1/24 }  iface eth1 { address 10.0.2.1/24 } }
            node cache {
              machine hv2
              iface eth0 { address 10.0.2.30/24 }
              route default via 10.0.2.1
              run "python3 -m http.server 8080 --bind 10.0.2.30"
              listen tcp 8080
            }
            link web:eth0 -- router:eth0
            link router:eth1 -- cache:eth0
            expect web -> 10.0.2.30 reach via router
            """;

    /** The machines of a topology with machines, each with its stitched part (as the cli's MachineParts). */
    static List<MachineTarget> parts(String text) {
        Compilation c = Compiler.compile(new SourceFile("duo.topo", text));
        assertTrue(c.ok(), () -> c.diagnostics().all().toString());
        List<MachineTarget> out = new ArrayList<>();
        for (MachinePart p : Stitching.of(c.model()).parts()) {
            out.add(new MachineTarget(p.machine().name(), p.machine().span(), p.machine().ssh(),
                    p.machine().underlay().orElseThrow().toCanonicalString(), p.topology()));
        }
        return out;
    }

    private static Artifacts generate(boolean sandbox) {
        Diagnostics d = new Diagnostics();
        Artifacts a = new AnsibleBackend().generate("duo", parts(DUO), new BackendOptions("t-", sandbox), AnsibleBackend.Via.NETWORKD, d);
        assertFalse(d.hasErrors(), d.all()::toString);
        return a;
    }

    @Test
    void hostVarsPlaybooksAndScriptMatchGolden() throws IOException {
        golden("networkd-plain.txt", generate(false), List.of("inventory.ini", "host_vars/hv1.yml", "host_vars/hv2.yml",
                "deploy.yml", "teardown.yml", "machines/hv2/networkd.sh"));
    }

    @Test
    void sandboxHostVarsScriptAndSandboxDownMatchGolden() throws IOException {
        golden("networkd-sandbox.txt", generate(true), List.of("inventory.ini", "host_vars/hv2.yml", "deploy.yml",
                "teardown.yml", "machines/hv2/networkd.sh", "sandbox-down.sh"));
    }

    @Test
    void eachMachineCarriesTheNetworkdBackendsTreesOfItsPart() {
        Artifacts a = generate(false);
        for (MachineTarget m : parts(DUO)) {
            Artifacts tree = new NetworkdBackend().generate(m.part(), new BackendOptions("t-", false), new Diagnostics());
            assertFalse(tree.files().isEmpty(), m.name());
            for (var f : tree.files().entrySet()) {
                assertEquals(f.getValue().content(), a.content("machines/" + m.name() + "/nodes/" + f.getKey()), f.getKey());
            }
            long copied = a.files().keySet().stream().filter(p -> p.startsWith("machines/" + m.name() + "/nodes/")).count();
            assertEquals(tree.files().size(), copied, m.name());
            assertTrue(a.files().get("machines/" + m.name() + "/networkd.sh").executable(), m.name());
        }
        // the router's forwarding and the cache's run reach hv2's trees; hv1's root units are installed under /etc
        assertTrue(a.content("machines/hv2/nodes/router/sysctl.d/60-topoc.conf").contains("net.ipv4.ip_forward = 1"));
        assertTrue(a.files().containsKey("machines/hv2/nodes/cache/systemd/system/topoc-run-1.service"));
        String hv1 = a.content("machines/hv1/networkd.sh");
        String lo = java.util.Base64.getEncoder().encodeToString(
                a.content("machines/hv1/nodes/hv1/systemd/network/00-lo.network").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertTrue(hv1.contains("\n  install \"$ETC\"/systemd/network/10-topoc-duo-hv1-00-lo.network " + lo + "\n"), hv1);
        assertTrue(hv1.contains("\n  install \"$DIR\"/nodes/web/systemd/network/01-eth0.network "), hv1);
    }

    @Test
    void theSameInputGivesTheSameBytes() {
        assertEquals(contents(generate(true)), contents(generate(true)));
    }

    @Test
    void aChangedTopologyHasAnotherPlan() {
        Diagnostics d = new Diagnostics();
        Artifacts other = new AnsibleBackend().generate("duo", parts(DUO.replace("10.0.2.30/24", "10.0.2.31/24")),
                new BackendOptions("t-", false), AnsibleBackend.Via.NETWORKD, d);
        assertFalse(d.hasErrors(), d.all()::toString);
        Artifacts one = generate(false);
        assertEquals(plan(one, "hv1"), plan(other, "hv1"), "hv1's part did not change");
        assertFalse(plan(one, "hv2").equals(plan(other, "hv2")), "hv2's part changed");
    }

    @Test
    void inTheSandboxAPartMayNotConfigureTheMachinesCable() {
        // the hand-written parts declare the underlay interface, which in the sandbox is the cable with the ssh address
        Diagnostics d = new Diagnostics();
        Artifacts a;
        try {
            a = new AnsibleBackend().generate("demo", AnsibleSandboxTest.parts(), new BackendOptions("t-", true),
                    AnsibleBackend.Via.NETWORKD, d);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertTrue(a.files().isEmpty());
        List<String> codes = d.all().stream().map(Diagnostic::code).map(c -> c.id()).distinct().toList();
        assertEquals(List.of("E0870"), codes, d.all()::toString);
        assertEquals(3, d.all().size(), d.all()::toString);
        // without --sandbox the same parts deploy: a real host's underlay interface is its own
        Diagnostics plain = new Diagnostics();
        try {
            new AnsibleBackend().generate("demo", AnsibleSandboxTest.parts(), new BackendOptions("t-", false),
                    AnsibleBackend.Via.NETWORKD, plain);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertFalse(plain.hasErrors(), plain.all()::toString);
    }

    @Test
    void scriptsAreShellcheckCleanAndPlaybooksPassAnsiblesSyntaxCheck(@TempDir Path dir) throws IOException {
        for (boolean sandbox : List.of(false, true)) {
            Path out = dir.resolve(sandbox ? "sandbox" : "plain");
            ArtifactWriter.write(generate(sandbox), out);
            Assumptions.assumeTrue(Lab.onPath("shellcheck"), "shellcheck is not installed (.ci/run installs it)");
            List<String> cmd = new ArrayList<>(List.of("shellcheck", out.resolve("machines/hv1/networkd.sh").toString(),
                    out.resolve("machines/hv2/networkd.sh").toString()));
            if (sandbox) {
                cmd.add(out.resolve("sandbox-up.sh").toString());
                cmd.add(out.resolve("sandbox-down.sh").toString());
            }
            var sc = Lab.run(Map.of(), 60, cmd.toArray(String[]::new));
            assertEquals(0, sc.code(), sc::toString);
            Assumptions.assumeTrue(Lab.onPath("ansible-playbook"), "needs ansible-playbook (Debian package ansible-core)");
            for (String playbook : List.of("deploy.yml", "teardown.yml")) {
                var r = Lab.run(Map.of("ANSIBLE_LOCAL_TEMP", dir.resolve(".tmp").toString()), 120, "ansible-playbook",
                        "--syntax-check", "-i", out.resolve("inventory.ini").toString(), out.resolve(playbook).toString());
                assertEquals(0, r.code(), r::toString);
            }
        }
    }

    private static String plan(Artifacts a, String host) {
        return a.content("host_vars/" + host + ".yml").lines().filter(l -> l.startsWith("topoc_plan: ")).findFirst().orElseThrow();
    }

    private static Map<String, String> contents(Artifacts a) {
        Map<String, String> m = new java.util.TreeMap<>();
        a.files().forEach((k, v) -> m.put(k, v.content()));
        return m;
    }

    private static void golden(String name, Artifacts a, List<String> files) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String f : files) {
            sb.append("=== ").append(f).append(a.files().get(f).executable() ? " (0755)" : "").append(" ===\n").append(a.content(f));
        }
        Path golden = GOLDEN.resolve(name);
        if (Boolean.getBoolean("topoc.golden.update")) {
            Files.createDirectories(golden.getParent());
            Files.writeString(golden, sb.toString());
        }
        assertEquals(Files.readString(golden), sb.toString(), "golden " + golden);
    }
}
