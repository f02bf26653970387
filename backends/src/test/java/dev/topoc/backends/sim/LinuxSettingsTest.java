package dev.topoc.backends.sim;

import static dev.topoc.backends.sim.SemanticsTest.noReach;
import static dev.topoc.backends.sim.SemanticsTest.plane;
import static dev.topoc.backends.sim.SemanticsTest.reaches;

import dev.topoc.compiler.model.Proto;
import org.junit.jupiter.api.Test;

/**
 * One test per kernel setting or Linux rule of issue 14 the simulator models, each with its drop reason. Every
 * expected answer was measured first on this project's kernel in throw-away namespaces (the same topologies,
 * built by hand with ip and sysctl); {@link KernelAgreementTest} builds several of them again for real.
 */
class LinuxSettingsTest {
    private static String router(String settings) {
        return String.format(SemanticsTest.ROUTER, settings, "");
    }

    @Test
    void ipForwardSysctlForwardsLikeTheForwardingKeyword() {
        reaches(plane(router("sysctl net.ipv4.ip_forward 1")), "a", "b");
        reaches(plane(router("sysctl net.ipv4.conf.all.forwarding 1")), "a", "b");
        noReach(plane(router("")), "a", "b", "forwarding disabled on r");
    }

    @Test
    void forwardingIsDecidedByTheIncomingInterface() {
        // measured: conf.e1.forwarding 0 stops a -> b at e1 (the request) and b -> a (its reply enters e1)
        DataPlane f = plane(router("forwarding\n  sysctl net.ipv4.conf.e1.forwarding 0"));
        noReach(f, "a", "b", "forwarding disabled on r:e1");
        noReach(f, "b", "a", "forwarding disabled on r:e1");
        // measured: with ip_forward 0, both interfaces' own forwarding 1 forward
        reaches(plane(router("sysctl net.ipv4.conf.e1.forwarding 1\n  sysctl net.ipv4.conf.e2.forwarding 1")), "a", "b");
    }

