package dev.topoc.backends.sim;

import static dev.topoc.backends.sim.SemanticsTest.noReach;
import static dev.topoc.backends.sim.SemanticsTest.plane;
import static dev.topoc.backends.sim.SemanticsTest.reaches;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.Compiler;
import dev.topoc.compiler.model.Proto;
import dev.topoc.compiler.syntax.SourceFile;
import org.junit.jupiter.api.Test;

/**
 * IPv6 as the kernel does it, one test per rule with its drop reason. Every answer was measured first on this
 * project's kernel (6.18) in throw-away namespaces with the same topology built by hand (ip -6, sysctl, nft).
 */
class Ipv6Test {
    /** a -- r -- b, dual-stack; %s: r's settings. */
    static final String ROUTER = """
            node a { iface e { address 10.1.0.1/24 fd00:1::1/64 }  route default via 10.1.0.254  route default via fd00:1::ff }
            node r {
              %s
              iface e1 { address 10.1.0.254/24 fd00:1::ff/64 }
              iface e2 { address 10.2.0.254/24 fd00:2::ff/64 }
            }
            node b { iface e { address 10.2.0.2/24 fd00:2::2/64 }  route default via 10.2.0.254  route default via fd00:2::ff }
            link a:e -- r:e1
            link b:e -- r:e2
            """;

    static String router(String settings) {
        return String.format(ROUTER, settings);
    }

    static Trace ping6(DataPlane f, String from, String to) {
        return f.ask(new PingQuestion(from, f.target(to), Proto.ICMP, null, 56, false, 6));
    }

    @Test
    void aFamilyChoosesTheTargetAddress() {
        DataPlane f = plane(router("forwarding"));
        assertEquals("10.2.0.2", f.address(f.target("b")).orElseThrow().toCanonicalString());
        assertEquals("fd00:2::2", f.address(f.target("b"), 6).orElseThrow().toCanonicalString());
        assertEquals("10.2.0.2", f.address(f.target("b:e"), 4).orElseThrow().toCanonicalString());
        Trace t = ping6(f, "a", "b");
        assertTrue(t.reaches(), t.summary() + "\n" + t.hops());
        assertEquals("fd00:2::2", t.address());
    }

    @Test
    void aNodeWithoutIpv4IsAimedAtByItsFirstIpv6AddressEvenOnALaterInterface() {
        DataPlane f = plane("""
                node a { iface e { address fd00::1/64 }  iface f { address 10.0.0.1/24 } }
                node b { iface e { address fd00::2/64 } }
                link a:e -- b:e
                """);
        assertEquals("10.0.0.1", f.address(f.target("a")).orElseThrow().toCanonicalString(), "IPv4 first, on any interface");
        assertEquals("fd00::2", f.address(f.target("b")).orElseThrow().toCanonicalString());
    }

    @Test
    void ipv6ForwardingIsTheGlobalSwitchOnly() {
        // measured: all.forwarding 1 forwards whatever conf.IF.forwarding says; the interfaces' forwarding 1 alone does not
        assertTrue(ping6(plane(router("sysctl net.ipv6.conf.all.forwarding 1")), "a", "b").reaches());
        assertTrue(ping6(plane(router("forwarding\n  sysctl net.ipv6.conf.e1.forwarding 0")), "a", "b").reaches());
        Trace off = ping6(plane(router("sysctl net.ipv6.conf.e1.forwarding 1\n  sysctl net.ipv6.conf.e2.forwarding 1")), "a", "b");
        assertFalse(off.reaches());
        assertTrue(off.reason().contains("forwarding disabled on r"), off.reason());
        // and IPv4 is not switched on by the IPv6 key
        noReach(plane(router("sysctl net.ipv6.conf.all.forwarding 1")), "a", "b", "forwarding disabled on r");
    }

    @Test
    void forceForwardingForwardsWhatArrivesOnThatInterface() {
        // measured (Linux 6.17+): force_forwarding on e1 alone forwards the request but not the reply entering e2
        Trace one = ping6(plane(router("sysctl net.ipv6.conf.e1.force_forwarding 1")), "a", "b");
        assertFalse(one.reaches());
        assertTrue(one.reason().contains("reply does not come back") && one.reason().contains("e2"), one.reason());
        assertTrue(ping6(plane(router("sysctl net.ipv6.conf.e1.force_forwarding 1\n  sysctl net.ipv6.conf.e2.force_forwarding 1")),
                "a", "b").reaches());
        assertTrue(ping6(plane(router("sysctl net.ipv6.conf.all.force_forwarding 1")), "a", "b").reaches(), "all is copied to every interface");
    }

    @Test
    void aLinkLocalNextHopWithADeviceIsOnLink() {
        DataPlane f = plane("""
                node a { iface e { address fd00:1::1/64 }  route default via fe80::ff dev e }
                node r {
                  forwarding
                  iface e1 { address fd00:1::ff/64 fe80::ff/64 }
                  iface e2 { address fd00:2::ff/64 fe80::ff/64 }
                }
                node b { iface e { address fd00:2::2/64 }  route default via fe80::ff dev e }
                link a:e -- r:e1
                link b:e -- r:e2
                """);
        Trace t = ping6(f, "a", "b");
        assertTrue(t.reaches(), t.summary() + "\n" + t.hops());
    }

