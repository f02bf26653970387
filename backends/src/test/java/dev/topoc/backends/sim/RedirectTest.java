package dev.topoc.backends.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.compiler.Compiler;
import dev.topoc.compiler.model.Proto;
import dev.topoc.compiler.syntax.SourceFile;
import org.junit.jupiter.api.Test;

/**
 * ICMP redirects, as measured on this kernel: a's default router r1 forwards 10.9.0.2 back out e0 to r2 on the same
 * bridge. r1 still forwards the first packets and sends redirects (IcmpOutRedirects 2 after three pings); a then
 * sends the third ping to r2 directly (r1's IpForwDatagrams stays at 2, `ip route get` says "cache <redirected>",
 * traceroute shows 10.0.0.3 as hop 1). send_redirects 0 on r1 (all and e0) or accept_redirects 0 on a (all and e0;
 * all 0 alone still accepts on a host) keeps every ping on r1. The simulator answers for the first packet and says
 * so in the trace and in `check`.
 */
class RedirectTest {
    static final String LAB = """
            node s { bridge sw  iface p1 { master sw }  iface p2 { master sw }  iface p3 { master sw } }
            node a { iface e0 { address 10.0.0.2/24 }  route default via 10.0.0.1  %s }
            node r1 { forwarding  iface e0 { address 10.0.0.1/24 }  route 10.9.0.0/24 via 10.0.0.3  %s }
            node r2 { forwarding  iface e0 { address 10.0.0.3/24 }  iface e1 { address 10.9.0.1/24 } }
            node z { iface e0 { address 10.9.0.2/24 }  route default via 10.9.0.1 }
            link a:e0 -- s:p1
            link r1:e0 -- s:p2
            link r2:e0 -- s:p3
            link r2:e1 -- z:e0
            expect a -> z reach via r1
            """;

    private static Trace ping(String a, String r1) {
        DataPlane f = SemanticsTest.plane(LAB.formatted(a, r1));
        return f.ask(PingQuestion.of(f, "a", "z", Proto.ICMP, null));
    }

    static String redirect(Trace t) {
        return t.hops().stream().filter(h -> h.text().startsWith(Walk.REDIRECT)).map(Hop::toString).findFirst().orElse(null);
    }

    @Test
    void aRouterForwardingBackOutItsIncomingInterfaceNotesTheRedirect() {
        Trace t = ping("", "");
        assertTrue(t.reaches(), t.summary());
        assertTrue(t.path().contains("r1"), "the first packet still crosses r1: " + t.path());
        String r = redirect(t);
        assertTrue(r != null && r.startsWith("r1:e0  sends an ICMP redirect to 10.0.0.2")
                && r.contains("the next hop for 10.9.0.2 is 10.0.0.3 on that link; a (accept_redirects on a:e0) sends its later packets there directly"),
                String.valueOf(r));
    }

    @Test
    void sendRedirects0OnBothOrAcceptRedirects0OnBothChangeTheNote() {
        assertEquals(null, redirect(ping("", "sysctl net.ipv4.conf.all.send_redirects 0  sysctl net.ipv4.conf.e0.send_redirects 0")));
        // either is enough to send (IN_DEV_TX_REDIRECTS is an OR)
        assertTrue(redirect(ping("", "sysctl net.ipv4.conf.all.send_redirects 0")) != null);
        String r = redirect(ping("sysctl net.ipv4.conf.all.accept_redirects 0  sysctl net.ipv4.conf.e0.accept_redirects 0", ""));
        assertTrue(r != null && r.contains("a has accept_redirects 0 on a:e0 and keeps sending to r1"), String.valueOf(r));
        // measured: all 0 alone still accepts on a host (an OR where the interface does not forward)
        r = redirect(ping("sysctl net.ipv4.conf.all.accept_redirects 0", ""));
        assertTrue(r != null && r.contains("a (accept_redirects on a:e0)"), String.valueOf(r));
    }

    @Test
    void checkSaysTheExpectHoldsForTheFirstPacketOnly() {
        var c = Compiler.compile(new SourceFile("t.topo", LAB.formatted("", "")));
        DataPlane f = DataPlane.of(c.model());
        Check check = f.ask(CheckQuestion.all(c.model())).checks().get(0);
        assertTrue(check.holds(), check.message());
        assertTrue(check.message().startsWith("holds for the first packet only: r1 sends an ICMP redirect to 10.0.0.2"), check.message());
        var plain = Compiler.compile(new SourceFile("t.topo", LAB.formatted("", "sysctl net.ipv4.conf.all.send_redirects 0  sysctl net.ipv4.conf.e0.send_redirects 0")));
        Check quiet = DataPlane.of(plain.model()).ask(CheckQuestion.all(plain.model())).checks().get(0);
        assertEquals("holds", quiet.message());
        assertFalse(quiet.message().contains("redirect"));
    }

