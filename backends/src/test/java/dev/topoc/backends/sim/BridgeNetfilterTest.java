package dev.topoc.backends.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.compiler.model.Proto;
import org.junit.jupiter.api.Test;

/**
 * br_netfilter: with {@code net.bridge.bridge-nf-call-iptables 1} bridged IPv4 crosses the bridge node's netfilter
 * (conntrack and DNAT in prerouting, the forward chain, postrouting NAT, replies un-NATed). Each case is also built for
 * real in {@link KernelAgreementTest#bridgeNetfilterAgrees}, which compares every ping and tcp answer with the kernel.
 * {@code bridge-nf-call-ip6tables 1} does the same for IPv6, neighbour discovery included (measured in throw-away
 * namespaces: each family only with its own key; the solicitation and advertisement cross the forward chain
 * untracked); its cases are built for real in {@link KernelAgreementTest#bridgeNetfilter6Agrees}.
 */
class BridgeNetfilterTest {
    static final String FILTERED = """
            node r {
              forwarding
              bridge sw { address 10.1.0.1/24 }
              iface p1 { master sw }
              iface p2 { master sw }
              firewall forward policy accept { reject to 10.1.0.0/24 }
              %s
            }
            node a { iface e { address 10.1.0.10/24 } }
            node b { iface e { address 10.1.0.11/24 } }
            link a:e -- r:p1
            link b:e -- r:p2
            """;

    /** docker-bridge's host with two containers: gitlab asks the host's outside address for nginx's DNAT port. */
    static final String HAIRPIN = """
            node docker {
              forwarding
              iface ens41 { address 192.168.54.230/24 }
              bridge docker0 { address 172.17.0.1/16 }
              iface veth-nginx { master docker0 }
              iface veth-gitlab { master docker0 }
              nat masquerade from 172.17.0.0/16 out !docker0
              nat dnat tcp port 8080 to 172.17.10.10:80
              %s
            }
            node nginx { iface eth0 { address 172.17.10.10/16 }  route default via 172.17.0.1  listen tcp 80 }
            node gitlab { iface eth0 { address 172.17.10.20/16 }  route default via 172.17.0.1 }
            node upstream { iface eth0 { address 192.168.54.51/24 } }
            link nginx:eth0 -- docker:veth-nginx
            link gitlab:eth0 -- docker:veth-gitlab
            link docker:ens41 -- upstream:eth0
            """;

    private static final String ON = "sysctl net.bridge.bridge-nf-call-iptables 1";
    private static final String ON6 = "sysctl net.bridge.bridge-nf-call-ip6tables 1";

    /** {@link #FILTERED}, dual-stack: r's forward chain is {@code %s}, then r's sysctls. */
    static final String FILTERED6 = """
            node r {
              forwarding
              bridge sw { address 10.1.0.1/24 fd00:1::1/64 }
              iface p1 { master sw }
              iface p2 { master sw }
              firewall forward %s
              %s
            }
            node a { iface e { address 10.1.0.10/24 fd00:1::10/64 } }
            node b { iface e { address 10.1.0.11/24 fd00:1::11/64 } }
            link a:e -- r:p1
            link b:e -- r:p2
            """;

    /** {@link #HAIRPIN}, dual-stack: the IPv6 DNAT of the host's outside address, port 8080, to nginx's fd00:17::10:80. */
    static final String HAIRPIN6 = """
            node docker {
              forwarding
              iface ens41 { address 192.168.54.230/24 2001:db8:54::230/64 }
              bridge docker0 { address 172.17.0.1/16 fd00:17::1/64 }
              iface veth-nginx { master docker0 }
              iface veth-gitlab { master docker0 }
              nat masquerade from 172.17.0.0/16 out !docker0
              nat masquerade from fd00:17::/64 out !docker0
              nat dnat tcp port 8080 to 172.17.10.10:80
              nat dnat tcp port 8080 dst 2001:db8:54::230 to [fd00:17::10]:80
              %s
            }
            node nginx { iface eth0 { address 172.17.10.10/16 fd00:17::10/64 }  route default via 172.17.0.1  route default via fd00:17::1  listen tcp 80 }
            node gitlab { iface eth0 { address 172.17.10.20/16 fd00:17::20/64 }  route default via 172.17.0.1  route default via fd00:17::1 }
            node upstream { iface eth0 { address 192.168.54.51/24 2001:db8:54::51/64 } }
            link nginx:eth0 -- docker:veth-nginx
            link gitlab:eth0 -- docker:veth-gitlab
            link docker:ens41 -- upstream:eth0
            """;