    @Test
    void neighbourDiscoveryAnswersOnlyForTheReceivingInterfacesAddresses() {
        // measured: with a device route to r's other subnet, ARP gets an answer (weak host) and NDP does not
        String text = """
                node a { iface e { address 10.1.0.1/24 fd00:1::1/64 }  route 10.2.0.0/24 dev e  route fd00:2::/64 dev e }
                node r {
                  iface e1 { address 10.1.0.254/24 fd00:1::ff/64 }
                  iface e2 { address 10.2.0.254/24 fd00:2::ff/64 }
                }
                link a:e -- r:e1
                """;
        DataPlane f = plane(text);
        reaches(f, "a", "10.2.0.254");
        Trace t = noReach(f, "a", "fd00:2::ff", "no neighbour advertisement for fd00:2::ff on a:e: r:e1 receives the neighbour "
                + "solicitation, but fd00:2::ff is not an address of e1 (IPv6 answers only for addresses of the receiving interface)");
        assertFalse(t.reason().contains("ARP"), t.reason());
    }

    @Test
    void anUnansweredNeighbourIsNeighbourDiscoveryInIpv6AndArpInIpv4() {
        // measured: a ping to an address of a's subnet that nobody has fails after the ARP requests (IPv4) or the
        // neighbour solicitations (IPv6: "Destination unreachable: Address unreachable" from a itself)
        DataPlane f = plane("""
                node a { iface e { address 10.1.0.1/24 fd00:1::1/64 } }
                node b { iface e { address 10.1.0.2/24 fd00:1::2/64 } }
                link a:e -- b:e
                """);
        Trace v4 = noReach(f, "a", "10.1.0.9", "no ARP reply for 10.1.0.9 on a:e: no node has this address");
        Trace v6 = noReach(f, "a", "fd00:1::9", "no neighbour advertisement for fd00:1::9 on a:e: no node has this address");
        assertFalse(v6.reason().contains("ARP") || v6.hops().toString().contains("ARP"), v6.hops().toString());
        assertFalse(v4.reason().contains("neighbour"), v4.reason());
        // an answer that cannot come back: the asker's address is on a bridge port (the answer goes to the bridge)
        DataPlane port = plane("""
                node a { iface e { address 10.1.0.1/24 fd00:1::1/64 } }
                node s { bridge br0  iface p0 { master br0  address 10.1.0.5/24 fd00:1::5/64 }  iface p1 { master br0 } }
                node b { iface e { address 10.1.0.2/24 fd00:1::2/64 } }
                link a:e -- s:p1
                link b:e -- s:p0
                """);
        noReach(port, "s", "10.1.0.2", "so the ARP reply from b:e for 10.1.0.2 goes to the bridge");
        Trace p6 = noReach(port, "s", "fd00:1::2", "so the neighbour advertisement from b:e for fd00:1::2 goes to the bridge");
        assertFalse(p6.reason().contains("ARP"), p6.reason());
    }

    @Test
    void anIpv6PrefixOnLoIsNotLocalBeyondItsAddress() {
        // measured: fd00:9::1/64 on lo answers for itself; fd00:9::5 is routed to lo (fd00:9::/64 dev lo), not local
        DataPlane f = plane("""
                node a { iface e { address fd00:1::1/64 }  route fd00:9::/64 via fd00:1::ff }
                node r {
                  forwarding
                  iface e1 { address fd00:1::ff/64 }
                  lo { address fd00:9::1/64 }
                }
                link a:e -- r:e1
                """);
        assertTrue(f.ask(PingQuestion.of(f, "a", "fd00:9::1", Proto.ICMP, null)).reaches());
        Trace t = f.ask(PingQuestion.of(f, "a", "fd00:9::5", Proto.ICMP, null));
        assertFalse(t.reaches(), t.summary());
    }

    @Test
    void masqueradeRewritesIpv6SourcesToTheOutgoingInterfacesAddress() {
        // measured: nft inet postrouting masquerade on e2; b has no route back to fd00:1::/64, but answers r's address
        DataPlane f = plane("""
                node a { iface e { address fd00:1::1/64 }  route default via fd00:1::ff }
                node r {
                  forwarding
                  iface e1 { address fd00:1::ff/64 }
                  iface e2 { address fd00:2::ff/64 }
                  nat masquerade out e2
                }
                node b { iface e { address fd00:2::2/64 } }
                link a:e -- r:e1
                link b:e -- r:e2
                """);
        Trace t = ping6(f, "a", "b");
        assertTrue(t.reaches(), t.summary() + "\n" + t.hops());
        assertTrue(t.hops().stream().anyMatch(h -> h.text().contains("fd00:2::ff")), t.hops().toString());
    }

