package dev.topoc.backends.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.Compiler;
import dev.topoc.compiler.model.Proto;
import dev.topoc.compiler.syntax.SourceFile;
import org.junit.jupiter.api.Test;

/** One test per semantic rule of the simulator, each named by its rule; drop reasons are asserted by their words. */
class SemanticsTest {
    static DataPlane plane(String dsl) {
        Compilation c = Compiler.compile(new SourceFile("t.topo", dsl));
        assertTrue(c.ok(), c.diagnostics().all().toString());
        return DataPlane.of(c.model());
    }

    /**
     * A plane of a topology that validation rejects on purpose (e.g. a routing loop, to watch TTL end
     * it): the model is complete, since resolution succeeded; only the expected codes may be reported.
     */
    static DataPlane planeDespite(String dsl, dev.topoc.compiler.diag.Code expected) {
        Compilation c = Compiler.compile(new SourceFile("t.topo", dsl));
        assertTrue(c.model() != null && c.diagnostics().all().stream().allMatch(d -> d.code() == expected)
                && !c.diagnostics().isEmpty(), c.diagnostics().all().toString());
        return DataPlane.of(c.model());
    }

    static void reaches(DataPlane f, String from, String to) {
        Trace t = f.ask(PingQuestion.of(f, from, to, Proto.ICMP, null));
        assertTrue(t.reaches(), t.summary() + "\n" + t.hops());
    }

    static Trace noReach(DataPlane f, String from, String to, String reasonPart) {
        Trace t = f.ask(PingQuestion.of(f, from, to, Proto.ICMP, null));
        assertFalse(t.reaches(), t.summary());
        assertTrue(t.reason().contains(reasonPart), "reason was: " + t.reason());
        return t;
    }

    static final String ROUTER = """
            node a { iface eth0 { address 10.1.0.2/24 }  route default via 10.1.0.1 }
            node r {
              %s
              iface e1 { address 10.1.0.1/24 }
              iface e2 { address 10.2.0.1/24 }
              %s
            }
            node b { iface eth0 { address 10.2.0.2/24 }  route default via 10.2.0.1 }
            link a:eth0 -- r:e1
            link b:eth0 -- r:e2
            """;

    @Test
    void vethPairDeliversBothWays() {
        DataPlane f = plane("node a { iface x { address 10.0.0.1/24 } }\nnode b { iface y { address 10.0.0.2/24 } }\nlink a:x -- b:y\n");
        reaches(f, "a", "b");
        reaches(f, "b", "10.0.0.1");
        noReach(f, "a", "10.0.0.9", "no node has this address");
    }

    @Test
    void forwardingOffDropsForwardedPacketsButDeliversLocalOnes() {
        DataPlane f = plane(ROUTER.formatted("", ""));
        noReach(f, "a", "b", "forwarding disabled on r (t.topo:2)");
        reaches(f, "a", "10.2.0.1");
        reaches(plane(ROUTER.formatted("forwarding", "")), "a", "b");
    }

    @Test
    void firewallRuleDropNamesItsLine() {
        DataPlane f = plane(ROUTER.formatted("forwarding", "firewall forward policy accept { drop from 10.1.0.2/32 }"));
        noReach(f, "a", "b", "dropped by firewall rule at t.topo:6:");
    }

    @Test
    void chainPolicyDropsWhatNoRuleAccepts() {
        DataPlane f = plane(ROUTER.formatted("forwarding", "firewall input policy drop"));
        noReach(f, "a", "10.1.0.1", "dropped by the input policy drop of r");
        reaches(f, "a", "b");
    }

    @Test
    void rejectRuleRejects() {
        DataPlane f = plane(ROUTER.formatted("forwarding", "firewall forward { reject proto icmp }"));
        noReach(f, "a", "b", "rejected by firewall rule at t.topo:6");
    }