    @Test
    void theForwardChainSeesBridgedTrafficOnlyWithBridgeNfCallIptables() {
        SemanticsTest.reaches(SemanticsTest.plane(FILTERED.formatted("")), "a", "b");
        SemanticsTest.reaches(SemanticsTest.plane(FILTERED.formatted("sysctl net.bridge.bridge-nf-call-iptables 0")), "a", "b");
        Trace t = SemanticsTest.noReach(SemanticsTest.plane(FILTERED.formatted(ON)), "a", "b", "reject");
        assertTrue(t.hops().stream().anyMatch(h -> h.text().startsWith("bridged from p1 to p2 through r's netfilter")), t.hops().toString());
        // r's own traffic into the bridge is not bridged: its output chain only (accept)
        SemanticsTest.reaches(SemanticsTest.plane(FILTERED.formatted(ON)), "r", "b");
    }

    @Test
    void hairpinDnatToAContainerOnTheSameBridgeWorksOnlyWithBridgeNfCallIptables() {
        // without br_netfilter nginx answers gitlab directly over the bridge, from 172.17.10.10:80: gitlab's socket
        // expected 192.168.54.230:8080 and resets; with it the answer crosses docker's conntrack and is un-DNATed
        DataPlane off = SemanticsTest.plane(HAIRPIN.formatted(""));
        Trace t = off.ask(PingQuestion.of(off, "gitlab", "192.168.54.230", Proto.TCP, 8080));
        assertFalse(t.reaches(), t.summary());
        DataPlane on = SemanticsTest.plane(HAIRPIN.formatted(ON));
        t = on.ask(PingQuestion.of(on, "gitlab", "192.168.54.230", Proto.TCP, 8080));
        assertTrue(t.reaches(), t.summary() + "\n" + t.hops());
        assertEquals("nginx", t.lands());
        assertTrue(t.hops().stream().anyMatch(h -> h.leg() == Hop.Leg.REPLY && h.text().startsWith("un-DNAT (conntrack): source 172.17.10.10")),
                t.hops().toString());
        // the outside still reaches nginx, and the containers each other
        assertTrue(on.ask(PingQuestion.of(on, "upstream", "192.168.54.230", Proto.TCP, 8080)).reaches());
        SemanticsTest.reaches(on, "nginx", "gitlab");
    }

    @Test
    void aMasqueradeOutTheBridgeRewritesBridgedTraffic() {
        // `masquerade out sw` matches the bridge as the output interface of bridged frames: b sees r's address
        DataPlane f = SemanticsTest.plane(FILTERED.formatted(ON).replace("{ reject to 10.1.0.0/24 }", "").replace("forwarding",
                "forwarding\n  nat masquerade out sw"));
        Trace t = f.ask(PingQuestion.of(f, "a", "10.1.0.11", Proto.ICMP, null));
        assertTrue(t.reaches(), t.summary() + "\n" + t.hops());
        assertTrue(t.hops().stream().anyMatch(h -> h.text().startsWith("masquerade source 10.1.0.10 -> 10.1.0.1")), t.hops().toString());
    }

    @Test
    void eachFamilyCrossesTheForwardChainOnlyWithItsOwnKey() {
        // to b's address only: `reject to fd00:1::/64` would also reject the advertisement to a (neighbour discovery)
        String reject = "policy accept { reject to 10.1.0.11/32  reject to fd00:1::11/128 }";
        DataPlane off = SemanticsTest.plane(FILTERED6.formatted(reject, ""));
        SemanticsTest.reaches(off, "a", "10.1.0.11");
        SemanticsTest.reaches(off, "a", "fd00:1::11");
        // measured: iptables 1 alone leaves IPv6 bridged unfiltered, ip6tables 1 alone IPv4
        DataPlane four = SemanticsTest.plane(FILTERED6.formatted(reject, ON));
        SemanticsTest.noReach(four, "a", "10.1.0.11", "reject");
        SemanticsTest.reaches(four, "a", "fd00:1::11");
        DataPlane six = SemanticsTest.plane(FILTERED6.formatted(reject, ON6));
        SemanticsTest.reaches(six, "a", "10.1.0.11");
        Trace t = SemanticsTest.noReach(six, "a", "fd00:1::11", "rejected by firewall rule at t.topo:6:");
        assertTrue(t.hops().stream().anyMatch(h -> h.text().equals(
                "bridged from p1 to p2 through r's netfilter (net.bridge.bridge-nf-call-ip6tables is 1)")), t.hops().toString());
        SemanticsTest.reaches(SemanticsTest.plane(FILTERED6.formatted(reject, ON6.replace(" 1", " 0"))), "a", "fd00:1::11");
        // r's own traffic into the bridge is not bridged: its output chain only
        SemanticsTest.reaches(six, "r", "fd00:1::11");
    }