    /**
     * The new gateway learns the sender from the ARP request the redirect makes it send: measured with a host whose
     * arp_ignore 2 ignores rb's own request (sent from rb's 10.3.0.2, another subnet), the ping through ra is answered;
     * with accept_redirects 0 on the host it is not (the kernel agreement property found it, seed 20934831).
     */
    static final String TEACHES = """
            node sw { bridge br0  iface p0 { master br0 }  iface p1 { master br0 }  iface p2 { master br0 } }
            node h { iface e0 { address 10.2.0.11/24 }  route default via 10.2.0.1  sysctl net.ipv4.conf.all.arp_ignore 2  %s }
            node ra { forwarding  iface e0 { address 10.2.0.1/24 }  route 10.3.0.0/24 via 10.2.0.2 }
            node rb { iface e0 { address 10.2.0.2/24 }  iface e1 { address 10.3.0.2/24 } }
            link h:e0 -- sw:p0
            link ra:e0 -- sw:p1
            link rb:e0 -- sw:p2
            """;

    @Test
    void theRedirectsArpTeachesTheNewGatewayTheSenderSoItsReplyNeedsNoArpOfItsOwn() {
        DataPlane taught = SemanticsTest.plane(TEACHES.formatted(""));
        Trace t = taught.ask(PingQuestion.of(taught, "h", "10.3.0.2", Proto.ICMP, null));
        assertTrue(t.reaches(), t.summary());
        DataPlane refused = SemanticsTest.plane(TEACHES.formatted(
                "sysctl net.ipv4.conf.all.accept_redirects 0  sysctl net.ipv4.conf.e0.accept_redirects 0"));
        Trace u = refused.ask(PingQuestion.of(refused, "h", "10.3.0.2", Proto.ICMP, null));
        assertFalse(u.reaches(), u.summary());
        assertTrue(u.summary().contains("no ARP reply for 10.2.0.11 on rb:e0") && u.summary().contains("arp_ignore 2"), u.summary());
    }

    /**
     * IPv6, measured on this kernel with the same lab built by hand (addresses added before the links come up, as the
     * bash backend does; a's default via r1's fe80::1, r1's fd00:9::/64 via r2's fe80::3; four pings, nstat and
     * {@code ip -6 route get fd00:9::2} after each): "ping 1: ok | r1: Ip6OutForwDatagrams=1 Icmp6OutRedirects=1 | a:
     * Icmp6InRedirects=1 | route: fd00:9::2 from :: via fe80::3 dev e0", and pings 2-4 leave r1's counters at 1 (a sends
     * to r2 directly from the second; {@code ip -6 route show cache}: "fd00:9::2 via fe80::3 dev e0"). IPv6 has no
     * send_redirects: a forwarding router always sends them (rate limited: 12 pings 50 ms apart got 6 redirects, two
     * more after 2 s).
     */
    static final String LAB6 = """
            node s { bridge sw  iface p1 { master sw }  iface p2 { master sw }  iface p3 { master sw } }
            node a { iface e0 { address fd00:1::2/64 }  route default via %s dev e0  %s }
            node r1 {
              forwarding
              iface e0 { address fd00:1::1/64 %s }
              route fd00:9::/64 via %s dev e0
              route fd00:5::/64 dev e0
              %s
            }
            node r2 { forwarding  iface e0 { address fd00:1::3/64 fd00:5::3/64 fe80::3/64 }  iface e1 { address fd00:9::1/64 } }
            node z { iface e0 { address fd00:9::2/64 }  route default via fd00:9::1 }
            link a:e0 -- s:p1
            link r1:e0 -- s:p2
            link r2:e0 -- s:p3
            link r2:e1 -- z:e0
            expect a -> z v6 reach via r1
            """;

    static String lab6(String aGateway, String aSettings, String r1LinkLocal, String r1Gateway) {
        return lab6(aGateway, aSettings, r1LinkLocal, r1Gateway, "");
    }

    static String lab6(String aGateway, String aSettings, String r1LinkLocal, String r1Gateway, String r1Settings) {
        return LAB6.formatted(aGateway, aSettings, r1LinkLocal, r1Gateway, r1Settings);
    }

    private static Trace ping6(String text, String to) {
        DataPlane f = SemanticsTest.plane(text);
        Trace t = f.ask(PingQuestion.of(f, "a", to, Proto.ICMP, null));
        assertTrue(t.reaches(), t.summary() + "\n" + t.hops());
        assertTrue(t.path().contains("r1"), "the first packet still crosses r1: " + t.path());
        return t;
    }

