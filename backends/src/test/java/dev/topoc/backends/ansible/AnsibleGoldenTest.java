package dev.topoc.backends.ansible;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.backends.Artifacts;
import dev.topoc.backends.BackendOptions;
import dev.topoc.backends.bash.BashBackend;
import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.Compiler;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.syntax.SourceFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The exact inventory, playbooks and sandbox scripts of a small two-machine input against reviewed golden files in
 * {@code backends/src/test/resources/dev/topoc/backends/ansible/golden/} (regenerate with
 * {@code -Dtopoc.golden.update=true}, then review the diff). The per-machine scripts are the bash backend's, asserted
 * byte for byte against it rather than against a golden copy; host_vars are checked against the scripts they describe.
 */
class AnsibleGoldenTest {
    private static final Path GOLDEN = Path.of(System.getProperty("topoc.root", ".."))
            .resolve("backends/src/test/resources/dev/topoc/backends/ansible/golden");

    static final String A = """
            topology pair-a
            node a root {
              iface underlay0 physical { address 198.18.0.1/24 }
              bridge br7 { }
              vxlan vx7 vni 7 local 198.18.0.1 remote 198.18.0.2 { master br7 }
              iface web-eth0 { master br7 }
            }
            node web { iface eth0 { address 10.0.0.1/24 } }
            link web:eth0 -- a:web-eth0 mtu 1450
            """;
    static final String B = """
            topology pair-b
            node b root {
              iface underlay0 physical { address 198.18.0.2/24 }
              bridge br7 { }
              vxlan vx7 vni 7 local 198.18.0.2 remote 198.18.0.1 { master br7 }
              iface db-eth0 { master br7 }
            }
            node db { iface eth0 { address 10.0.0.2/24 } }
            link db:eth0 -- b:db-eth0 mtu 1450
            """;

    static List<MachineTarget> pair() {
        return List.of(target("a", "192.0.2.11", "198.18.0.1", "a.topo", A), target("b", "192.0.2.12", "198.18.0.2", "b.topo", B));
    }

    static MachineTarget target(String name, String ssh, String underlay, String file, String text) {
        Compilation c = Compiler.compile(new SourceFile(file, text));
        assertTrue(c.ok(), () -> c.diagnostics().all().toString());
        return new MachineTarget(name, null, ssh, underlay, c.model());
    }

    private static Artifacts generate(boolean sandbox) {
        Diagnostics d = new Diagnostics();
        Artifacts a = new AnsibleBackend().generate("pair", pair(), new BackendOptions("t-", sandbox), AnsibleBackend.Via.BASH, d);
        assertFalse(d.hasErrors(), d.all()::toString);
        return a;
    }

    @Test
    void inventoryAndPlaybooksMatchGolden() throws IOException {
        golden("plain.txt", generate(false), List.of("inventory.ini", "deploy.yml", "teardown.yml", "check.yml", "check-probe.yml"));
    }

    @Test
    void sandboxInventoryAndScriptsMatchGolden() throws IOException {
        golden("sandbox.txt", generate(true), List.of("inventory.ini", "sandbox-up.sh", "sandbox-down.sh", "check.yml"));
    }

    @Test
    void eachMachineRunsTheBashBackendsScriptsOfItsPart() {
        Artifacts a = generate(false);
        for (MachineTarget m : pair()) {
            Artifacts bash = new BashBackend().generate(m.part(), new BackendOptions("t-", false), new Diagnostics());
            assertEquals(bash.content("apply.sh"), a.content("machines/" + m.name() + "/apply.sh"), m.name());
            assertEquals(bash.content("destroy.sh"), a.content("machines/" + m.name() + "/destroy.sh"), m.name());
            assertTrue(a.files().get("machines/" + m.name() + "/apply.sh").executable());
        }
        assertEquals(List.of("check-probe.yml", "check.yml", "deploy.yml", "host_vars/a.yml", "host_vars/b.yml", "inventory.ini",
                "machines/a/apply.sh", "machines/a/destroy.sh", "machines/b/apply.sh", "machines/b/destroy.sh", "probe.py",
                "teardown.yml"), a.files().keySet().stream().sorted().toList());
        // check.yml's probes are the single-host check --live's program, byte for byte
        assertEquals(dev.topoc.backends.ProbeScript.text(), a.content("probe.py"));
    }

    @Test
    void hostVarsNameThePartsRecordStepsAndNamespaces() {
        Artifacts a = generate(false);
        String hv = a.content("host_vars/a.yml");
        // the part pair-a with prefix t-: record /run/topoc/t-+pair-a; steps: namespaces, a, web
        assertTrue(hv.contains("\nansible_host: \"192.0.2.11\"\n"), hv);
        assertTrue(hv.contains("\ntopoc_lab: \"t-+pair-a\"\n"), hv);
        assertTrue(hv.contains("\ntopoc_dir: \"/var/lib/topoc/t-+pair-a\"\n"), hv);
        assertTrue(hv.contains("\ntopoc_steps: 3\n"), hv);
        assertTrue(hv.endsWith("topoc_namespaces: [\"t-web\"]\n"), hv);
        String apply = a.content("machines/a/apply.sh");
        String plan = hv.lines().filter(l -> l.startsWith("topoc_plan: ")).findFirst().orElseThrow().substring(12);
        assertTrue(plan.matches("\"[0-9a-f]{64}\"") && apply.contains("\nPLAN_HASH=" + plan.substring(1, 65) + "\n"), plan);
    }

    @Test
    void theSameInputGivesTheSameBytes() {
        Map<String, String> one = generate(true).files().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().content()));
        Map<String, String> two = generate(true).files().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().content()));
        assertEquals(one, two);
    }

    @Test
    void sandboxScriptsAreShellcheckCleanAndPlaybooksPassAnsiblesSyntaxCheck(@org.junit.jupiter.api.io.TempDir Path dir)
            throws IOException {
        dev.topoc.backends.ArtifactWriter.write(generate(true), dir);
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.topoc.backends.lab.Lab.onPath("shellcheck"),
                "shellcheck is not installed (.ci/run installs it)");
        var sc = dev.topoc.backends.lab.Lab.run(Map.of(), 60, "shellcheck", dir.resolve("sandbox-up.sh").toString(),
                dir.resolve("sandbox-down.sh").toString());
        assertEquals(0, sc.code(), sc::toString);
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.topoc.backends.lab.Lab.onPath("ansible-playbook"),
                "needs ansible-playbook (Debian package ansible-core)");
        for (String playbook : List.of("deploy.yml", "teardown.yml", "check.yml")) {
            var r = dev.topoc.backends.lab.Lab.run(Map.of("ANSIBLE_LOCAL_TEMP", dir.resolve(".tmp").toString()), 120,
                    "ansible-playbook", "--syntax-check", "-i", dir.resolve("inventory.ini").toString(), dir.resolve(playbook).toString());
            assertEquals(0, r.code(), r::toString);
        }
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
