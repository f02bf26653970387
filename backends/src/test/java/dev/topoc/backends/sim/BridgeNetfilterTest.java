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
}