    @Test
    void statefulFilterLetsRepliesOfOutgoingConnectionsIn() {
        DataPlane f = plane(ROUTER.formatted("forwarding", "firewall forward policy drop { accept in e1  accept state established }"));
        reaches(f, "a", "b");
        noReach(f, "b", "a", "dropped by the forward policy drop of r");
    }

    @Test
    void conntrackMarksRepliesWithoutAConnectionInvalid() {
        // the reply from b to a takes another way (through r2), where it has no connection: invalid, dropped
        DataPlane f = plane("""
                node a { iface e1 { address 10.1.0.2/24 }  iface e2 { address 10.3.0.2/24 }  route 10.2.0.0/24 via 10.1.0.1 }
                node r { forwarding  iface e1 { address 10.1.0.1/24 }  iface e2 { address 10.2.0.1/24 } }
                node r2 { forwarding  iface e1 { address 10.3.0.1/24 }  iface e2 { address 10.4.0.1/24 }  route 10.1.0.0/24 via 10.3.0.2
                  firewall forward policy accept { drop state invalid } }
                node b { iface e1 { address 10.2.0.2/24 }  iface e2 { address 10.4.0.2/24 }  route 10.1.0.0/24 via 10.4.0.1 }
                link a:e1 -- r:e1
                link r:e2 -- b:e1
                link a:e2 -- r2:e1
                link r2:e2 -- b:e2
                """);
        Trace t = noReach(f, "a", "10.2.0.2", "dropped by firewall rule at t.topo:4:");
        assertTrue(t.hops().stream().anyMatch(h -> h.text().contains("INVALID")), t.hops().toString());
    }

    @Test
    void noRouteNamesTheTablesConsulted() {
        DataPlane f = plane("""
                node edge { iface e { address 10.1.0.1/24 }  rule priority 10 to 10.9.0.0/16 lookup 100
                  route 10.9.128.0/17 via 10.1.0.2 table 100 }
                node n { iface e { address 10.1.0.2/24 } }
                link edge:e -- n:e
                """);
        noReach(f, "edge", "10.9.0.0", "no route to 10.9.0.0 in table 100, main on edge");
    }

    @Test
    void policyRulesGoByPriorityBeforeMain() {
        DataPlane f = plane("""
                node r { forwarding  iface l { address 10.0.0.1/24 }  iface u1 { address 10.1.0.1/24 }  iface u2 { address 10.2.0.1/24 }
                  route default via 10.2.0.2
                  route default via 10.1.0.2 table 7
                  rule priority 50 from 10.0.0.5/32 lookup 7 }
                node h5 { iface e { address 10.0.0.5/24 }  route default via 10.0.0.1 }
                node i1 external { iface e { address 10.1.0.2/24 }  lo { address 192.0.2.1/32 }  route 10.0.0.0/24 via 10.1.0.1 }
                node i2 external { iface e { address 10.2.0.2/24 }  route 10.0.0.0/24 via 10.2.0.1 }
                link h5:e -- r:l
                link r:u1 -- i1:e
                link r:u2 -- i2:e
                """);
        Trace t = f.ask(PingQuestion.of(f, "h5", "192.0.2.1", Proto.ICMP, null));
        assertTrue(t.reaches(), t.summary());
        assertTrue(t.path().contains("i1") && !t.path().contains("i2"), t.path().toString());
    }

    @Test
    void longestPrefixWinsThenLowestMetric() {
        DataPlane f = plane("""
                node pc { iface e { address 10.0.0.2/24 }  route 10.0.0.0/8 via 10.0.0.1  route blackhole 10.20.2.0/24
                  route 10.30.0.0/16 via 10.0.0.1 metric 10  route unreachable 10.30.0.0/16 metric 20 }
                node gw { forwarding  iface e { address 10.0.0.1/24 }  iface f { address 10.20.0.1/16 10.30.0.1/16 } }
                node lab { iface e { address 10.20.1.10/16 10.20.2.10/16 10.30.0.10/16 }  route default via 10.20.0.1 }
                link pc:e -- gw:e
                link gw:f -- lab:e
                """);
        reaches(f, "pc", "10.20.1.10");
        noReach(f, "pc", "10.20.2.10", "blackhole route 10.20.2.0/24 at t.topo:1:");
        reaches(f, "pc", "10.30.0.10");
    }

