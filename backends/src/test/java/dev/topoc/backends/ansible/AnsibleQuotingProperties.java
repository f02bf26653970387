package dev.topoc.backends.ansible;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.backends.ArtifactWriter;
import dev.topoc.backends.Artifacts;
import dev.topoc.backends.BackendOptions;
import dev.topoc.backends.lab.Lab;
import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.Compiler;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.model.NodeKind;
import dev.topoc.compiler.syntax.SourceFile;
import inet.ipaddr.IPAddressString;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Assumptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Names and addresses that validate reach the inventory, host_vars and playbooks of {@code --target ansible} exactly as
 * written, for both {@code --via}s, with and without {@code --sandbox}: node, machine and interface names (the grammar's
 * {@code [A-Za-z][A-Za-z0-9_.-]*}), the namespace prefix ({@code --prefix}'s pattern, leading digits allowed) and
 * {@code ssh} (an IPv4 or IPv6 address, or a host name: labels of letters, digits and inner hyphens). The generators
 * favour the nastiest valid ones: YAML 1.1 words ({@code yes}, {@code no}, {@code on}, {@code null}, {@code true}, …),
 * what a prefix of digits turns into a YAML number ({@code 0} + {@code x1f}, {@code 0} + {@code b1}), host names that
 * are Python literals to the INI inventory's {@code ast.literal_eval} ({@code 1e5}, {@code None}, {@code 1.50},
 * {@code 0x10}, {@code 1j}), dots, dashes, long names. host_vars and playbooks are parsed back with SnakeYAML (YAML
 * 1.1, as Ansible's PyYAML), the inventory by hand as Ansible's INI plugin reads it; {@link #ansibleReadsTheNastiestAsWritten}
 * asks the real {@code ansible-inventory}.
 */
class AnsibleQuotingProperties {

    /** One topology: two machines, a node on each (linked across) and a third node on the first. */
    record Case(String topology, String prefix, List<String> machines, List<String> ssh, List<String> nodes, List<String> ifaces) {
        String text() {
            return "topology " + topology + "\n"
                    + "machine " + machines.get(0) + " { ssh " + ssh.get(0) + "  underlay 198.18.0.1 }\n"
                    + "machine " + machines.get(1) + " { ssh " + ssh.get(1) + "  underlay 198.18.0.2 }\n"
                    + "node " + nodes.get(0) + " { machine " + machines.get(0) + "  iface " + ifaces.get(0) + " { address 10.0.1.10/24 } "
                    + " iface " + ifaces.get(2) + " { address 10.0.2.1/24 } }\n"
                    + "node " + nodes.get(1) + " { machine " + machines.get(1) + "  iface " + ifaces.get(1) + " { address 10.0.1.20/24 } }\n"
                    + "node " + nodes.get(2) + " { machine " + machines.get(0) + "  iface " + ifaces.get(3) + " { address 10.0.2.30/24 } }\n"
                    + "link " + nodes.get(0) + ":" + ifaces.get(0) + " -- " + nodes.get(1) + ":" + ifaces.get(1) + "\n"
                    + "link " + nodes.get(0) + ":" + ifaces.get(2) + " -- " + nodes.get(2) + ":" + ifaces.get(3) + "\n";
        }

        boolean sshAreAddresses() {
            return ssh.stream().allMatch(s -> new IPAddressString(s).isIPAddress());
        }
    }

    @Property(tries = 100, seed = "1515")
    void namesAndAddressesComeOutAsWritten(@ForAll("cases") Case c) {
        check(c);
    }

    /** The nastiest of each kind together, read by the real ansible-inventory (PyYAML and the INI plugin). */
    @Example
    void ansibleReadsTheNastiestAsWritten() throws IOException {
        Assumptions.assumeTrue(Lab.onPath("ansible-inventory"), "needs ansible-inventory (Debian package ansible-core)");
        List<Case> cases = List.of(
                new Case("yes", "", List.of("null", "on"), List.of("1e5", "None"), List.of("no", "true", "NULL"),
                        List.of("off", "y", "Yes", "n")),
                new Case("on", "0", List.of("True", "off.1"), List.of("1.50", "0x10"), List.of("x1f", "b101", "o17"),
                        List.of("e5", "nan", "inf", "x-1")),
                new Case("a.b-c_d", "1.", List.of("a", "b"), List.of("1j", "2001:db8::1"), List.of("e5", "a..b", "z-"),
                        List.of("eth0", "eth1", "eth2", "eth3")));
        for (Case c : cases) {
            for (AnsibleBackend.Via via : AnsibleBackend.Via.values()) {
                Artifacts a = generate(c, via, false);
                Path dir = Files.createTempDirectory("topoc-ansible-quoting");
                try {
                    ArtifactWriter.write(a, dir);
                    var r = Lab.run(Map.of("ANSIBLE_LOCAL_TEMP", dir.resolve(".tmp").toString(), "ANSIBLE_NOCOLOR", "1"), 120,
                            "ansible-inventory", "-i", dir.resolve("inventory.ini").toString(), "--list");
                    assertEquals(0, r.code(), r::toString);
                    @SuppressWarnings("unchecked")
                    Map<String, Object> list = (Map<String, Object>) new Yaml().load(r.out()); // JSON is YAML
                    @SuppressWarnings("unchecked")
                    Map<String, Map<String, Object>> hostvars = (Map<String, Map<String, Object>>) ((Map<String, Object>) list.get("_meta"))
                            .get("hostvars");
                    assertEquals(Set.copyOf(c.machines()), hostvars.keySet(), r.out());
                    for (int i = 0; i < 2; i++) {
                        Map<String, Object> v = hostvars.get(c.machines().get(i));
                        assertEquals(c.ssh().get(i), v.get("ansible_host"), c.machines().get(i) + ": " + r.out());
                        Map<String, Object> expected = expectedHostVars(c, i, via, false);
                        for (String key : List.of("topoc_lab", "topoc_namespaces", "topoc_dir")) {
                            assertEquals(expected.get(key), v.get(key), key + " of " + c.machines().get(i) + ": " + r.out());
                        }
                        assertInstanceOf(String.class, v.get("topoc_plan"), r.out());
                    }
                } finally {
                    Lab.run(Map.of(), 30, "rm", "-rf", dir.toString());
                }
            }
        }
    }

    private static void check(Case c) {
        Compilation compiled = Compiler.compile(new SourceFile("q.topo", c.text()));
        net.jqwik.api.statistics.Statistics.label("compiles").collect(compiled.ok());
        net.jqwik.api.statistics.Statistics.label("ssh are addresses").collect(c.sshAreAddresses());
        if (!compiled.ok()) {
            return; // refused by validation (a name the DSL reads as something else): nothing generated
        }
        for (AnsibleBackend.Via via : AnsibleBackend.Via.values()) {
            for (boolean sandbox : new boolean[] {false, true}) {
                if (sandbox && !c.sshAreAddresses()) {
                    continue; // the sandbox needs addresses (E0872)
                }
                Artifacts a = generate(c, via, sandbox);
                assertEquals(c.machines(), inventoryHosts(a.content("inventory.ini")), a.content("inventory.ini"));
                for (int i = 0; i < 2; i++) {
                    Map<String, Object> got = yamlMap(a.content("host_vars/" + c.machines().get(i) + ".yml"));
                    Object plan = got.remove("topoc_plan");
                    assertInstanceOf(String.class, plan, "topoc_plan");
                    assertTrue(((String) plan).matches("[0-9a-f]{16,64}"), () -> "topoc_plan " + plan);
                    if (via == AnsibleBackend.Via.BASH) {
                        assertInstanceOf(Integer.class, got.remove("topoc_steps"), "topoc_steps");
                    }
                    assertEquals(expectedHostVars(c, i, via, sandbox), got, via + (sandbox ? " --sandbox " : " ") + c);
                }
                for (String playbook : List.of("deploy.yml", "teardown.yml")) {
                    List<?> plays = new Yaml().load(a.content(playbook));
                    Map<?, ?> play = (Map<?, ?>) plays.get(0);
                    String verb = playbook.equals("deploy.yml") ? "deploy " : "tear down ";
                    String suffix = via == AnsibleBackend.Via.NETWORKD ? " (systemd-networkd)" : "";
                    assertEquals(verb + c.topology() + suffix, play.get("name"), playbook);
                    assertEquals("topoc", play.get("hosts"), playbook);
                }
            }
        }
    }

    private static Artifacts generate(Case c, AnsibleBackend.Via via, boolean sandbox) {
        Diagnostics d = new Diagnostics();
        Artifacts a = new AnsibleBackend().generate(c.topology(), AnsibleNetworkdGoldenTest.parts(c.text()),
                new BackendOptions(c.prefix(), sandbox), via, d);
        assertFalse(d.hasErrors(), () -> d.all() + "\n" + c.text());
        return a;
    }

    /** What host_vars/MACHINE.yml must say, from the case and the stitched parts (topoc_plan and topoc_steps aside). */
    private static Map<String, Object> expectedHostVars(Case c, int machine, AnsibleBackend.Via via, boolean sandbox) {
        MachineTarget m = AnsibleNetworkdGoldenTest.parts(c.text()).get(machine);
        assertEquals(c.machines().get(machine), m.name());
        String lab = c.prefix() + "+" + m.part().name();
        List<String> namespaces = new ArrayList<>();
        m.part().nodes().stream().filter(n -> n.kind() != NodeKind.ROOT).forEach(n -> namespaces.add(c.prefix() + n.name()));
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("ansible_host", c.ssh().get(machine));
        if (via == AnsibleBackend.Via.BASH) {
            v.put("topoc_dir", "/var/lib/topoc/" + lab);
            v.put("topoc_lab", lab);
        } else {
            v.put("topoc_root", sandbox ? "{{ inventory_dir }}/roots/" + m.name() : "");
            v.put("topoc_dir", "{{ topoc_root }}/var/lib/topoc/" + lab);
            v.put("topoc_state", "{{ topoc_root }}/run/topoc/" + lab);
            v.put("topoc_etc", "{{ topoc_root }}/etc");
            v.put("topoc_lab", lab);
        }
        v.put("topoc_namespaces", namespaces);
        return v;
    }

    /**
     * The hosts of group {@code topoc}, read as Ansible's INI plugin does: a line's first word (shlex: quotes and
     * backslashes are taken away, {@code #} starts a comment) is the host pattern, {@code NAME[:PORT]}, where
     * {@code [a:b]} would be a range; every further word is {@code key=value}, whose value Ansible passes through
     * {@code ast.literal_eval} — a host name such as {@code 1e5} or {@code None} would become a number or None — so the
     * generated inventory gives none there (each machine's address is in its host_vars).
     */
    private static List<String> inventoryHosts(String ini) {
        List<String> hosts = new ArrayList<>();
        String section = "";
        for (String raw : ini.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[")) {
                section = line.substring(1, line.indexOf(']'));
                continue;
            }
            if (!section.equals("topoc")) {
                continue;
            }
            int hash = line.indexOf(" #");
            String[] words = (hash < 0 ? line : line.substring(0, hash)).strip().split("\\s+");
            String host = words[0];
            assertFalse(host.matches(".*['\"\\\\\\[\\]:,].*"), () -> "host pattern " + host + " is not read as written");
            assertEquals(1, words.length, () -> "host variables in the inventory line: " + line);
            hosts.add(host);
        }
        return hosts;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yamlMap(String text) {
        return new LinkedHashMap<>((Map<String, Object>) new Yaml().load(text));
    }

    // ---- generators ---------------------------------------------------------------------------------------

    /** Words YAML 1.1 (PyYAML, SnakeYAML) reads as booleans, null or numbers, and others that look like them. */
    private static final List<String> YAML_WORDS = List.of("yes", "no", "on", "off", "true", "false", "True", "False", "TRUE",
            "FALSE", "Yes", "NO", "On", "OFF", "null", "Null", "NULL", "None", "y", "n", "Y", "N", "inf", "nan", "NaN", "e5", "x1f",
            "b101", "o17", "e-5", "E1");

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<List<String>> names = name(32).list().ofSize(5).uniqueElements();
        Arbitrary<List<String>> ifaces = name(15).list().ofSize(4).uniqueElements();
        Arbitrary<List<String>> ssh = ssh().list().ofSize(2).uniqueElements(s -> s.toLowerCase(java.util.Locale.ROOT));
        return Combinators.combine(name(32), prefix(), names, ssh, ifaces)
                .as((t, p, n, s, i) -> new Case(t, p, n.subList(0, 2), s, n.subList(2, 5), i));
    }

    private static Arbitrary<String> name(int max) {
        Arbitrary<String> random = Combinators.combine(Arbitraries.chars().alpha(),
                Arbitraries.strings().withChars("abcXYZ019_.-").ofMaxLength(max - 1)).as((c, s) -> c + s);
        Arbitrary<String> longest = Arbitraries.strings().withChars("a.-_9").ofLength(max - 1).map(s -> "z" + s);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, Arbitraries.of(YAML_WORDS)),
                net.jqwik.api.Tuple.of(3, random),
                net.jqwik.api.Tuple.of(1, longest));
    }

    private static Arbitrary<String> prefix() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.of("", "0", "1", "00", "0.", "1_", "9-", "t-", "1e", "0b")),
                net.jqwik.api.Tuple.of(1, Combinators.combine(Arbitraries.chars().with("0123456789abZ".toCharArray()),
                        Arbitraries.strings().withChars("0123456789_.-ex").ofMaxLength(6)).as((c, s) -> c + s)));
    }

    /** {@code ssh}: documentation addresses, and host names that are numbers, None or booleans to Python or YAML. */
    private static Arbitrary<String> ssh() {
        Arbitrary<String> v4 = Arbitraries.integers().between(1, 254).map(i -> "192.0.2." + i);
        Arbitrary<String> v6 = Arbitraries.integers().between(1, 0xffff).map(i -> "2001:db8::" + Integer.toHexString(i));
        Arbitrary<String> literal = Arbitraries.of("1e5", "None", "True", "False", "1.50", "0x10", "0o17", "0b1", "1j", "123",
                "0", "007", "1e-5", "yes", "no", "on", "null", "NULL", "nan", "inf", "1-2", "1.2.3", "2e3.example");
        Arbitrary<String> label = Combinators.combine(Arbitraries.chars().with("ab09z".toCharArray()),
                Arbitraries.strings().withChars("abz09-").ofMaxLength(10), Arbitraries.chars().with("a0z9".toCharArray()))
                .as((a, m, z) -> a + m + z);
        Arbitrary<String> host = label.list().ofMinSize(1).ofMaxSize(3).map(l -> String.join(".", l));
        Arbitrary<String> longLabel = Arbitraries.strings().withChars("a0-").ofLength(61).map(s -> "h" + s + "1.example");
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(2, v4), net.jqwik.api.Tuple.of(1, v6),
                net.jqwik.api.Tuple.of(4, literal), net.jqwik.api.Tuple.of(2, host), net.jqwik.api.Tuple.of(1, longLabel));
    }
}
