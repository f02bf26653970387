package dev.topoc.live.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.backends.lab.Lab;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * In real namespaces: the census counts IPv6 rules beyond the defaults and lists nftables tables in every namespace it
 * is given, in one process; the full read's sysctls hold a per-interface key of an interface with a dot in its name.
 */
class CensusTest {
    private static final String PREFIX = Lab.BASE + "C-";

    private static void sh(String command) {
        Lab.Result r = Lab.run(Map.of(), 30, "sh", "-c", command);
        assertEquals(0, r.code(), () -> command + ": " + r);
    }

    @Test
    void countsIpv6RulesAndListsTablesPerNamespace() {
        Lab.assumeMachine();
        String a = PREFIX + "a";
        String b = PREFIX + "b";
        try {
            sh("ip netns add " + a + " && ip netns add " + b);
            sh("ip -n " + a + " -6 rule add priority 300 from 2001:db8:1::/64 table 9"
                    + " && ip -n " + a + " -6 rule add priority 301 iif lo table 9"
                    + " && ip -n " + a + " rule add priority 302 from 10.0.0.0/8 table 9" // IPv4: not counted
                    + " && ip netns exec " + a + " nft add table ip t1 && ip netns exec " + a + " nft add table inet topoc");
            Map<String, Census.Entry> c = Census.of(List.of(a, b));
            assertNotNull(c, "python3 and root are there");
            assertEquals(new Census.Entry(2, List.of("ip t1", "inet topoc")), c.get(a));
            assertEquals(new Census.Entry(0, List.of()), c.get(b), "a fresh namespace has only the default rules");

            sh("ip link add a.b netns " + a + " type veth peer name p netns " + b
                    + " && ip netns exec " + a + " sh -c 'echo 2 > /proc/sys/net/ipv4/conf/a.b/rp_filter'");
            NamespaceDump d = NamespaceDump.of(a, NamespaceDump.Parts.FULL);
            assertEquals("2", d.sysctl().path("net.ipv4.conf.a.b.rp_filter").asText(), d.sysctl().toString());
            assertEquals("0", d.sysctl().path("net.ipv4.conf.lo.rp_filter").asText(), d.sysctl().toString());
            assertTrue(d.sysctl().has("net.ipv6.conf.a.b.forwarding"), d.sysctl().toString());
        } finally {
            Lab.cleanUp(PREFIX);
        }
    }
}
