package dev.topoc.backends.sim;

import static dev.topoc.backends.sim.SemanticsTest.plane;
import static dev.topoc.backends.sim.TracerouteTest.lines;
import static dev.topoc.backends.sim.TracerouteTest.trace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.compiler.model.Proto;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link TraceQuestion} over IPv6: one test per ICMPv6 error rule, each expected trace measured first on this kernel
 * with {@code traceroute -n -N 1 -q 1} in throw-away namespaces built as {@link #LINE6} is ({@code
 * net.ipv6.icmp.ratelimit} 0); {@link KernelTracerouteTest#theMeasuredIpv6LabAgrees} compares a lab of these rules with
 * the real command.
 */
class Icmp6TracerouteTest {
    /** a -- r1 -- r2 -- b over IPv6; {@code %1$s} goes into r1, {@code %2$s} into r2, {@code %3$s} into b, {@code %4$s} on r2:e2. */
    static final String LINE6 = """
            node a { iface e0 { address fd00:1::2/64 }  route default via fd00:1::1 }
            node r1 {
              forwarding
              iface e1 { address fd00:1::1/64 %5$s }
              iface e2 { address fd00:2::1/64 }
              route default via fd00:2::2
              %1$s
            }
            node r2 {
              forwarding
              iface e1 { address fd00:2::2/64 }
              iface e2 { address fd00:3::1/64 %4$s }
              %2$s
            }
            node b { iface e0 { address fd00:3::2/64 }  route default via fd00:3::1  %3$s }
            link a:e0 -- r1:e1
            link r1:e2 -- r2:e1
            link r2:e2 -- b:e0
            """;

    static final String BACK6 = "route fd00:1::/64 via fd00:2::1";

    static DataPlane line(String r1, String r2, String b) {
        return plane(LINE6.formatted(r1, r2, b, "", ""));
    }

    private static List<String> stars(List<String> first, int from, int to) {
        List<String> l = new ArrayList<>(first);
        for (int i = from; i <= to; i++) {
            l.add(String.format("%2d  *", i));
        }
        return l;
    }

    @Test
    void hopLimitExceededFromEachRouterThenTheDestination() {
        DataPlane p = line("", BACK6, "");
        List<String> want = List.of(" 1  fd00:1::1", " 2  fd00:2::2", " 3  fd00:3::2");
        assertEquals(want, trace(p, "fd00:3::2", Proto.UDP, null));
        assertEquals(want, trace(p, "fd00:3::2", Proto.ICMP, null));
        assertEquals(want, trace(p, "fd00:3::2", Proto.TCP, 81), "a reset from b ends the tcp trace");
        Traceroute t = p.ask(TraceQuestion.of(p, "a", "fd00:3::2", Proto.UDP, null));
        assertTrue(t.reached());
        assertEquals(80, t.length(), "traceroute's IPv6 probes are 80 bytes long");
        assertEquals("traceroute -n fd00:3::2", t.command());
        assertEquals("sends time-exceeded: the TTL of 1 runs out there", t.probes().get(0).why());
        assertEquals("sends port-unreachable: the probe is delivered there, and nothing listens on udp 33436", t.probes().get(2).why());
    }

    @Test
    void rejectRoutesAnswerNoRouteAndAdminProhibited() {
        // measured: an IPv6 `unreachable` route sends ICMPv6 no route (code 0, !N), not IPv4's host unreachable (!H)
        // nor reject route (code 6); `prohibit` sends administratively prohibited (code 1, !X); a blackhole is silent
        DataPlane p = line("route unreachable fd00:91::/64\n  route prohibit fd00:92::/64\n  route blackhole fd00:93::/64", BACK6, "");
        assertEquals(List.of(" 1  fd00:1::1 !N"), trace(p, "fd00:91::1", Proto.UDP, null));
        assertEquals(List.of(" 1  fd00:1::1 !X"), trace(p, "fd00:92::1", Proto.UDP, null));
        assertEquals(List.of(" 1  fd00:1::1 !X"), trace(p, "fd00:92::1", Proto.ICMP, null));
        assertEquals(stars(List.of(), 1, 30), trace(p, "fd00:93::1", Proto.UDP, null));
        // r2 has no route for fd00:99::1
        assertEquals(List.of(" 1  fd00:1::1", " 2  fd00:2::2 !N"), trace(p, "fd00:99::1", Proto.UDP, null));
        assertEquals(List.of(" 1  fd00:1::1", " 2  fd00:2::2 !N"), trace(p, "fd00:99::1", Proto.ICMP, null));
        Traceroute t = p.ask(TraceQuestion.of(p, "a", "fd00:91::1", Proto.UDP, null));
        assertFalse(t.reached());
        assertTrue(t.probes().get(0).why().startsWith("sends no-route: unreachable route fd00:91::/64"), t.probes().get(0).why());
    }

    @Test
    void aRouterWithoutForwardingStillAnswersWhereItHasNoRoute() {
        // measured with net.ipv6.conf.all.forwarding 0 on r2: silent for fd00:3::2 (routed), !N for fd00:99::1 (no
        // route), !X for a prohibit route: IPv6 routes first and asks forwarding only in ip6_forward
        DataPlane p = plane(LINE6.formatted("", BACK6 + "\n  route prohibit fd00:95::/64", "", "", "").replace("node r2 {\n  forwarding", "node r2 {"));
        assertEquals(stars(List.of(" 1  fd00:1::1"), 2, 30), trace(p, "fd00:3::2", Proto.UDP, null));
        assertEquals(List.of(" 1  fd00:1::1", " 2  fd00:2::2 !N"), trace(p, "fd00:99::1", Proto.UDP, null));
        assertEquals(List.of(" 1  fd00:1::1", " 2  fd00:2::2 !X"), trace(p, "fd00:95::1", Proto.UDP, null));
    }

    @Test
    void aNeighbourThatDoesNotAnswerIsAddressUnreachable() {
        DataPlane p = line("", BACK6, "");
        assertEquals(List.of(" 1  fd00:1::1", " 2  fd00:2::2", " 3  fd00:2::2 !H"), trace(p, "fd00:3::9", Proto.UDP, null));
        assertEquals(List.of(" 1  fd00:1::1", " 2  fd00:2::2", " 3  fd00:2::2 !H"), trace(p, "fd00:3::9", Proto.ICMP, null));
        // on the prober itself (measured: fd00:1::9, on a's own link): its own address answers
        assertEquals(List.of(" 1  fd00:1::2 !H"), trace(p, "fd00:1::9", Proto.UDP, null));
    }

    @Test
    void neighbourDiscoveryDroppedByAFilterIsAddressUnreachableToo() {
        // b's input chain takes no ICMPv6: r2's solicitations for fd00:3::2 go unanswered
        DataPlane p = line("", BACK6, "firewall input policy drop { accept proto udp }");
        assertEquals(List.of(" 1  fd00:1::1", " 2  fd00:2::2", " 3  fd00:2::2 !H"), trace(p, "fd00:3::2", Proto.UDP, null));
    }

    @Test
    void aNeighbourWhoseFilterDropsSolicitationsIsAddressUnreachableFromTheProber() {
        // measured (h0 -- h1, h1's input policy drop accepting only IPv4 and ICMP): `1  fd00:1::10 !H` after 3 s, as
        // for an address nobody has; in the generated topology (seed 207154) where the kernel showed `*`, concurrent
        // traces had shared neighbour tables (KernelTracerouteTest now asks again only after all have ended)
        DataPlane p = plane("""
                node h0 { iface e1 { address fd00:1::10/64 } }
                node h1 {
                  iface e1 { address fd00:1::11/64 }
                  firewall input policy drop { accept from 10.1.0.0/24  accept proto icmp }
                }
                link h0:e1 -- h1:e1
                """);
        assertEquals(List.of(" 1  fd00:1::10 !H"), traceFrom(p, "h0", "fd00:1::11", Proto.UDP));
        assertEquals(List.of(" 1  fd00:1::10 !H"), traceFrom(p, "h0", "fd00:1::11", Proto.ICMP));
    }

    private static List<String> traceFrom(DataPlane p, String from, String to, Proto proto) {
        return lines(p.ask(TraceQuestion.of(p, from, to, proto, null)));
    }

    @Test
    void aRejectIsPortUnreachableWithoutMarker() {
        // nftables' inet reject is icmpx port-unreachable: ICMPv6 code 4 (measured with nft counters), for -I and -T too
        DataPlane p = line("", BACK6 + "\n  firewall forward policy accept { reject to fd00:3::2/128 }", "");
        List<String> want = List.of(" 1  fd00:1::1", " 2  fd00:2::2", " 3  fd00:2::2");
        assertEquals(want, trace(p, "fd00:3::2", Proto.UDP, null));
        assertEquals(want, trace(p, "fd00:3::2", Proto.ICMP, null));
        assertEquals(want, trace(p, "fd00:3::2", Proto.TCP, 80));
        assertFalse(p.ask(TraceQuestion.of(p, "a", "fd00:3::2", Proto.UDP, null)).reached());
    }

    @Test
    void aRouterNeverFragmentsPacketTooBig() {
        // r2:e2 has MTU 1280: a 1400-byte probe gets packet too big from r2 whether or not it may be fragmented (measured:
        // `traceroute fd00:3::2 1400` and with -F both show `3  fd00:2::2 !F-1280`)
        DataPlane p = plane(LINE6.formatted("", BACK6, "", "mtu 1280", ""));
        for (boolean df : new boolean[] {false, true}) {
            Traceroute t = p.ask(new TraceQuestion("a", p.target("fd00:3::2"), Proto.UDP, null, 30, 1400, df));
            assertEquals(List.of(" 1  fd00:1::1", " 2  fd00:2::2", " 3  fd00:2::2 !F-1280"), lines(t), "df " + df);
            assertTrue(t.probes().get(2).why().contains("an IPv6 router does not fragment, packet too big"), t.probes().get(2).why());
        }
        assertEquals(List.of(" 1  fd00:1::1", " 2  fd00:2::2", " 3  fd00:3::2"),
                lines(p.ask(new TraceQuestion("a", p.target("fd00:3::2"), Proto.UDP, null, 30, 1280, false))));
    }

    @Test
    void theErrorsSourceIsIpv6SourceSelectionForTheRouteBack() {
        // measured: fd00:1::1/64 then fd00:1::5/64 on r1:e1, both sharing 64 bits with fd00:1::2: the newer answers
        assertEquals(List.of(" 1  fd00:1::5", " 2  fd00:2::2", " 3  fd00:3::2"),
                trace(plane(LINE6.formatted("", BACK6, "", "", "fd00:1::5/64")), "fd00:3::2", Proto.UDP, null));
        // a /48 sharing more bits counts only up to its own prefix length: fd00:1::5/64 still wins
        assertEquals(List.of(" 1  fd00:1::5"),
                trace(plane(LINE6.formatted("", BACK6, "", "", "fd00:1::5/64 fd00:1:0:1::5/48")), "fd00:3::2", Proto.UDP, null).subList(0, 1));
        // the route back's src (measured with `fd00:1::/64 dev e1 src fd00:2::1`)
        assertEquals(List.of(" 1  fd00:2::1"),
                trace(line("route fd00:1::2/128 dev e1 src fd00:2::1", BACK6, ""), "fd00:3::2", Proto.UDP, null).subList(0, 1));
    }

    @Test
    void ipv6SourceSelectionPrefersTheOutgoingDeviceThenTheLongestPrefix() {
        DataPlane p = plane("""
                node r {
                  iface e1 { address fe80::2:2/64 }
                  iface e2 { address fd00:3::1/64 }
                  lo { address fd00:77::1/128 }
                }
                node x { iface e0 { address fd00:3::2/64 } }
                link r:e2 -- x:e0
                """);
        NodeState r = p.node("r");
        Addr to = addr("fd00:1::2");
        // measured: a router whose route back leaves by e1 (only link-local) answers from fd00:3::1 (30 bits shared with
        // fd00:1::2) rather than lo's fd00:77::1 (25 bits)
        assertEquals(addr("fd00:3::1"), Ipv6Source.select(r, r.dev("e1"), to));
        assertEquals(addr("fd00:77::1"), Ipv6Source.select(r, r.lo(), to), "an address of the outgoing device first");
        assertEquals(addr("fe80::2:2"), Ipv6Source.select(r, r.dev("e1"), addr("fe80::9")), "link-local to link-local, on the device");
        assertEquals(addr("fd00:3::1"), Ipv6Source.select(r, r.dev("e2"), addr("2001:db8::1")));
    }

    @Test
    void errorsComeBackThroughNat66Masquerade() {
        // r2 has no route to a: behind r1's masquerade its errors go to r1's fd00:2::1, which un-NATs them (RELATED)
        DataPlane p = line("nat masquerade out e2", "", "");
        assertEquals(List.of(" 1  fd00:1::1", " 2  fd00:2::2", " 3  fd00:3::2"), trace(p, "fd00:3::2", Proto.UDP, null));
        assertEquals(List.of(" 1  fd00:1::1", " 2  fd00:2::2", " 3  fd00:3::2"), trace(p, "fd00:3::2", Proto.ICMP, null));
        assertEquals(List.of(" 1  fd00:1::1", " 2  fd00:2::2 !N"), trace(p, "fd00:99::1", Proto.UDP, null));
    }

    private static Addr addr(String s) {
        return Addr.of(new inet.ipaddr.IPAddressString(s).getAddress());
    }

    @Test
    void aLinkLocalSourceIsNotForwardedOffItsLinkBeyondScope() {
        // measured: a node whose only address is link-local pings through r1: "From fe80::…%e0 icmp_seq=1 Destination
        // unreachable: Beyond scope of source address" (ICMPv6 1/2, r1's Icmp6OutDestUnreachs 2 for two pings,
        // Ip6OutForwDatagrams 0); traceroute -I and UDP: " 1  fe80::…%e0" then " 2  fe80::…%e0 !H". The kernel answers
        // from r1's own EUI-64 address (newer than fe80::1 and as good a match), which no file can name, so the
        // simulator's hop address is the declared fe80::1. r1's interface to a comes second, so the error must leave
        // by the interface the probe came in on (its scope), not by the first fe80::/64 route.
        DataPlane p = plane("""
                node a { iface e0 { address fe80::2/64 }  route default via fe80::1 dev e0 }
                node r1 { forwarding  iface e1 { address fd00:9::1/64 }  iface e0 { address fd00:1::1/64 fe80::1/64 } }
                node z { iface e0 { address fd00:9::2/64 }  route default via fd00:9::1 }
                link a:e0 -- r1:e0
                link r1:e1 -- z:e0
                """);
        List<String> want = List.of(" 1  fe80::1", " 2  fe80::1 !H");
        assertEquals(want, trace(p, "fd00:9::2", Proto.ICMP, null));
        assertEquals(want, trace(p, "fd00:9::2", Proto.UDP, null));
        Traceroute t = p.ask(TraceQuestion.of(p, "a", "fd00:9::2", Proto.ICMP, null));
        assertEquals("sends beyond-scope: the source fe80::2 is link-local: r1 does not forward it from e0 out e1 (beyond scope "
                + "of source address)", t.probes().get(1).why());
        SemanticsTest.noReach(p, "a", "fd00:9::2", "beyond scope of source address");
    }
}