    @Test
    void anExpectWithAFamilyChecksThatAddress() {
        Compilation c = Compiler.compile(new SourceFile("t.topo", router("sysctl net.ipv6.conf.all.forwarding 1")
                + "expect a -> b v6 reach\nexpect a -> b noreach\nexpect a -> b v4 noreach\n"));
        assertTrue(c.ok(), c.diagnostics().all().toString());
        CheckReport r = DataPlane.of(c.model()).ask(new CheckQuestion(c.model().expectations()));
        assertTrue(r.checks().stream().allMatch(Check::holds), r.checks().toString());
    }

    @Test
    void neighbourDiscoveryCrossesTheFilterChainsUntracked() {
        // measured (KernelAgreementTest.neighbourDiscoveryIsFilteredByTheInputChainAndNotTracked): input policy drop
        // with only established/related drops the neighbour advertisement; ARP is not IP, so IPv4 still works
        String text = """
                node a { iface e { address 10.0.0.1/24 fd00::1/64 }  firewall input policy drop { accept state established,related } }
                node b { iface e { address 10.0.0.2/24 fd00::2/64 } }
                link a:e -- b:e
                """;
        DataPlane f = plane(text);
        reaches(f, "a", "10.0.0.2");
        noReach(f, "a", "fd00::2", "neighbour discovery for fd00::2 from a:e fails");
        // an IPv6 rule that accepts ICMPv6 lets it through; an IPv4 `proto icmp` rule does not
        reaches(plane(text.replace("accept state established,related", "accept state established,related  accept proto icmp from fd00::/64")),
                "a", "fd00::2");
        noReach(plane(text.replace("accept state established,related", "accept state established,related  accept proto icmp")),
                "a", "fd00::2", "neighbour discovery");
    }

    @Test
    void aLinkLocalDestinationLeavesByTheLinkLocalRouteNotTheDefault() {
        // found by KernelAgreementTest on router-forwarding-dual: ns2 -> fe80::3 (the router's address on the other
        // link) takes fe80::/64 dev my_veth1, where nobody owns fe80::3, not the default route to the router
        DataPlane f = plane("""
                node a { iface e { address fd00:1::1/64 }  route default via fd00:1::ff }
                node r {
                  forwarding
                  iface e1 { address fd00:1::ff/64 }
                  iface e2 { address fd00:2::ff/64 fe80::3/64 }
                }
                node b { iface e { address fd00:2::2/64 } }
                link a:e -- r:e1
                link b:e -- r:e2
                """);
        noReach(f, "a", "fe80::3", "fe80::3");
        reaches(f, "b", "fe80::3");
    }

    @Test
    void aPacketTooBigWithoutDfTeachesTheSenderThePathMtuSoCheckSaysFirstPacketOnly() {
        // measured (a -- r -- b, r:e2 and b:e MTU 1400, ping -c1 -s 1400 one after another): IPv4 `-M do` gets "Frag
        // needed and DF set (mtu = 1400)", then "ping: local error: message too long, mtu=1400" (ip route get: "cache
        // expires 597sec mtu 1400"), and `-M dont` reaches every time; IPv6 `-M do` gets "Packet too big: mtu=1400", then
        // the same local error; IPv6 `-M dont` (or no -M) gets "Packet too big: mtu=1400" first, then reaches
        // ("1408 bytes from fd00:2::2"), the sender fragmenting to its cached 1400. So only that last answer changes.
        String text = """
                node a { iface e { address 10.1.0.1/24 fd00:1::1/64 }  route default via 10.1.0.254  route default via fd00:1::ff }
                node r {
                  forwarding
                  iface e1 { address 10.1.0.254/24 fd00:1::ff/64 }
                  iface e2 { address 10.2.0.254/24 fd00:2::ff/64  mtu 1400 }
                }
                node b { iface e { address 10.2.0.2/24 fd00:2::2/64  mtu 1400 }  route default via 10.2.0.254  route default via fd00:2::ff }
                link a:e -- r:e1
                link b:e -- r:e2
                expect a -> b v6 icmp size 1400 noreach
                expect a -> b v6 icmp size 1400 df noreach
                expect a -> b v4 icmp size 1400 df noreach
                expect a -> b v4 icmp size 1400 reach
                expect a -> b v6 icmp size 1352 df reach
                """;
        var c = Compiler.compile(new SourceFile("t.topo", text));
        assertTrue(c.ok(), c.diagnostics().all().toString());
        var checks = DataPlane.of(c.model()).ask(CheckQuestion.all(c.model())).checks();
        assertTrue(checks.get(0).holds(), checks.get(0).message());
        assertTrue(checks.get(0).message().startsWith("holds for the first packet only: r the sender learns the path MTU 1400 for "
                + "fd00:2::2 when this packet too big reaches fd00:1::1"), checks.get(0).message());
        for (int i = 1; i < checks.size(); i++) {
            assertEquals("holds", checks.get(i).message(), checks.get(i).expectation().toString());
        }
    }
}