    @Test
    void aDirectedBroadcastOneRouterAwayIsAnsweredOnlyWithIcmpEchoIgnoreBroadcasts0() {
        // measured: a pings 10.2.0.255 (r:e2's broadcast): no answer with the default 1; with 0, r answers from
        // 10.1.0.1 (its address on the incoming interface), which ping counts as received (exit 0)
        noReach(plane(router("forwarding")), "a", "10.2.0.255", "net.ipv4.icmp_echo_ignore_broadcasts is 1 on r");
        DataPlane f = plane(router("forwarding\n  sysctl net.ipv4.icmp_echo_ignore_broadcasts 0"));
        Trace t = f.ask(PingQuestion.of(f, "a", "10.2.0.255", Proto.ICMP, null));
        org.junit.jupiter.api.Assertions.assertTrue(t.reaches(), t.summary());
        org.junit.jupiter.api.Assertions.assertEquals("r", t.lands());
        org.junit.jupiter.api.Assertions.assertTrue(t.hops().stream().anyMatch(h -> h.text().startsWith("sends 10.1.0.1 -> 10.1.0.2 icmp echo-reply")),
                t.hops().toString());
        // measured: a UDP traceroute to it gets no answer (no ICMP error answers a broadcast)
        Traceroute tr = f.ask(new TraceQuestion("a", f.target("10.2.0.255"), Proto.UDP, null, 3, 60, false));
        org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of(" 1  *", " 2  *", " 3  *"),
                tr.probes().stream().map(Traceroute.Probe::line).toList());
    }

    @Test
    void ipForwardWrittenAgainDoesNotResetAnInterface() {
        // inet_forward_change copies the global value only when it changes: ip_forward 1 after conf.e1.forwarding 0
        // (forwarding already on) leaves e1 off, as measured
        noReach(plane(router("forwarding\n  sysctl net.ipv4.conf.e1.forwarding 0\n  sysctl net.ipv4.ip_forward 1")), "a", "b",
                "forwarding disabled on r:e1");
    }

    private static final String RPF = """
            node a { iface eth0 { address 10.1.0.2/24 }  route default via 10.1.0.1 }
            node r {
              forwarding
              iface e1 { address 10.1.0.1/24 }
              iface e2 { address 10.2.0.1/24 }
              iface e3 { address 10.3.0.1/24 }
              route 10.7.0.0/24 via 10.3.0.2
              %s
            }
            node b { iface eth0 { address 10.2.0.2/24 }  lo { address 10.7.0.1/32 }  route default via 10.2.0.1 src 10.7.0.1 }
            node c { iface eth0 { address 10.3.0.2/24 } }
            link a:eth0 -- r:e1
            link b:eth0 -- r:e2
            link c:eth0 -- r:e3
            """;

    @Test
    void strictReversePathFilterWantsTheRouteBackByTheIncomingInterface() {
        // b sends from 10.7.0.1 into r:e2, but r routes 10.7.0.0/24 back out of e3: strict drops the request,
        // loose (a unicast route back exists) and off let it land on a (whose reply then goes to c)
        noReach(plane(RPF.formatted("sysctl net.ipv4.conf.e2.rp_filter 1")), "b", "a", "rp_filter strict on r:e2");
        for (String s : new String[] {"sysctl net.ipv4.conf.all.rp_filter 2", ""}) {
            DataPlane f = plane(RPF.formatted(s));
            Trace t = f.ask(PingQuestion.of(f, "b", "a", Proto.ICMP, null));
            org.junit.jupiter.api.Assertions.assertEquals("a", t.lands(), s + ": " + t.summary());
        }
    }

    @Test
    void looseReversePathFilterWantsAUnicastRouteBack() {
        String text = SemanticsTest.ROUTER.formatted("forwarding\n  sysctl net.ipv4.conf.all.rp_filter 2", "")
                .replace("node a { iface eth0 { address 10.1.0.2/24 }", "node a { iface eth0 { address 10.1.0.2/24 }  lo { address 10.8.0.1/32 }")
                .replace("route default via 10.1.0.1 }", "route default via 10.1.0.1  rule from 10.8.0.1 lookup main }");
        DataPlane f = plane(text);
        reaches(f, "a", "b");
        // a's packet from 10.8.0.1 (a `ping -I`-like source): r has no route back to 10.8.0.1
        Walk w = new Walk(f, true, 0);
        Walk.Pkt p = new Walk.Pkt();
        p.src = Addr.of(new inet.ipaddr.IPAddressString("10.8.0.1").getAddress());
        p.dst = Addr.of(new inet.ipaddr.IPAddressString("10.2.0.2").getAddress());
        p.proto = Proto.ICMP;
        org.junit.jupiter.api.Assertions.assertNull(w.output(f.node("a"), p));
        org.junit.jupiter.api.Assertions.assertTrue(w.reason.contains("rp_filter loose on r:e1: no unicast route back"), w.reason);
    }

    private static final String DNAT_LOCAL = """
            node a { iface eth0 { address 10.1.0.2/24 } }
            node r {
              iface e1 { address 10.1.0.1/24 }
              nat dnat tcp port 8080 to 127.0.0.1:80
              listen tcp 80
              %s
            }
            link a:eth0 -- r:e1
            """;

    @Test
    void dnatToLoopbackIsAMartianUnlessRouteLocalnet() {
        DataPlane off = plane(DNAT_LOCAL.formatted(""));
        Trace t = off.ask(PingQuestion.of(off, "a", "10.1.0.1", Proto.TCP, 8080));
        org.junit.jupiter.api.Assertions.assertFalse(t.reaches(), t.summary());
        org.junit.jupiter.api.Assertions.assertTrue(t.reason().contains("martian destination 127.0.0.1 arriving on r:e1"), t.reason());
        for (String on : new String[] {"sysctl net.ipv4.conf.all.route_localnet 1", "sysctl net.ipv4.conf.e1.route_localnet 1"}) {
            DataPlane f = plane(DNAT_LOCAL.formatted(on));
            Trace ok = f.ask(PingQuestion.of(f, "a", "10.1.0.1", Proto.TCP, 8080));
            org.junit.jupiter.api.Assertions.assertTrue(ok.reaches(), on + ": " + ok.summary() + "\n" + ok.hops());
        }
    }

    @Test
    void anAddressOnADownInterfaceStillAnswersThroughAnother() {
        DataPlane f = plane(router("forwarding\n  iface d0 { address 10.9.0.1/24  up false }"));
        reaches(f, "a", "10.9.0.1");
        reaches(f, "b", "r:d0");
    }

    @Test
    void loDownKeepsOthersReachingTheNodeButNotItself() {
        DataPlane f = plane(router("forwarding\n  lo { up false  address 192.0.2.9/32 }")
                .replace("route default via 10.1.0.1 }", "route default via 10.1.0.1 }\n"));
        reaches(f, "a", "10.1.0.1");
        reaches(f, "a", "192.0.2.9");
        noReach(f, "r", "10.1.0.1", "lo is down on r");
    }

    private static final String TWO_ON_ONE_SEGMENT = """
            node s { bridge br0  iface p1 { master br0 }  iface p2 { master br0 }  iface p3 { master br0 } }
            node a { iface eth0 { address 10.1.0.2/24 }  route 10.5.0.0/24 via 10.1.0.1 }
            node r {
              forwarding
              iface e1 { address 10.1.0.1/24 }
              iface e2 { address 10.5.0.1/24 }
              %s
            }
            node z { iface eth0 { address 10.5.0.2/24 }  route default via 10.5.0.1 }
            link a:eth0 -- s:p1
            link r:e1 -- s:p2
            link z:eth0 -- r:e2
            """;

    @Test
    void weakHostArpAnswersForAnotherInterfacesAddressUnlessArpIgnore() {
        // a asks ARP for 10.5.0.1 (r's e2 address) on the segment of r's e1: direct on-link via a device route
        String text = TWO_ON_ONE_SEGMENT.replace("route 10.5.0.0/24 via 10.1.0.1", "route 10.5.0.1/32 dev eth0");
        reaches(plane(text.formatted("")), "a", "10.5.0.1");
        noReach(plane(text.formatted("sysctl net.ipv4.conf.e1.arp_ignore 1")), "a", "10.5.0.1", "no ARP reply for 10.5.0.1");
    }

    @Test
    void proxyArpAnswersForWhatTheRouterRoutesElsewhere() {
        // a believes 10.5.0.0/24 is on its wire (device route): only proxy_arp on r:e1 makes it reach z
        String text = TWO_ON_ONE_SEGMENT.replace("route 10.5.0.0/24 via 10.1.0.1", "route 10.5.0.0/24 dev eth0")
                .replace("route default via 10.5.0.1", "route 10.1.0.0/24 via 10.5.0.1");
        noReach(plane(text.formatted("")), "a", "10.5.0.2", "no ARP reply for 10.5.0.2");
        reaches(plane(text.formatted("sysctl net.ipv4.conf.e1.proxy_arp 1")), "a", "10.5.0.2");
    }

    static final String FROM_RULE = """
            node a {
              iface e1 { address 10.1.0.2/24 }
              iface e2 { address 10.2.0.2/24 }
              route 192.0.2.1/32 via 10.1.0.1 src 10.2.0.2
              route 192.0.2.1/32 via 10.2.0.1 table 100
              rule from 10.2.0.2 lookup 100
            }
            node t1 { iface x { address 10.1.0.1/24 }  lo { address 192.0.2.1/32 }  route 10.2.0.0/24 via 10.1.0.2 }
            node t2 { iface x { address 10.2.0.1/24 }  lo { address 192.0.2.1/32 } }
            link a:e1 -- t1:x
            link a:e2 -- t2:x
            """;

    @Test
    void connectRoutesAgainWithItsSourceButARawPingDoesNot() {
        // measured: the ping arrives at t1 (main, the route's src), the TCP SYN at t2 (rule from 10.2.0.2)
        DataPlane f = plane(FROM_RULE);
        org.junit.jupiter.api.Assertions.assertEquals("t1", f.ask(PingQuestion.of(f, "a", "192.0.2.1", Proto.ICMP, null)).lands());
        org.junit.jupiter.api.Assertions.assertEquals("t2", f.ask(PingQuestion.of(f, "a", "192.0.2.1", Proto.TCP, 9)).lands());
        org.junit.jupiter.api.Assertions.assertEquals("t2", f.ask(PingQuestion.of(f, "a", "192.0.2.1", Proto.UDP, 9)).lands());
    }

    @Test
    void aVxlanReceivesOnEveryLocalAddressNotOnlyItsLocal() {
        // measured: b's tunnel sends to a's lo address 10.1.0.200; a's vx (local 10.1.0.2) decapsulates it
        reaches(plane("""
                node a {
                  iface e { address 10.1.0.2/24 }
                  lo { address 10.1.0.200/32 }
                  vxlan vx vni 100 local 10.1.0.2 remote 10.1.0.3 dev e { address 10.99.0.1/24 }
                }
                node b {
                  iface e { address 10.1.0.3/24 }
                  vxlan vx vni 100 local 10.1.0.3 remote 10.1.0.200 dev e { address 10.99.0.2/24 }
                }
                link a:e -- b:e
                """), "b", "10.99.0.1");
    }

    private static Trace sized(DataPlane f, String from, String to, int size, boolean df) {
        return f.ask(new PingQuestion(from, f.target(to), Proto.ICMP, null, size, df));
    }

    private static void sizedReaches(DataPlane f, String from, String to, int size, boolean df, boolean reach, String reason) {
        Trace t = sized(f, from, to, size, df);
        org.junit.jupiter.api.Assertions.assertEquals(reach, t.reaches(), size + (df ? " df" : "") + ": " + t.summary());
        if (reason != null) {
            org.junit.jupiter.api.Assertions.assertTrue(t.reason().contains(reason), "reason was: " + t.reason());
        }
    }

    @Test
    void aRouterDropsWhatExceedsTheOutgoingMtuWithDfAndFragmentsWithout() {
        // measured: r:e2 and b have MTU 1400; 1372 + 28 = 1400 bytes pass with DF, 1401 do not, and pass without DF
        DataPlane f = plane(router("forwarding").replace("iface e2 { address 10.2.0.1/24 }", "iface e2 { address 10.2.0.1/24  mtu 1400 }")
                .replace("node b { iface eth0 { address 10.2.0.2/24 }", "node b { iface eth0 { address 10.2.0.2/24  mtu 1400 }"));
        sizedReaches(f, "a", "b", 1372, true, true, null);
        sizedReaches(f, "a", "b", 1373, true, false, "1401 bytes exceed the MTU 1400 of r:e2 with DF set: frag needed");
        sizedReaches(f, "a", "b", 1373, false, true, null);
        // measured: the sender itself refuses (ping: local error: message too long)
        sizedReaches(f, "a", "10.1.0.1", 1473, true, false, "1501 bytes exceed the MTU 1500 of a:eth0 with DF set");
        sizedReaches(f, "a", "10.1.0.1", 1472, true, true, null);
    }

    @Test
    void aLinkWhoseEndsDifferLosesWhatTheSmallerEndCannotTake() {
        // measured: r:e1 has MTU 1400, a:eth0 1500; the receiver takes up to its MTU plus 4 bytes (a VLAN tag)
        DataPlane f = plane(router("forwarding").replace("iface e1 { address 10.1.0.1/24 }", "iface e1 { address 10.1.0.1/24  mtu 1400 }"));
        sizedReaches(f, "a", "10.1.0.1", 1376, true, true, null);
        sizedReaches(f, "a", "10.1.0.1", 1377, true, false, "a frame of 1405 bytes from a:eth0 exceeds the MTU 1400 of r:e1");
        sizedReaches(f, "a", "10.1.0.1", 1472, false, false, "exceeds the MTU 1400 of r:e1");
        // r's request is fragmented to 1400 and arrives; a's 1500-byte reply does not fit r:e1
        sizedReaches(f, "r", "10.1.0.2", 1472, false, false, "a frame of 1500 bytes from a:eth0 exceeds the MTU 1400 of r:e1");
    }

    @Test
    void aVxlanCarriesItsDevsMtuLessFiftyBytes() {
        DataPlane f = plane("""
                node a { iface e { address 10.1.0.2/24 }  vxlan vx vni 100 local 10.1.0.2 remote 10.1.0.3 dev e { address 10.99.0.1/24 } }
                node b { iface e { address 10.1.0.3/24 }  vxlan vx vni 100 local 10.1.0.3 remote 10.1.0.2 dev e { address 10.99.0.2/24 } }
                link a:e -- b:e
                """);
        sizedReaches(f, "a", "10.99.0.2", 1422, true, true, null);
        sizedReaches(f, "a", "10.99.0.2", 1423, true, false, "1451 bytes exceed the MTU 1450 of a:vx with DF set: frag needed");
    }

    @Test
    void anExpectGivesTheSizeAndDf() {
        String text = router("forwarding").replace("iface e2 { address 10.2.0.1/24 }", "iface e2 { address 10.2.0.1/24  mtu 1400 }")
                .replace("node b { iface eth0 { address 10.2.0.2/24 }", "node b { iface eth0 { address 10.2.0.2/24  mtu 1400 }")
                + "expect a -> b icmp size 1372 df reach\nexpect a -> b icmp size 1373 df noreach\nexpect a -> b icmp size 1373 reach\n";
        CheckReport r = plane(text).ask(CheckQuestion.all(dev.topoc.compiler.Compiler.compile(
                new dev.topoc.compiler.syntax.SourceFile("t.topo", text)).model()));
        org.junit.jupiter.api.Assertions.assertEquals(3, r.checks().size());
        r.checks().forEach(c -> org.junit.jupiter.api.Assertions.assertTrue(c.holds(), c.expectation() + ": " + c.message()));
    }
}