    @Test
    void unreachableAndProhibitRoutesStopWithTheirType() {
        DataPlane f = plane("node a { iface e { address 10.0.0.1/24 }  route unreachable 10.9.0.0/16  route prohibit 10.8.0.0/16 }\n"
                + "node b { iface e { address 10.0.0.2/24 } }\nlink a:e -- b:e\n");
        noReach(f, "a", "10.9.1.1", "unreachable route 10.9.0.0/16");
        noReach(f, "a", "10.8.1.1", "prohibit route 10.8.0.0/16");
    }

    @Test
    void ttlEndsRoutingLoops() {
        DataPlane f = planeDespite("""
                node a { iface e { address 10.0.0.1/24 }  route default via 10.0.0.2 }
                node r1 { forwarding  iface e { address 10.0.0.2/24 }  iface f { address 10.1.0.1/24 }  route 10.9.0.0/16 via 10.1.0.2 }
                node r2 { forwarding  iface f { address 10.1.0.2/24 }  route 10.9.0.0/16 via 10.1.0.1 }
                link a:e -- r1:e
                link r1:f -- r2:f
                """, dev.topoc.compiler.diag.Code.ROUTING_LOOP);
        noReach(f, "a", "10.9.0.1", "TTL exceeded");
    }

    @Test
    void addressOnABridgePortIsDead() {
        DataPlane f = plane("""
                node host { bridge br0  iface veth0 { address 192.168.0.1/24  master br0 } }
                node k { iface veth1 { address 192.168.0.2/24 } }
                link host:veth0 -- k:veth1
                """);
        noReach(f, "k", "192.168.0.1", "address on a bridge port");
        noReach(f, "host", "192.168.0.2", "address on a bridge port");
    }

    @Test
    void bridgeFloodsToEveryUpPortOnly() {
        String topo = """
                node sw { bridge br0  iface p1 { master br0 }  iface p2 { master br0  %s } }
                node a { iface e { address 10.0.0.1/24 } }
                node b { iface e { address 10.0.0.2/24 } }
                link a:e -- sw:p1
                link b:e -- sw:p2
                """;
        reaches(plane(topo.formatted("")), "a", "b");
        noReach(plane(topo.formatted("up false")), "a", "b", "sw:p2 is down (`up false` at t.topo:1:");
    }

    @Test
    void vlanTagsMustMatch() {
        DataPlane f = plane("""
                node a { iface e { address 172.16.0.1/24 }  vlan e.200 parent e id 200 { address 10.20.0.1/24 } }
                node b { iface e { address 172.16.0.2/24 }  vlan e.300 parent e id 300 { address 10.20.0.2/24 } }
                link a:e -- b:e
                """);
        reaches(f, "a", "172.16.0.2");
        noReach(f, "a", "10.20.0.2", "a frame tagged VLAN 200 reaches b:e, which has VLAN 300 but not 200");
    }

    @Test
    void vxlanVniMustMatch() {
        String topo = """
                node a { iface e { address 172.16.0.1/24 }  vxlan vx vni 42 local 172.16.0.1 remote 172.16.0.2 dev e { address 10.9.0.1/24 } }
                node b { iface e { address 172.16.0.2/24 }  vxlan vx vni %d local 172.16.0.2 remote 172.16.0.1 dev e { address 10.9.0.2/24 } }
                link a:e -- b:e
                """;
        reaches(plane(topo.formatted(42)), "a", "10.9.0.2");
        noReach(plane(topo.formatted(43)), "a", "10.9.0.2", "VNI 42 ≠ 43");
    }