    private static String redirect6(String aSettings) {
        return redirect(ping6(lab6("fe80::1", aSettings, "fe80::1/64", "fe80::3"), "fd00:9::2"));
    }

    private static Check check6(String text) {
        var c = Compiler.compile(new SourceFile("t.topo", text));
        assertTrue(c.ok(), c.diagnostics().all().toString());
        return DataPlane.of(c.model()).ask(CheckQuestion.all(c.model())).checks().get(0);
    }

    @Test
    void anIpv6RouterRedirectsFromItsFirstLinkLocalAddressAndTheSenderFollowsFromTheSecondPacket() {
        String r = redirect6("");
        assertTrue(r != null && r.startsWith("r1:e0  sends an ICMP redirect to fd00:1::2 from fe80::1 (it forwards out r1:e0")
                && r.contains("the next hop for fd00:9::2 is fe80::3 on that link; a (accept_redirects on a:e0, its route goes via "
                        + "fe80::1) sends its later packets there directly (from the second, measured)"), String.valueOf(r));
        Check c = check6(lab6("fe80::1", "", "fe80::1/64", "fe80::3"));
        assertTrue(c.holds(), c.message());
        assertTrue(c.message().startsWith("holds for the first packet only: r1 sends an ICMP redirect to fd00:1::2"), c.message());
    }

    @Test
    void anIpv6RedirectFromAnotherAddressThanTheSendersGatewayIsIgnored() {
        // measured: a's default via r1's global fd00:1::1: Icmp6InRedirects 1, 2, 3 and every ping through r1, no cache
        String text = lab6("fd00:1::1", "", "fe80::1/64", "fe80::3");
        String r = redirect(ping6(text, "fd00:9::2"));
        assertTrue(r != null && r.contains("a ignores it and keeps sending to r1: its route goes via fd00:1::1, not via fe80::1"),
                String.valueOf(r));
        assertEquals("holds", check6(text).message(), "every packet takes the first one's path");
        // without a link-local address in the file r1 redirects from the kernel's EUI-64 one, which no route names
        r = redirect(ping6(lab6("fd00:1::1", "", "", "fe80::3"), "fd00:9::2"));
        assertTrue(r != null && r.contains("from its own EUI-64 link-local address on e0")
                && r.contains("not via its own EUI-64 link-local address on e0"), String.valueOf(r));
    }

    @Test
    void anIpv6RouterSendsNoRedirectToAGlobalNextHopButToAnOnLinkDestination() {
        // measured: r1's route via fd00:1::3 (global): Icmp6OutRedirects 0 ("target address is not link-local unicast")
        String text = lab6("fe80::1", "", "fe80::1/64", "fd00:1::3");
        assertEquals(null, redirect(ping6(text, "fd00:9::2")));
        assertEquals("holds", check6(text).message());
        // measured: fd00:5::3 (r1: fd00:5::/64 dev e0): redirected to the destination itself, a's route cache then has
        // "fd00:5::3 dev e0" and the second ping goes to r2 directly
        String r = redirect(ping6(lab6("fe80::1", "", "fe80::1/64", "fe80::3"), "fd00:5::3"));
        assertTrue(r != null && r.contains("the next hop for fd00:5::3 is fd00:5::3 on that link; a (accept_redirects"), String.valueOf(r));
    }

    @Test
    void anIpv6SenderFollowsWhenItsInterfaceHasAcceptRedirects1AndForwarding0() {
        String keeps = "a has net.ipv6.conf.e0.accept_redirects 0 and keeps sending to r1";
        String routes = "a has net.ipv6.conf.e0.forwarding 1 (a router ignores redirects) and keeps sending to r1";
        String follows = "a (accept_redirects on a:e0";
        // measured, each a fresh lab: e0 accept_redirects 0 keeps every ping on r1 whatever all says; all 0 alone follows
        assertTrue(redirect6("sysctl net.ipv6.conf.e0.accept_redirects 0").contains(keeps));
        assertTrue(redirect6("sysctl net.ipv6.conf.e0.accept_redirects 0  sysctl net.ipv6.conf.all.accept_redirects 1").contains(keeps));
        assertTrue(redirect6("sysctl net.ipv6.conf.all.accept_redirects 0").contains(follows));
        // measured: all.forwarding 1 (copied to e0) or e0.forwarding 1 alone keeps it on r1; all 1 then e0 0 follows
        assertTrue(redirect6("sysctl net.ipv6.conf.all.forwarding 1").contains(routes));
        assertTrue(redirect6("sysctl net.ipv6.conf.e0.forwarding 1").contains(routes));
        assertTrue(redirect6("sysctl net.ipv6.conf.all.forwarding 1  sysctl net.ipv6.conf.e0.forwarding 0").contains(follows));
        assertEquals("holds", check6(lab6("fe80::1", "sysctl net.ipv6.conf.e0.accept_redirects 0", "fe80::1/64", "fe80::3")).message());
    }

