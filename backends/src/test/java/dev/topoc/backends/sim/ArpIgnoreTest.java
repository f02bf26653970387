package dev.topoc.backends.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.compiler.model.Proto;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * arp_ignore 0..9 and arp_announce 0..2, one case per (value, request), as measured on this kernel in throw-away
 * namespaces built like {@link #LAB} (a's ping with {@code ip route replace TIP/32 dev eth0 src SIP}, then a's
 * neighbour entry for TIP: answered or FAILED). b answers on e1; what it answers depends on the target address
 * (e1's own, e2's, a /32 on lo, the rest of a /24 on lo) and on the request's sender address.
 */
class ArpIgnoreTest {
    static final String LAB = """
            node a {
              iface eth0 { address 10.0.0.2/24  address 10.7.0.2/24 }
              route %s/32 dev eth0 src %s
              %s
            }
            node b {
              iface e1 { address 10.0.0.1/24  address 10.6.0.1/24 }
              iface e2 { address 10.5.0.1/24 }
              lo { address 10.9.0.1/32  address 10.8.0.1/24 }
              route 10.7.0.0/24 dev e1
              %s
            }
            node c { iface e0 { } }
            link a:eth0 -- b:e1
            link b:e2 -- c:e0
            """;

    /** The measured requests: name -> {target, a's source}. */
    static final Map<String, String[]> CASES = new java.util.LinkedHashMap<>();

    static {
        CASES.put("own", new String[] {"10.0.0.1", "10.0.0.2"});
        CASES.put("other-if", new String[] {"10.5.0.1", "10.0.0.2"});
        CASES.put("lo32", new String[] {"10.9.0.1", "10.0.0.2"});
        CASES.put("loprefix", new String[] {"10.8.0.5", "10.0.0.2"});
        CASES.put("own-sipother", new String[] {"10.0.0.1", "10.7.0.2"});
        CASES.put("own2-sip", new String[] {"10.6.0.1", "10.0.0.2"});
        CASES.put("own2-sip7", new String[] {"10.6.0.1", "10.7.0.2"});
    }

    /** Measured (arp_ignore on b:e1, arp_announce 0 on a): Y answered, N not, in the order of {@link #CASES}. */
    static final Map<String, String> MEASURED = Map.of(
            "0", "YYYYYYY", "1", "YNNNYYY", "2", "YNNNNNN", "3", "YYYNYYY", "4", "YYYYYYY",
            "5", "YYYYYYY", "8", "NNNNNNN", "9", "YYYYYYY");

    private static Trace ping(String bSettings, String aSettings, String name) {
        String[] c = CASES.get(name);
        DataPlane f = SemanticsTest.plane(LAB.formatted(c[0], c[1], aSettings, bSettings));
        return f.ask(PingQuestion.of(f, "a", c[0], Proto.ICMP, null));
    }

    private static String row(String bSettings, String aSettings) {
        StringBuilder sb = new StringBuilder();
        for (String name : CASES.keySet()) {
            sb.append(ping(bSettings, aSettings, name).reaches() ? 'Y' : 'N');
        }
        return sb.toString();
    }

    @Test
    void everyArpIgnoreValueAnswersAsMeasured() {
        for (var e : MEASURED.entrySet()) {
            assertEquals(e.getValue(), row("sysctl net.ipv4.conf.e1.arp_ignore " + e.getKey(), ""), "arp_ignore " + e.getKey());
        }
    }

    @Test
    void confAllCountsAsTheLargerValue() {
        // measured: conf.all.arp_ignore 2 (e1 0) and 3 answer as e1's 2 and 3
        assertEquals(MEASURED.get("2"), row("sysctl net.ipv4.conf.all.arp_ignore 2", ""));
        assertEquals(MEASURED.get("3"), row("sysctl net.ipv4.conf.all.arp_ignore 3", ""));
        assertEquals(MEASURED.get("2"), row("sysctl net.ipv4.conf.all.arp_ignore 2\n  sysctl net.ipv4.conf.e1.arp_ignore 1", ""));
    }

    @Test
    void arpIgnore2ReasonNamesTheSender() {
        Trace t = ping("sysctl net.ipv4.conf.e1.arp_ignore 2", "", "own-sipother");
        assertFalse(t.reaches());
        assertTrue(t.reason().contains("no ARP reply for 10.0.0.1 on a:eth0: b:e1 receives the request but has arp_ignore 2")
                && t.reason().contains("the sender 10.7.0.2"), t.reason());
    }

    @Test
    void arpIgnore3AndEightReasons() {
        Trace t = ping("sysctl net.ipv4.conf.e1.arp_ignore 3", "", "loprefix");
        assertTrue(t.reason().contains("has arp_ignore 3 (it answers only for addresses configured on an interface"), t.reason());
        t = ping("sysctl net.ipv4.conf.e1.arp_ignore 8", "", "own");
        assertTrue(t.reason().contains("has arp_ignore 8 (it never answers)"), t.reason());
        t = ping("sysctl net.ipv4.conf.e1.arp_ignore 1", "", "lo32");
        assertTrue(t.reason().contains("has arp_ignore 1 (it answers only for addresses of e1)"), t.reason());
    }

    @Test
    void arpAnnounceChoosesTheSenderArpIgnore2Checks() {
        // measured with b:e1 arp_ignore 2: announce 1 (the source is not on a prefix of eth0 that also holds the
        // target: inet_addr_onlink) and 2 ask from 10.0.0.2, so b answers for 10.0.0.1 from a's 10.7.0.2 source
        String b = "sysctl net.ipv4.conf.e1.arp_ignore 2";
        assertEquals("YNNNNNN", row(b, "sysctl net.ipv4.conf.eth0.arp_announce 0"));
        assertEquals("YNNNYNN", row(b, "sysctl net.ipv4.conf.eth0.arp_announce 1"));
        assertEquals("YNNNYNN", row(b, "sysctl net.ipv4.conf.all.arp_announce 2"));
        // any other value acts as 0 (arp_solicit's default)
        assertEquals("YNNNNNN", row(b, "sysctl net.ipv4.conf.eth0.arp_announce 3"));
    }

    @Test
    void theMatrixAgreesWithTheWalkUnderArpIgnore2() {
        // PlainWalk hands a flood whose answer depends on the sender to Walk: the matrix equals the pings
        DataPlane f = SemanticsTest.plane(LAB.formatted("10.0.0.1", "10.7.0.2", "", "sysctl net.ipv4.conf.e1.arp_ignore 2"));
        Matrix m = f.ask(new MatrixQuestion());
        int a = m.nodes().indexOf("a");
        int b = m.nodes().indexOf("b");
        assertFalse(f.ask(PingQuestion.of(f, "a", "b", Proto.ICMP, null)).reaches()); // a asks from 10.7.0.2
        assertEquals(false, m.reach()[a][b]);
        assertEquals(f.ask(PingQuestion.of(f, "b", "a", Proto.ICMP, null)).reaches(), m.reach()[b][a]);
    }
}