    static final String MACVLAN = """
            node p { iface eth physical { address 10.4.0.1/24 } }
            node lan external { %s }
            node x { macvlan m1 parent p:eth mode %s { address 10.4.0.2/24 } }
            node y { macvlan m2 parent p:eth mode %s { address 10.4.0.3/24 } }
            link p:eth -- lan:e
            """;

    @Test
    void macvlanBridgeSiblingsTalkButNeverToTheirParent() {
        DataPlane f = plane(MACVLAN.formatted("iface e { address 10.4.0.254/24 }", "bridge", "bridge"));
        reaches(f, "x", "10.4.0.3");
        reaches(f, "x", "10.4.0.254");
        noReach(f, "x", "10.4.0.1", "a macvlan never reaches its own parent");
        noReach(f, "p", "10.4.0.2", "no ARP reply");
    }

    @Test
    void macvlanPrivateModeIsolatesSiblingsEvenThroughAHairpin() {
        String lan = "bridge sw { address 10.4.0.254/24 }  iface e { master sw  hairpin }";
        noReach(plane(MACVLAN.formatted(lan, "private", "private")), "x", "10.4.0.3", "macvlan private mode isolates x:m1 and y:m2");
    }

    /**
     * Found by KernelAgreementProperties (measured on kernel 6.18): behind a hairpinning switch, the parent's ARP
     * request comes back to every child, private ones included, and a child's unicast answer comes back to the
     * parent's stack (macvlan switches unicast by destination address, whatever the mode); but a private child's
     * own broadcast comes back to no one, so it cannot start a conversation with its parent, and a bridge-mode
     * child's broadcast comes back to the parent but not to a private sibling.
     */
    @Test
    void macvlanParentAndChildrenTalkThroughAHairpinWhenTheParentOrANonPrivateChildAsksFirst() {
        DataPlane f = plane(MACVLAN.formatted("bridge sw  iface e { master sw  hairpin }", "private", "bridge"));
        reaches(f, "p", "10.4.0.2");
        reaches(f, "p", "10.4.0.3");
        reaches(f, "y", "10.4.0.1");
        noReach(f, "x", "10.4.0.1", "no ARP reply");
        noReach(f, "x", "10.4.0.3", "macvlan private mode isolates x:m1 and y:m2");
        noReach(f, "y", "10.4.0.2", "no ARP reply");
        Matrix m = f.ask(new MatrixQuestion());
        int p = m.nodes().indexOf("p");
        int x = m.nodes().indexOf("x");
        assertTrue(m.reach()[p][x] && !m.reach()[x][p], "matrix: p reaches x, x does not reach p");
    }

    @Test
    void macvlanVepaNeedsAHairpinningSwitch() {
        noReach(plane(MACVLAN.formatted("iface e { address 10.4.0.254/24 }", "vepa", "vepa")), "x", "10.4.0.3", "vepa");
        DataPlane f = plane(MACVLAN.formatted("bridge sw { address 10.4.0.254/24 }  iface e { master sw  hairpin }", "vepa", "vepa"));
        Trace t = f.ask(PingQuestion.of(f, "x", "10.4.0.3", Proto.ICMP, null));
        assertTrue(t.reaches() && t.path().contains("lan"), t.summary() + " " + t.path());
    }

    @Test
    void macvlanPassthruTakesEveryFrameFromItsParent() {
        DataPlane f = plane("""
                node p { iface eth physical { address 10.4.0.1/24 } }
                node lan external { iface e { address 10.4.0.254/24 } }
                node x { macvlan m1 parent p:eth mode passthru { address 10.4.0.2/24 } }
                link p:eth -- lan:e
                """);
        reaches(f, "x", "10.4.0.254");
        noReach(f, "p", "10.4.0.254", "passthru mode takes every frame arriving on p:eth");
    }