    @Test
    void anIpv4SenderWithAcceptRedirects0KeepsThePathSoCheckSaysHolds() {
        // measured: accept_redirects 0 on a (all and e0) keeps every ping on r1, so the first packet's answer is the whole story
        var c = Compiler.compile(new SourceFile("t.topo", LAB.formatted(
                "sysctl net.ipv4.conf.all.accept_redirects 0  sysctl net.ipv4.conf.e0.accept_redirects 0", "")));
        Check check = DataPlane.of(c.model()).ask(CheckQuestion.all(c.model())).checks().get(0);
        assertEquals("holds", check.message());
    }

    @Test
    void ipv6AcceptRedirectsIsModelledAndLeftW0207sList() {
        var modelled = Compiler.compile(new SourceFile("t.topo", lab6("fe80::1",
                "sysctl net.ipv6.conf.e0.accept_redirects 0  sysctl net.ipv6.conf.all.accept_redirects 0", "fe80::1/64", "fe80::3")));
        assertTrue(modelled.diagnostics().all().stream().noneMatch(d -> d.code() == dev.topoc.compiler.diag.Code.SYSCTL_NOT_MODELLED),
                modelled.diagnostics().all().toString());
        var other = Compiler.compile(new SourceFile("t.topo", lab6("fe80::1", "sysctl net.ipv6.conf.e0.accept_ra 0", "fe80::1/64", "fe80::3")));
        var w = other.diagnostics().all().stream().filter(d -> d.code() == dev.topoc.compiler.diag.Code.SYSCTL_NOT_MODELLED).toList();
        assertEquals(1, w.size(), other.diagnostics().all().toString());
        assertTrue(w.get(0).message().contains("net.ipv6.conf.all|IF.accept_redirects"), w.get(0).message());
    }

    @Test
    void aRedirectIsSentBeforeTheForwardChainSoAFilteredPacketStillRedirects() {
        // measured, IPv4 (this LAB, r1 with `ip daddr 10.9.0.2 drop` in its forward chain; four pings): pings 1 and 2
        // fail (IcmpOutRedirects 1, 2; the drop rule counts 2), `ip route get` then says "via 10.0.0.3 … cache
        // <redirected>", and pings 3 and 4 reach z through r2, past r1's filter. IPv6 (LAB6, `ip6 daddr fd00:9::2 drop`):
        // ping 1 fails (Icmp6OutRedirects 1), pings 2 and 3 reach. So a `noreach` expect holds for the first packet only.
        String drop4 = "firewall forward policy accept { drop to 10.9.0.2/32 }";
        String text4 = LAB.formatted("", drop4).replace("expect a -> z reach via r1", "expect a -> z noreach");
        DataPlane f = SemanticsTest.plane(text4);
        Trace t = f.ask(PingQuestion.of(f, "a", "z", Proto.ICMP, null));
        assertFalse(t.reaches(), t.summary());
        assertTrue(redirect(t) != null && redirect(t).contains("a (accept_redirects on a:e0)"), t.hops().toString());
        var c4 = Compiler.compile(new SourceFile("t.topo", text4));
        Check k4 = DataPlane.of(c4.model()).ask(CheckQuestion.all(c4.model())).checks().get(0);
        assertTrue(k4.holds() && k4.message().startsWith("holds for the first packet only: r1 sends an ICMP redirect"), k4.message());
        String text6 = lab6("fe80::1", "", "fe80::1/64", "fe80::3", "firewall forward policy accept { drop to fd00:9::2/128 }")
                .replace("expect a -> z v6 reach via r1", "expect a -> z v6 noreach");
        Check k6 = check6(text6);
        assertTrue(k6.holds() && k6.message().startsWith("holds for the first packet only: r1 sends an ICMP redirect to fd00:1::2"),
                k6.message());
        // with DF and too large for r1's way out, ip_forward stops at its MTU check before redirecting: no note
        String big = LAB.formatted("", "").replace("node r1 { forwarding  iface e0 { address 10.0.0.1/24 }", "node r1 { forwarding  iface e0 { address 10.0.0.1/24  mtu 1400 }");
        DataPlane g = SemanticsTest.plane(big);
        // 1404 bytes: r1:e0 (MTU 1400) still takes the frame (MTU + 4), but not with DF on its way out
        Trace tb = g.ask(new PingQuestion("a", g.target("z"), Proto.ICMP, null, 1376, true, 4));
        assertFalse(tb.reaches(), tb.summary());
        assertTrue(tb.reason().contains("exceed the MTU 1400 of r1:e0 with DF set"), tb.reason());
        assertEquals(null, redirect(tb), tb.hops().toString());
    }
}