    @Test
    void neighbourDiscoveryAcrossTheBridgeCrossesTheForwardChainUntracked() {
        // measured: policy drop with only established accepted leaves fd00:1::11 INCOMPLETE on a (the solicitation is
        // untracked), while IPv4's ARP is no IP and the ping passes once echo is accepted
        DataPlane est = SemanticsTest.plane(FILTERED6.formatted("policy drop { accept state established,related  accept proto icmp }", ON + "\n" + ON6));
        SemanticsTest.reaches(est, "a", "10.1.0.11");
        Trace t = SemanticsTest.noReach(est, "a", "fd00:1::11", "neighbour discovery for fd00:1::11 from a:e fails");
        assertTrue(t.reason().contains("forward policy drop of r") && t.reason().contains("as r bridges it between p1 and p2"
                + " (net.bridge.bridge-nf-call-ip6tables is 1)"), t.reason());
        // accepting the peers' own addresses is not enough: the solicitation goes to ff02::1:ff00:11 (measured)
        DataPlane peers = SemanticsTest.plane(FILTERED6.formatted("policy drop { accept to fd00:1::11  accept to fd00:1::10 }", ON6));
        SemanticsTest.noReach(peers, "a", "fd00:1::11", "neighbour discovery for fd00:1::11");
        // an ICMPv6 rule lets the exchange through, and with it the ping (measured: meta l4proto ipv6-icmp accept)
        SemanticsTest.reaches(SemanticsTest.plane(FILTERED6.formatted("policy drop { accept proto icmp from fd00:1::/64 }", ON6)),
                "a", "fd00:1::11");
        // without the key the chain never sees bridged frames
        SemanticsTest.reaches(SemanticsTest.plane(FILTERED6.formatted("policy drop { accept state established,related }", "")),
                "a", "fd00:1::11");
    }

    @Test
    void theIpv6HairpinDnatWorksOnlyWithBridgeNfCallIp6tables() {
        String ask = "2001:db8:54::230";
        DataPlane off = SemanticsTest.plane(HAIRPIN6.formatted(ON));
        Trace t = off.ask(PingQuestion.of(off, "gitlab", ask, Proto.TCP, 8080));
        assertFalse(t.reaches(), t.summary());
        assertTrue(t.reason().contains("the reply comes from fd00:17::10, not from 2001:db8:54::230"), t.reason());
        DataPlane on = SemanticsTest.plane(HAIRPIN6.formatted(ON6));
        t = on.ask(PingQuestion.of(on, "gitlab", ask, Proto.TCP, 8080));
        assertTrue(t.reaches(), t.summary() + "\n" + t.hops());
        assertEquals("nginx", t.lands());
        assertTrue(t.hops().stream().anyMatch(h -> h.leg() == Hop.Leg.REPLY && h.text().startsWith("un-DNAT (conntrack): source fd00:17::10")),
                t.hops().toString());
        // IPv4's hairpin needs its own key (iptables 1 not written here)
        assertFalse(on.ask(PingQuestion.of(on, "gitlab", "192.168.54.230", Proto.TCP, 8080)).reaches());
        assertTrue(on.ask(PingQuestion.of(on, "upstream", ask, Proto.TCP, 8080)).reaches());
    }

    @Test
    void aPortDnatAndAMasqueradeOnBridgedIpv6() {
        // measured: a -> [fd00:1::11]:8080 with `dnat tcp port 8080 dst fd00:1::11 to [fd00:1::11]:80` lands on b's 80
        // (the destination address is unchanged, so the frame stays bridged), and `masquerade out sw` gives it r's source
        String text = FILTERED6.formatted("policy accept", ON6).replace("forwarding", """
                forwarding
                  nat dnat tcp port 8080 dst fd00:1::11 to [fd00:1::11]:80
                  nat masquerade out sw""").replace("node b { iface e { address 10.1.0.11/24 fd00:1::11/64 } }",
                "node b { iface e { address 10.1.0.11/24 fd00:1::11/64 }  listen tcp 80 }");
        DataPlane f = SemanticsTest.plane(text);
        Trace t = f.ask(PingQuestion.of(f, "a", "fd00:1::11", Proto.TCP, 8080));
        assertTrue(t.reaches(), t.summary() + "\n" + t.hops());
        assertTrue(t.hops().stream().anyMatch(h -> h.text().startsWith("masquerade source fd00:1::10 -> fd00:1::1")), t.hops().toString());
        DataPlane off = SemanticsTest.plane(text.replace(ON6, ""));
        assertFalse(off.ask(PingQuestion.of(off, "a", "fd00:1::11", Proto.TCP, 8080)).reaches(), "without the key nobody DNATs: b refuses 8080");
    }
}