    @Test
    void ipvlanL3SiblingsAreSwitchedAndOthersRoutedByTheParent() {
        DataPlane f = plane("""
                node p { iface eth physical { address 10.7.0.1/24 }  route default via 10.7.0.254 }
                node lan external { iface e { address 10.7.0.254/24 }  lo { address 192.0.2.1/32 }  route 10.151.0.0/16 via 10.7.0.1 }
                node x { ipvlan i1 parent p:eth mode l3 { address 10.151.1.10/24 }  route default dev i1 }
                node y { ipvlan i2 parent p:eth mode l3 { address 10.151.2.10/24 }  route default dev i2 }
                link p:eth -- lan:e
                """);
        reaches(f, "x", "10.151.2.10");
        reaches(f, "x", "192.0.2.1");
    }

    @Test
    void loopbackSubnetOnLoMakesTheWholeSubnetLocal() {
        DataPlane f = plane("""
                node h { iface v { address 192.168.1.254/24 } }
                node n { lo { address 192.168.1.1/24 }  iface v { address 192.168.1.2/24 } }
                link h:v -- n:v
                """);
        Trace t = f.ask(PingQuestion.of(f, "n", "192.168.1.77", Proto.ICMP, null));
        assertTrue(t.reaches() && "n".equals(t.lands()), t.summary());
        noReach(f, "h", "192.168.1.2", "the reply to 192.168.1.254 is delivered to n, not to h");
    }

    @Test
    void martianSourceIsDropped() {
        // b forwards a's own connection back to a: a receives a packet from its own address
        DataPlane f = plane("""
                node a { iface e { address 10.0.0.1/24 } }
                node b { forwarding  iface e { address 10.0.0.2/24 }  nat dnat tcp port 8080 to 10.0.0.1:80 }
                link a:e -- b:e
                """);
        Trace t = f.ask(PingQuestion.of(f, "a", "10.0.0.2", Proto.TCP, 8080));
        assertFalse(t.reaches());
        assertTrue(t.reason().startsWith("martian source: 10.0.0.1 is an address of a"), t.reason());
    }

    @Test
    void masqueradeRewritesAndRepliesAreUnNatted() {
        String topo = """
                node lan1 { iface e { address 192.168.1.100/24 }  route default via 192.168.1.1 }
                node r { forwarding  iface e0 { address 203.0.113.10/24 }  iface e1 { address 192.168.1.1/24 } %s }
                node up external { iface e { address 203.0.113.1/24 } }
                link lan1:e -- r:e1
                link r:e0 -- up:e
                """;
        DataPlane masq = f(topo.formatted("nat masquerade out e0"));
        Trace t = masq.ask(PingQuestion.of(masq, "lan1", "203.0.113.1", Proto.ICMP, null));
        assertTrue(t.reaches(), t.summary());
        assertTrue(t.hops().stream().anyMatch(h -> h.text().startsWith("masquerade source 192.168.1.100 -> 203.0.113.10")), t.hops().toString());
        assertTrue(t.hops().stream().anyMatch(h -> h.text().startsWith("un-SNAT")), t.hops().toString());
        noReach(f(topo.formatted("")), "lan1", "203.0.113.1", "no route to 192.168.1.100");
    }

    @Test
    void dnatForwardsAConnectionAndLandsOnTheServer() {
        DataPlane f = plane("""
                node r { forwarding  iface e0 { address 203.0.113.10/24 }  iface e1 { address 192.168.1.1/24 }
                  nat dnat tcp port 8080 to 192.168.1.100:80
                  listen tcp 22 }
                node s { iface e { address 192.168.1.100/24 }  route default via 192.168.1.1  listen tcp 80 }
                node c external { iface e { address 203.0.113.50/24 } }
                link s:e -- r:e1
                link r:e0 -- c:e
                """);
        Trace t = f.ask(PingQuestion.of(f, "c", "203.0.113.10", Proto.TCP, 8080));
        assertTrue(t.reaches(), t.summary());
        assertEquals("s", t.lands());
        Trace other = f.ask(PingQuestion.of(f, "c", "203.0.113.10", Proto.TCP, 22));
        assertTrue(other.reaches());
        assertEquals("r", other.lands());
    }

