package dev.topoc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** `simulate` and `check` in-process: exit codes, formats, and golden traces of a few samples (reviewed by hand). */
class SimulateCommandTest {
    @TempDir
    Path dir;

    static Path root() {
        String prop = System.getProperty("topoc.root");
        Path p = prop != null ? Path.of(prop) : Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("samples"))) {
            p = p.getParent();
        }
        return p;
    }

    static String sample(String name) {
        return root().relativize(root().resolve("samples").resolve(name)).toString();
    }

    static CliTest.Run inRoot(String... args) {
        String[] a = args.clone();
        for (int i = 0; i < a.length; i++) {
            if (a[i].startsWith("samples/")) {
                a[i] = root().resolve(a[i]).toString();
            }
        }
        CliTest.Run r = CliTest.run(a);
        String prefix = root().toString() + "/";
        return new CliTest.Run(r.exit(), r.out().replace(prefix, ""), r.err().replace(prefix, ""));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "docker-bridge-dnat, samples/docker-bridge.topo, upstream, 192.168.54.230, tcp, 8080",
        "docker-bridge-refused, samples/docker-bridge.topo, upstream, 192.168.54.230, tcp, 7070",
        "docker-bridge-dns, samples/docker-bridge.topo, nginx, 192.0.2.53, udp, 53",
        "docker-bridge-no-nat, samples/docker-bridge-no-nat.topo, nginx, 192.0.2.53, icmp, 0",
        "bridge-port-address, samples/bridge-port-address.topo, k8svip, 192.168.0.1, icmp, 0",
        "netns-lo-subnet, samples/netns-lo-subnet.topo, host, 192.168.1.2, icmp, 0",
        "macvlan-private, samples/macvlan-private.topo, ns2, 10.40.1.248, icmp, 0",
        "macvlan-vepa, samples/macvlan-vepa.topo, ns2, 10.40.1.248, icmp, 0",
        "vlan-trunk-mismatch, samples/vlan-trunk.topo, ns1, 10.20.20.2, icmp, 0",
        "vxlan-overlay, samples/vxlan-overlay.topo, ns1, 172.20.0.20, icmp, 0",
        "policy-routing, samples/policy-routing.topo, pc100, 192.0.2.53, icmp, 0",
        "router-no-forwarding, samples/router-no-forwarding.topo, ns1, 192.168.2.2, icmp, 0",
        "icmp6-redirect, cli/src/test/resources/golden/simulate/icmp6-redirect.topo, a, fd00:9::2, icmp, 0",
        "icmp6-beyond-scope, cli/src/test/resources/golden/simulate/icmp6-beyond-scope.topo, a, fd00:9::2, icmp, 0",
    })
    void goldenTrace(String name, String file, String from, String to, String proto, int port) throws IOException {
        file = file.startsWith("cli/") ? root().resolve(file).toString() : file;
        CliTest.Run r = proto.equals("icmp") ? inRoot("simulate", file, "--trace", from, to)
                : inRoot("simulate", file, "--trace", from, to, "--proto", proto, "--port", Integer.toString(port));
        assertEquals(0, r.exit(), r.err());
        Path golden = root().resolve("cli/src/test/resources/golden/simulate/" + name + ".txt");
        if (Boolean.getBoolean("topoc.golden.update")) {
            Files.writeString(golden, r.out());
        }
        assertEquals(Files.readString(golden), r.out());
    }

    /** ICMP errors and an MTU drop as traceroute shows them, on the lab of backends' TracerouteTest (reviewed by hand). */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "icmp-host-unreachable, 10.9.1.1, udp, ''",
        "icmp-admin-prohibited, 10.9.2.1, icmp, ''",
        "icmp-blackhole, 10.9.3.1, icmp, ''",
        "icmp-net-unreachable, 10.9.9.9, udp, ''",
        "icmp-no-arp-reply, 10.0.3.9, icmp, ''",
        "icmp-reject, 10.0.3.3, udp, ''",
        "icmp-drop, 10.0.3.4, icmp, ''",
        "mtu-frag-needed, b, icmp, --df",
        "mtu-fragmented, b, icmp, ''",
    })
    void goldenIcmpErrors(String name, String to, String proto, String df) throws IOException {
        String file = root().resolve("cli/src/test/resources/golden/simulate/icmp-errors.topo").toString();
        CliTest.Run r = name.startsWith("mtu")
                ? (df.isEmpty() ? inRoot("simulate", file, "--trace", "a", to, "--size", "1373")
                        : inRoot("simulate", file, "--trace", "a", to, "--size", "1373", "--df"))
                : inRoot("simulate", file, "--trace", "a", to, "--proto", proto);
        assertEquals(0, r.exit(), r.err());
        Path golden = root().resolve("cli/src/test/resources/golden/simulate/" + name + ".txt");
        if (Boolean.getBoolean("topoc.golden.update")) {
            Files.writeString(golden, r.out());
        }
        assertEquals(Files.readString(golden), r.out());
    }

    /** ICMPv6 errors as traceroute -6 shows them, on the IPv6 lab of backends' Icmp6TracerouteTest (reviewed by hand). */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "icmp6-unreachable-route, fd00:91::1, udp, ''",
        "icmp6-admin-prohibited, fd00:92::1, icmp, ''",
        "icmp6-blackhole, fd00:93::1, icmp, ''",
        "icmp6-no-route, fd00:99::1, udp, ''",
        "icmp6-address-unreachable, fd00:3::9, icmp, ''",
        "icmp6-reject, fd00:3::3, udp, ''",
        "icmp6-packet-too-big, b, icmp, ''",
    })
    void goldenIcmp6Errors(String name, String to, String proto, String unused) throws IOException {
        String file = root().resolve("cli/src/test/resources/golden/simulate/icmp6-errors.topo").toString();
        CliTest.Run r = name.endsWith("too-big")
                ? inRoot("simulate", file, "--trace", "a", to, "--size", "1352", "--family", "6")
                : inRoot("simulate", file, "--trace", "a", to, "--proto", proto);
        assertEquals(0, r.exit(), r.err());
        Path golden = root().resolve("cli/src/test/resources/golden/simulate/" + name + ".txt");
        if (Boolean.getBoolean("topoc.golden.update")) {
            Files.writeString(golden, r.out());
        }
        assertEquals(Files.readString(golden), r.out());
    }

    @Test
    void familyChoosesTheAddressOfANodeTarget() {
        String file = "samples/router-forwarding-dual.topo";
        CliTest.Run four = inRoot("simulate", file, "--ping", "ns1", "ns2");
        assertEquals(0, four.exit(), four.err());
        assertEquals("ns1 -> ns2 (192.168.2.2) icmp: reaches (lands ns2)\n", four.out());
        CliTest.Run six = inRoot("simulate", file, "--ping", "ns1", "ns2", "--family", "6");
        assertEquals(0, six.exit(), six.err());
        assertEquals("ns1 -> ns2 (fd00:2::2) icmp: reaches (lands ns2)\n", six.out());
        CliTest.Run iface = inRoot("simulate", file, "--ping", "ns2", "ns_router:my_veth0_peer", "--family", "6");
        assertEquals("ns2 -> ns_router:my_veth0_peer (fd00:1::3) icmp: reaches (lands ns_router)\n", iface.out());
        CliTest.Run trace = inRoot("simulate", file, "--trace", "ns1", "ns2", "--family", "6", "--proto", "udp");
        assertEquals(0, trace.exit(), trace.err());
        assertTrue(trace.out().contains("as traceroute -n fd00:2::2 (one probe per hop) shows it:\n     1  fd00:1::3 "), trace.out());
        CliTest.Run matrix = inRoot("simulate", file, "--matrix", "--family", "6", "--format", "json");
        assertEquals(0, matrix.exit(), matrix.err());
        assertTrue(matrix.out().contains("\"addresses\":[\"fd00:1::3\",\"fd00:1::2\",\"fd00:2::2\"]"), matrix.out());
        CliTest.Run text = inRoot("simulate", file, "--matrix", "--family", "6");
        assertTrue(text.out().startsWith("matrix: 3 nodes, 6 pairs, 6 reach, 0 do not (icmp to each node's first IPv6 address)"), text.out());
    }

    @Test
    void aFamilyThatDoesNotFitIsAUsageError() {
        String file = "samples/router-forwarding-dual.topo";
        CliTest.Run bad = inRoot("simulate", file, "--ping", "ns1", "ns2", "--family", "5");
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("--family must be 4 or 6, not 5"), bad.err());
        CliTest.Run mismatch = inRoot("simulate", file, "--ping", "ns1", "192.168.2.2", "--family", "6");
        assertEquals(2, mismatch.exit());
        assertTrue(mismatch.err().contains("--family 6 does not fit 192.168.2.2, an IPv4 address"), mismatch.err());
        CliTest.Run none = inRoot("simulate", "samples/veth-pair.topo", "--ping", "n1", "n2", "--family", "6");
        assertEquals(2, none.exit());
        assertTrue(none.err().contains("`n2` has no IPv6 address to send to"), none.err());
    }

    @Test
    void traceJsonHasTheTraceroute() {
        String file = root().resolve("cli/src/test/resources/golden/simulate/icmp-errors.topo").toString();
        CliTest.Run r = inRoot("simulate", file, "--trace", "a", "10.9.9.9", "--proto", "udp", "--format", "json");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains(",\"traceroute\":{\"command\":\"traceroute -n 10.9.9.9\",\"reached\":false,\"error\":null,\"probes\":["
                + "{\"ttl\":1,\"address\":\"10.0.1.1\",\"node\":\"r1\",\"marker\":\"\",\"why\":\"sends time-exceeded: the TTL of 1 runs out there\"},"
                + "{\"ttl\":2,\"address\":\"10.0.2.2\",\"node\":\"r2\",\"marker\":\"!N\",\"why\":\"sends net-unreachable: no route to 10.9.9.9 in table main on r2\"}]}}"),
                r.out());
    }

    @Test
    void pingPrintsOneLinePerQuestion() {
        CliTest.Run r = inRoot("simulate", "samples/docker-bridge.topo", "--ping", "nginx", "192.0.2.53", "--ping", "nginx", "gitlab");
        assertEquals(0, r.exit(), r.err());
        assertEquals("nginx -> 192.0.2.53 icmp: reaches (lands upstream)\nnginx -> gitlab (172.17.10.20) icmp: reaches (lands gitlab)\n", r.out());
    }

    @Test
    void matrixTableForSmallTopologies() {
        CliTest.Run r = inRoot("simulate", "samples/router-no-forwarding.topo", "--matrix");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("matrix: 3 nodes, 6 pairs, 4 reach, 2 do not"), r.out());
        assertTrue(r.out().contains("ns1       1 #\\.\n"), r.out());
    }

    @Test
    void jsonOutputHasTracesAndMatrix() {
        CliTest.Run r = inRoot("simulate", "samples/veth-pair.topo", "--ping", "n1", "n2", "--matrix", "--format", "json");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("{\"traces\":[{\"from\":\"n1\",\"to\":\"n2\",\"address\":\"10.10.10.2\",\"proto\":\"icmp\",\"port\":null,\"reaches\":true,\"lands\":\"n2\""), r.out());
        assertTrue(r.out().contains("\"matrix\":{\"nodes\":[\"n1\",\"n2\"],\"addresses\":[\"10.10.10.1\",\"10.10.10.2\"],\"reach\":[\"-1\",\"1-\"]}}"), r.out());
    }

    @Test
    void unknownNodeIsAUsageError() {
        CliTest.Run r = inRoot("simulate", "samples/veth-pair.topo", "--ping", "n1", "nope");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("`nope` is neither a node"), r.err());
    }

    @Test
    void checkPassesOnASample() {
        CliTest.Run r = inRoot("check", "samples/docker-bridge.topo");
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("PASS samples/docker-bridge.topo:70:1  upstream -> 192.168.54.230 tcp 8080 reach lands nginx\n"), r.out());
        assertTrue(r.out().contains("PASS samples/docker-bridge.topo:72:1  upstream -> 192.168.54.230 tcp 7070 noreach\n"), r.out());
        assertTrue(r.out().endsWith("12 expectations: 12 hold, 0 fail\n"), r.out());
    }

    @Test
    void checkFailsWithExit3PrintsTheTraceAndWritesJunit() throws IOException {
        Path f = dir.resolve("t.topo");
        Files.writeString(f, """
                node r { iface e1 { address 10.1.0.1/24 }  iface e2 { address 10.2.0.1/24 } }
                node a { iface e { address 10.1.0.2/24 }  route default via 10.1.0.1 }
                node b { iface e { address 10.2.0.2/24 }  route default via 10.2.0.1 }
                link a:e -- r:e1
                link b:e -- r:e2
                expect a -> b reach
                expect a -> 10.1.0.1 reach
                """);
        Path junit = dir.resolve("out/report.xml");
        CliTest.Run r = CliTest.run("check", f.toString(), "--junit", junit.toString());
        assertEquals(3, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("FAIL " + f + ":6:1  a -> b reach: expected to reach, but forwarding disabled on r (" + f + ":1)"), r.out());
        assertTrue(r.out().contains("    a -> b (10.2.0.2) icmp: no reach"), r.out());
        assertTrue(r.out().contains("PASS " + f + ":7:1"), r.out());
        String xml = Files.readString(junit);
        assertTrue(xml.contains("tests=\"2\" failures=\"1\""), xml);
        assertTrue(xml.contains("<failure message=\"expected to reach, but forwarding disabled on r"), xml);
    }

    @Test
    void checkRefusesInvalidInput() throws IOException {
        Path f = dir.resolve("bad.topo");
        Files.writeString(f, "node a { iface e { address 10.0.0.300/24 } }\n");
        assertEquals(1, CliTest.run("check", "--color", "never", f.toString()).exit());
    }

    static final String SPARE = """
            node r { forwarding  iface e1 { address 10.1.0.1/24 }  iface e2 { address 10.2.0.1/24 } }
            node a { iface e { address 10.1.0.2/24 }  iface s { address 10.9.0.2/24 }  route default via 10.1.0.1 }
            node b { iface e { address 10.2.0.2/24 }  iface s { address 10.9.0.3/24 }  route default via 10.2.0.1 }
            link a:e -- r:e1
            link b:e -- r:e2
            link a:s -- b:s
            expect a -> 10.2.0.2 reach via r
            expect a -> 10.9.0.3 reach
            """;

    @Test
    void simulateAndCheckWithALinkDown() throws IOException {
        Path f = dir.resolve("spare.topo");
        Files.writeString(f, SPARE);
        CliTest.Run s = CliTest.run("simulate", f.toString(), "--fail", "r:e2", "--ping", "a", "10.2.0.2", "--ping", "a", "10.9.0.3");
        assertEquals(0, s.exit(), s.out() + s.err());
        assertTrue(s.out().startsWith("with link r:e2 down\n"), s.out());
        assertTrue(s.out().contains("a -> 10.2.0.2 icmp: no reach: r:e2 has no carrier: link r:e2 -- b:e is down (--fail)"), s.out());
        assertTrue(s.out().contains("a -> 10.9.0.3 icmp: reaches"), s.out());
        CliTest.Run c = CliTest.run("check", f.toString(), "--fail", "b:e");
        assertEquals(3, c.exit(), c.out() + c.err());
        assertTrue(c.out().contains("FAIL " + f + ":7:1  a -> 10.2.0.2 reach via r: expected to reach, but r:e2 has no carrier"), c.out());
        assertTrue(c.out().contains("PASS " + f + ":8:1"), c.out());
        CliTest.Run j = CliTest.run("check", f.toString(), "--fail", "a:s", "r:e2", "--format", "json");
        assertEquals(3, j.exit(), j.out() + j.err());
        assertTrue(j.out().startsWith("{\"file\":" + dev.topoc.compiler.diag.Json.quote(f.toString())
                + ",\"failures\":\"link a:s, link r:e2\",\"checks\":[{\"line\":7,"), j.out());
    }

    @Test
    void checkOfSeveralFilesWithFailuresGivesOneJsonArrayAndOneSuitePerFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("spare.topo");
        Path g = dir.resolve("spare2.topo");
        Files.writeString(f, SPARE);
        Files.writeString(g, SPARE);
        Path report = dir.resolve("r.xml");
        CliTest.Run j = CliTest.run("check", f.toString(), g.toString(), "--junit", report.toString(), "--fail", "b:e",
                "--format", "json");
        assertEquals(3, j.exit(), j.out() + j.err());
        assertTrue(j.out().startsWith("[{\"file\":" + dev.topoc.compiler.diag.Json.quote(f.toString())), j.out());
        assertTrue(j.out().contains("},{\"file\":" + dev.topoc.compiler.diag.Json.quote(g.toString())), j.out());
        String xml = Files.readString(report);
        assertTrue(xml.startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n"), xml);
        assertEquals(2, xml.split("<testsuite ", -1).length - 1, xml);
        CliTest.Run r = CliTest.run("check", f.toString(), g.toString(), "--resilience");
        assertEquals(3, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains(f + ":\nwith nothing down: "), r.out());
        assertTrue(r.out().endsWith("2 files, some not resilient\n"), r.out());
    }

    @Test
    void anUnknownFailureIsAUsageErrorWithTheKnownNames() throws IOException {
        Path f = dir.resolve("spare.topo");
        Files.writeString(f, SPARE);
        CliTest.Run r = CliTest.run("check", f.toString(), "--fail", "r:e3");
        assertEquals(2, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("--fail r:e3: no link end `r:e3`; did you mean `r:e1`? (known: a:e, r:e1, b:e, r:e2, a:s, b:s)"), r.err());
        r = CliTest.run("simulate", f.toString(), "--fail", "rr", "--matrix");
        assertEquals(2, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("no node `rr`; did you mean `r`? (known: r, a, b)"), r.err());
    }

    @Test
    void resilienceListsWhatEachSingleFailureBreaksInTextJsonAndJunit() throws IOException {
        Path f = dir.resolve("spare.topo");
        Files.writeString(f, SPARE);
        Path junit = dir.resolve("res.xml");
        CliTest.Run r = CliTest.run("check", f.toString(), "--resilience", "--junit", junit.toString());
        assertEquals(3, r.exit(), r.out() + r.err());
        assertTrue(r.out().startsWith("with nothing down: 2 of 2 expectations hold\n"), r.out());
        assertTrue(r.out().contains("BREAKS link a:e -- r:e1 down: 1 of 2 fail\n    FAIL " + f + ":7:1  a -> 10.2.0.2 reach via r: "
                + "expected to reach, but a:e has no carrier"), r.out());
        assertTrue(r.out().contains("BREAKS link a:s -- b:s down: 1 of 2 fail\n    FAIL " + f + ":8:1"), r.out());
        assertTrue(r.out().contains("BREAKS node r down: 1 of 2 fail"), r.out());
        assertTrue(r.out().contains("ok    node a down: all 0 hold"), r.out());
        assertTrue(r.out().endsWith("6 single failures: 1 break nothing, 5 break some expectation\n"), r.out());
        String xml = Files.readString(junit);
        // the baseline (2), three links (2 each), nodes r and b (2 each); node a's expectations are not asked
        assertTrue(xml.contains("tests=\"12\" failures=\"6\""), xml);
        assertTrue(xml.contains("name=\"link a:s -- b:s down: 8:1 a -&gt; 10.9.0.3 reach\""), xml);
        CliTest.Run j = CliTest.run("check", f.toString(), "--resilience", "--format", "json");
        assertEquals(3, j.exit());
        assertTrue(j.out().contains("{\"failure\":\"node r\",\"asked\":2,\"broken\":[{\"line\":7,"), j.out());
        assertTrue(j.out().trim().endsWith("\"resilient\":false}"), j.out());
        assertEquals(2, CliTest.run("check", f.toString(), "--resilience", "--fail", "r").exit());
    }
}
