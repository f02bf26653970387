package dev.topoc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.topoc.backends.lab.Lab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check --live} against a lab {@code topoc up --sandbox} brought up in real namespaces: a gateway forwarding tcp
 * 8080 to a web server's 80 (its stand-in listens) and 9090 to a port where nothing listens, a firewall that drops tcp
 * 22 on the way, udp answered and refused; then a wrong expect (exit 3) and a listener started by hand behind the
 * simulator's back (the disagreement, with the simulator's trace). Also the refusals: not running, out of sync.
 */
class CheckLiveTest {
    static final String PREFIX = "tpc" + ProcessHandle.current().pid() % 100_000 + "K-";

    static final String LAB = """
            topology clilive
            node gw {
              forwarding
              iface wan { address 10.6.1.1/24 }
              iface lan { address 10.6.0.1/24 }
              nat dnat tcp port 8080 to 10.6.0.10:80
              nat dnat tcp port 9090 to 10.6.0.10
              firewall forward policy accept {
                drop proto tcp dport 22
              }
            }
            node web {
              iface eth0 { address 10.6.0.10/24 }
              route default via 10.6.0.1
              listen tcp 80
              listen tcp 22
              listen udp 53
            }
            node client {
              iface eth0 { address 10.6.1.2/24 }
              route default via 10.6.1.1
            }
            link web:eth0 -- gw:lan
            link gw:wan -- client:eth0
            expect client -> 10.6.1.1 tcp 8080 reach lands web
            expect client -> 10.6.1.1 tcp 9090 noreach
            expect client -> web tcp 22 noreach
            expect client -> web udp 53 reach lands web
            expect client -> web udp 54 noreach
            expect client -> web reach via gw lands web
            """;

    @TempDir
    Path dir;

    final List<Process> started = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (Process p : started) {
            p.destroyForcibly().waitFor();
        }
        if (LiveCommandsTest.machine()) {
            CliTest.run("down", "--lab", "clilive@" + PREFIX);
            Files.deleteIfExists(dev.topoc.live.lab.LabStore.system().dir().resolve("clilive@" + PREFIX + ".lock"));
            Lab.cleanUp(PREFIX);
        }
    }

    private static String[] live(Path file, String... more) {
        List<String> a = new ArrayList<>(List.of("check", file.toString(), "--live", "--sandbox", "--prefix", PREFIX));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    @Test
    void everyExpectIsProbedBesideTheSimulatorsAnswer() throws Exception {
        assumeTrue(LiveCommandsTest.machine(), "needs root, ip and nsenter");
        Lab.assumeMachine();
        Path file = dir.resolve("clilive.topo");
        Files.writeString(file, LAB);

        CliTest.Run notUp = CliTest.run(live(file));
        assertEquals(4, notUp.exit(), notUp.out() + notUp.err());
        assertTrue(notUp.err().contains("lab clilive@" + PREFIX + " is not running: `topoc up "), notUp.err());

        CliTest.Run up = CliTest.run("up", file.toString(), "--sandbox", "--prefix", PREFIX, "--wait", "0");
        assertEquals(0, up.exit(), up.out() + up.err());

        Path junit = dir.resolve("live.xml");
        CliTest.Run ok = CliTest.run(live(file, "--junit", junit.toString()));
        assertEquals(0, ok.exit(), ok.out() + ok.err());
        String o = ok.out();
        assertTrue(o.contains("PASS " + file + ":25:1  client -> 10.6.1.1 tcp 8080 reach lands web\n"
                + "    live:      reaches, lands on web (connected, answered \"web\")\n"
                + "    simulator: client -> 10.6.1.1 tcp 8080: reaches (lands web)"), o);
        assertTrue(o.contains("client -> 10.6.1.1 tcp 9090 noreach\n    live:      refused by web (connection refused (reset))"), o);
        assertTrue(o.contains("client -> web tcp 22 noreach\n    live:      no answer (no answer to the SYN in 2 s (dropped))"), o);
        assertTrue(o.contains("client -> web udp 53 reach lands web\n    live:      reaches, lands on web (answered \"web\")"), o);
        assertTrue(o.contains("client -> web udp 54 noreach\n    live:      refused by web (port unreachable (ICMP))"), o);
        assertTrue(o.contains("PASS " + file + ":30:1  client -> web reach via gw lands web"), o);
        assertTrue(o.contains("lab clilive@" + PREFIX + ": 6 expectations: 6 hold, 0 fail live; the simulator agrees on every one"), o);
        String xml = Files.readString(junit);
        assertTrue(xml.contains("<testsuite name=\"topoc check --live clilive\" tests=\"6\" failures=\"0\""), xml);

        // a wrong expect added to the file (the network is still in sync): it fails live, and in the simulator too
        // (no disagreement); exit 3
        Path wrong = file;
        Files.writeString(wrong, LAB + "expect client -> 10.6.1.1 tcp 9090 reach lands web\n");
        CliTest.Run fails = CliTest.run(live(wrong, "--junit", junit.toString()));
        assertEquals(3, fails.exit(), fails.out() + fails.err());
        assertTrue(fails.out().contains("FAIL " + wrong + ":31:1  client -> 10.6.1.1 tcp 9090 reach lands web: expected to reach, "
                + "got: refused by web (connection refused (reset))"), fails.out());
        assertTrue(fails.out().contains(": 7 expectations: 6 hold, 1 fail live; the simulator agrees on every one"), fails.out());
        assertTrue(Files.readString(junit).contains("failures=\"1\""), Files.readString(junit));
        Files.writeString(file, LAB);

        // a listener nobody declared, started by hand in web: the kernel now answers 9090, the simulator does not
        Process hand = new ProcessBuilder("ip", "netns", "exec", PREFIX + "web", "python3", "-c",
                "import socket,time\ns=socket.socket()\ns.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1)\n"
                        + "s.bind(('',9090))\ns.listen()\nprint('up',flush=True)\nwhile True: s.accept()[0].close()")
                .redirectErrorStream(true).start();
        started.add(hand);
        assertEquals("up", new String(hand.getInputStream().readNBytes(2)));
        CliTest.Run disagree = CliTest.run(live(file));
        assertEquals(3, disagree.exit(), disagree.out() + disagree.err());
        String d = disagree.out();
        assertTrue(d.contains("FAIL " + file + ":26:1  client -> 10.6.1.1 tcp 9090 noreach: expected no reach, but it reaches, lands on web"), d);
        assertTrue(d.contains("    DISAGREEMENT: the simulator says no reach (connection refused: nothing listens on tcp 9090 at web (reset)), "
                + "the kernel: reaches, lands on web (connected)"), d);
        assertTrue(d.contains("DNAT 10.6.1.1:9090 -> 10.6.0.10:9090"), "the simulator's trace is shown: " + d);
        assertTrue(d.contains("1 disagreement with the simulator"), d);

        // out of sync: a change the lab does not have yet
        Path edited = dir.resolve("clilive.topo");
        Files.writeString(edited, LAB.replace("route default via 10.6.1.1\n", "route default via 10.6.1.1\n  route 10.99.0.0/16 via 10.6.1.1\n"));
        CliTest.Run stale = CliTest.run(live(edited));
        assertEquals(4, stale.exit(), stale.out() + stale.err());
        assertTrue(stale.err().contains("is out of sync with " + edited + ": 1 change pending (`topoc plan "), stale.err());
    }
}