    /** The kernel resets a SYN to a port where nothing listens (measured: see docs/simulator.md, "Listeners"). */
    private static final String SERVICES = """
            node r { forwarding  iface e0 { address 203.0.113.10/24 }  iface e1 { address 192.168.1.1/24 }
              nat dnat tcp port 8080 to 192.168.1.100:80
              nat dnat tcp port 8081 to 192.168.1.100:81
              listen udp 53 on 192.168.1.1 }
            node s { iface e { address 192.168.1.100/24 }  route default via 192.168.1.1
              listen tcp 80
              listen udp 5000-5010 }
            node c external { iface e { address 203.0.113.50/24 }  route 192.168.1.0/24 via 203.0.113.10 }
            link s:e -- r:e1
            link r:e0 -- c:e
            """;

    @Test
    void aPortWhereNothingListensIsRefusedWhereThePacketLands() {
        DataPlane f = plane(SERVICES);
        Trace tcp = f.ask(PingQuestion.of(f, "c", "203.0.113.10", Proto.TCP, 9090));
        assertFalse(tcp.reaches());
        assertEquals("connection refused: nothing listens on tcp 9090 at r (reset)", tcp.reason());
        assertEquals("r", tcp.lands());
        assertTrue(tcp.hops().get(tcp.hops().size() - 1).text().startsWith("refused: "), tcp.hops().toString());
        // after DNAT, the port that counts is the rewritten one, on the node it lands on
        Trace dnat = f.ask(PingQuestion.of(f, "c", "203.0.113.10", Proto.TCP, 8081));
        assertEquals("connection refused: nothing listens on tcp 81 at s (reset)", dnat.reason());
        assertEquals("s", dnat.lands());
        assertTrue(f.ask(PingQuestion.of(f, "c", "203.0.113.10", Proto.TCP, 8080)).reaches());
    }

    @Test
    void udpIsAnsweredByListenersAndRangesAndRefusedWithPortUnreachable() {
        DataPlane f = plane(SERVICES);
        assertTrue(f.ask(PingQuestion.of(f, "c", "192.168.1.100", Proto.UDP, 5007)).reaches());
        Trace closed = f.ask(PingQuestion.of(f, "c", "192.168.1.100", Proto.UDP, 5011));
        assertEquals("connection refused: nothing listens on udp 5011 at s (port unreachable)", closed.reason());
        // tcp 80 listens, udp 80 does not
        assertFalse(f.ask(PingQuestion.of(f, "c", "192.168.1.100", Proto.UDP, 80)).reaches());
    }

    @Test
    void aListenOnOneAddressAnswersOnlyThere() {
        DataPlane f = plane(SERVICES);
        assertTrue(f.ask(PingQuestion.of(f, "c", "192.168.1.1", Proto.UDP, 53)).reaches());
        Trace other = f.ask(PingQuestion.of(f, "c", "203.0.113.10", Proto.UDP, 53));
        assertEquals("connection refused: nothing listens on udp 53 at r (port unreachable)", other.reason());
    }

    /** Measured (issue 14): an address on an admin-down interface keeps its local route and answers through another. */
    @Test
    void downInterfaceAddressesStayLocal() {
        DataPlane f = plane("node a { iface e { address 10.0.0.1/24 }  iface d { address 10.5.0.1/24  up false } }\n"
                + "node b { iface e { address 10.0.0.2/24 }  route default via 10.0.0.1 }\nlink a:e -- b:e\n");
        reaches(f, "b", "10.5.0.1");
    }

    private static DataPlane f(String dsl) {
        return plane(dsl);
    }
}
