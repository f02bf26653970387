package dev.topoc.backends.sim;

import static dev.topoc.backends.sim.SemanticsTest.plane;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.compiler.model.Proto;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@link TraceQuestion}: one test per ICMP error rule, each expected trace measured first on this kernel with
 * {@code traceroute -n -N 1 -q 1 -w 5} in throw-away namespaces built as {@link #LINE} is (with {@code icmp_ratelimit} 0);
 * {@link KernelTracerouteTest} compares the samples with the real command.
 */
class TracerouteTest {
    /** a -- r1 -- r2 -- b, with the routes the measured lab had; {@code %1$s} goes into r1, {@code %2$s} into r2, {@code %3$s} into b. */
    static final String LINE = """
            node a { iface e0 { address 10.0.1.2/24 }  route default via 10.0.1.1 }
            node r1 {
              forwarding
              iface e1 { address 10.0.1.1/24 }
              iface e2 { address 10.0.2.1/24 }
              lo { address 10.255.0.1/32 }
              route 10.0.3.0/24 via 10.0.2.2
              %1$s
            }
            node r2 {
              forwarding
              iface e1 { address 10.0.2.2/24 }
              iface e2 { address 10.0.3.1/24 %4$s }
              %2$s
            }
            node b { iface e0 { address 10.0.3.2/24 %4$s }  route default via 10.0.3.1  %3$s }
            link a:e0 -- r1:e1
            link r1:e2 -- r2:e1
            link r2:e2 -- b:e0
            """;

    static final String BACK = "route 10.0.1.0/24 via 10.0.2.1";

    static DataPlane line(String r1, String r2, String b) {
        return plane(LINE.formatted(r1, r2, b, ""));
    }

    static List<String> trace(DataPlane plane, String to, Proto proto, Integer port) {
        return lines(plane.ask(TraceQuestion.of(plane, "a", to, proto, port)));
    }

    static List<String> lines(Traceroute t) {
        return t.error() != null ? List.of(t.error()) : t.probes().stream().map(Traceroute.Probe::line).collect(Collectors.toList());
    }

    private static List<String> stars(List<String> first, int from, int to) {
        List<String> l = new java.util.ArrayList<>(first);
        for (int i = from; i <= to; i++) {
            l.add(String.format("%2d  *", i));
        }
        return l;
    }

    @Test
    void timeExceededFromEachRouterThenTheDestination() {
        DataPlane p = line("", BACK, "");
        List<String> want = List.of(" 1  10.0.1.1", " 2  10.0.2.2", " 3  10.0.3.2");
        assertEquals(want, trace(p, "10.0.3.2", Proto.UDP, null));
        assertEquals(want, trace(p, "10.0.3.2", Proto.ICMP, null));
        Traceroute t = p.ask(TraceQuestion.of(p, "a", "10.0.3.2", Proto.UDP, null));
        assertTrue(t.reached());
        assertEquals("r1", t.probes().get(0).node());
        assertEquals("sends time-exceeded: the TTL of 1 runs out there", t.probes().get(0).why());
    }

    @Test
    void theErrorComesFromTheRouteBacksSourceNotTheIncomingInterface() {
        // measured with r1's route back `10.0.1.0/24 dev e1 src 10.255.0.1`: hop 1 answers from 10.255.0.1
        DataPlane p = line("route 10.0.1.2/32 dev e1 src 10.255.0.1", BACK, "");
        assertEquals(List.of(" 1  10.255.0.1", " 2  10.0.2.2", " 3  10.0.3.2"), trace(p, "10.0.3.2", Proto.UDP, null));
    }

    @Test
    void unreachableRoutesAnswerWithTheirMarkers() {
        DataPlane p = line("route unreachable 10.9.1.0/24\n  route prohibit 10.9.2.0/24\n  route blackhole 10.9.3.0/24\n  route default via 10.0.2.2",
                BACK, "");
        assertEquals(List.of(" 1  10.0.1.1 !H"), trace(p, "10.9.1.1", Proto.UDP, null));
        assertEquals(List.of(" 1  10.0.1.1 !X"), trace(p, "10.9.2.1", Proto.UDP, null));
        assertEquals(List.of(" 1  10.0.1.1 !X"), trace(p, "10.9.2.1", Proto.ICMP, null));
        List<String> black = trace(p, "10.9.3.1", Proto.UDP, null);
        assertEquals(stars(List.of(), 1, 30), black, "a blackhole is silent");
        // r2 has no route for 10.9.9.9: net unreachable from r2, whose route back leaves by e1
        assertEquals(List.of(" 1  10.0.1.1", " 2  10.0.2.2 !N"), trace(p, "10.9.9.9", Proto.UDP, null));
        assertEquals(List.of(" 1  10.0.1.1", " 2  10.0.2.2 !N"), trace(p, "10.9.9.9", Proto.ICMP, null));
    }

    @Test
    void aNextHopThatDoesNotAnswerArpIsHostUnreachable() {
        DataPlane p = line("", BACK, "");
        assertEquals(List.of(" 1  10.0.1.1", " 2  10.0.2.2", " 3  10.0.2.2 !H"), trace(p, "10.0.3.9", Proto.UDP, null));
        // on the prober itself: its own address answers
        DataPlane q = plane(LINE.formatted("", BACK, "", "").replace("route default via 10.0.1.1 }",
                "route default via 10.0.1.1  route 10.7.0.0/16 via 10.0.1.77 }"));
        assertEquals(List.of(" 1  10.0.1.2 !H"), trace(q, "10.7.0.1", Proto.UDP, null));
    }

    @Test
    void noRouteOnTheProberIsASendError() {
        DataPlane p = plane(LINE.formatted("", BACK, "", "").replace("route default via 10.0.1.1 }",
                "route default via 10.0.1.1  route unreachable 10.8.0.0/16 }"));
        Traceroute t = p.ask(TraceQuestion.of(p, "a", "10.8.0.1", Proto.UDP, null));
        assertTrue(t.probes().isEmpty());
        assertTrue(t.error().startsWith("cannot send: unreachable route 10.8.0.0/16"), t.error());
    }

    @Test
    void aRejectAnswersPortUnreachableWhichEndsTheTraceWithoutMarker() {
        DataPlane p = line("", BACK + "\n  firewall forward policy accept { reject to 10.0.3.2/32 }", "");
        List<String> want = List.of(" 1  10.0.1.1", " 2  10.0.2.2", " 3  10.0.2.2");
        assertEquals(want, trace(p, "10.0.3.2", Proto.UDP, null));
        assertEquals(want, trace(p, "10.0.3.2", Proto.ICMP, null));
        assertEquals(want, trace(p, "10.0.3.2", Proto.TCP, 80));
        assertFalse(p.ask(TraceQuestion.of(p, "a", "10.0.3.2", Proto.UDP, null)).reached());
        // in input, for the router's own far address: the answer comes from that address
        DataPlane q = line("", BACK + "\n  firewall input policy accept { reject to 10.0.3.1/32 }", "");
        assertEquals(List.of(" 1  10.0.1.1", " 2  10.0.3.1"), trace(q, "10.0.3.1", Proto.UDP, null));
        assertEquals(List.of(" 1  10.0.1.1", " 2  10.0.3.1"), trace(q, "10.0.3.1", Proto.ICMP, null));
    }

    @Test
    void silentDropsAreStars() {
        // r2's output chain drops its own ICMP errors
        assertEquals(List.of(" 1  10.0.1.1", " 2  *", " 3  10.0.3.2"),
                trace(line("", BACK + "\n  firewall output policy accept { drop proto icmp }", ""), "10.0.3.2", Proto.UDP, null));
        // forwarding off on r2
        assertEquals(stars(List.of(" 1  10.0.1.1"), 2, 30),
                trace(plane(LINE.formatted("", BACK, "", "").replace("node r2 {\n  forwarding", "node r2 {")), "10.0.3.2", Proto.UDP, null));
        // r2 has no route back to a
        assertEquals(stars(List.of(" 1  10.0.1.1"), 2, 30), trace(line("", "", ""), "10.0.3.2", Proto.UDP, null));
        // b drops udp: the udp trace ends in stars, the icmp one reaches
        DataPlane p = line("", BACK, "firewall input policy accept { drop proto udp }");
        assertEquals(stars(List.of(" 1  10.0.1.1", " 2  10.0.2.2"), 3, 30), trace(p, "10.0.3.2", Proto.UDP, null));
        assertEquals(List.of(" 1  10.0.1.1", " 2  10.0.2.2", " 3  10.0.3.2"), trace(p, "10.0.3.2", Proto.ICMP, null));
        // r1's forward chain drops what goes to b
        assertEquals(stars(List.of(" 1  10.0.1.1"), 2, 30),
                trace(line("firewall forward policy accept { drop to 10.0.3.2/32 }", BACK, ""), "10.0.3.2", Proto.ICMP, null));
    }

    @Test
    void errorsComeBackThroughMasqueradeAndDnat() {
        // r2 has no route to a: behind r1's masquerade, r2's time exceeded goes to r1, which un-NATs it (RELATED)
        DataPlane p = line("nat masquerade out e2", "", "");
        assertEquals(List.of(" 1  10.0.1.1", " 2  10.0.2.2", " 3  10.0.3.2"), trace(p, "10.0.3.2", Proto.UDP, null));
        assertEquals(List.of(" 1  10.0.1.1", " 2  10.0.2.2", " 3  10.0.3.2"), trace(p, "10.0.3.2", Proto.ICMP, null));
        // a DNAT of 10.0.1.1 to b: every error behind it comes from the DNAT's address (measured)
        DataPlane d = line("nat dnat in e1 dst 10.0.1.1 to 10.0.3.2", BACK, "");
        assertEquals(List.of(" 1  10.0.1.1", " 2  10.0.1.1", " 3  10.0.1.1"), trace(d, "10.0.1.1", Proto.ICMP, null));
        assertEquals(List.of(" 1  10.0.1.1", " 2  10.0.1.1", " 3  10.0.1.1"), trace(d, "10.0.1.1", Proto.UDP, null));
    }

    @Test
    void fragNeededNamesTheMtu() {
        DataPlane p = plane(LINE.formatted("", BACK, "", "mtu 1400"));
        Traceroute t = p.ask(new TraceQuestion("a", p.target("10.0.3.2"), Proto.UDP, null, 30, 1450, true));
        assertEquals(List.of(" 1  10.0.1.1", " 2  10.0.2.2", " 3  10.0.2.2 !F-1400"), lines(t));
        Traceroute f = p.ask(new TraceQuestion("a", p.target("10.0.3.2"), Proto.UDP, null, 30, 1450, false));
        assertEquals(List.of(" 1  10.0.1.1", " 2  10.0.2.2", " 3  10.0.3.2"), lines(f));
    }
}
