package dev.topoc.live.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.backends.lab.Lab;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Drift: after {@code up}, one object is changed by hand; {@code plan} names exactly that object (and what the kernel
 * took with it), {@code up} restores it, and {@code plan} is empty again.
 */
class DriftTest {
    @BeforeAll
    static void machine() {
        Lab.assumeMachine();
    }

    private static void drift(LiveFixture f, Path file, String command, List<String> expected) throws Exception {
        Lab.Result r = LiveFixture.sh(command);
        assertEquals(0, r.code(), () -> command + ": " + r);
        List<String> plan = f.planLines(file).stream().map(l -> l.substring(0, l.indexOf("   "))).toList();
        assertEquals(expected, plan, "after `" + command + "`");
        Engine.Outcome o = f.up(file);
        assertEquals(Engine.OK, o.exit(), o.message());
        assertEquals(List.of(), f.planLines(file), "up restored what `" + command + "` changed");
    }

    @Test
    void planNamesWhatWasChangedByHandAndUpRestoresIt() throws Exception {
        try (LiveFixture f = new LiveFixture()) {
            Path file = f.write("edit.topo", UpTest.T1);
            assertEquals(Engine.OK, f.up(file).exit());
            String r = "ip -n " + f.ns("r") + " ";
            drift(f, file, "ip -n " + f.ns("wan") + " address del 10.8.1.2/24 dev eth0",
                    List.of("+ address 10.8.1.2/24 on wan:eth0"));
            drift(f, file, "ip -n " + f.ns("h1") + " route add 10.99.0.0/16 via 10.8.0.1",
                    List.of("- route 10.99.0.0/16 via 10.8.0.1 on h1"));
            drift(f, file, "ip netns exec " + f.ns("r") + " nft flush chain inet topoc postrouting",
                    List.of("~ nftables table inet topoc on r (changed outside topoc; swapped atomically)"));
            drift(f, file, "ip -n " + f.ns("h1") + " link set dev eth0 mtu 9000",
                    List.of("~ interface h1:eth0 (mtu 9000 → 1500)"));
            drift(f, file, r + "link set dev p1 nomaster",
                    List.of("~ interface r:p1 (master none → br0)"));
            drift(f, file, r + "link add name br9 type bridge && " + r + "link set dev p2 master br9",
                    List.of("- interface r:br9 (bridge; not in edit.topo)", "~ interface r:p2 (master none → br0)"));
            drift(f, file, "ip -n " + f.ns("h2") + " link set dev eth0 down",
                    // the kernel drops the routes through a link that goes down: they come back with it
                    List.of("~ interface h2:eth0 (up)", "+ route default via 10.8.0.1 on h2",
                            "+ route 10.77.0.0/16 via 10.8.0.1 table 100 on h2"));
            // `ip netns del` returns before the kernel has dismantled the namespace (a work queue, slow on a loaded
            // machine), so r's end of the veth lingers for a while: wait for it, as a user planning afterwards would
            drift(f, file, "ip netns del " + f.ns("wan") + " && for i in $(seq 100); do ip -n " + f.ns("r")
                    + " link show dev up0 >/dev/null 2>&1 || exit 0; sleep 0.1; done; exit 1",
                    List.of("+ node wan (namespace " + f.ns("wan") + ")", "+ interface r:up0 (veth to wan:eth0)",
                            "+ address 10.8.1.1/24 on r:up0", "+ interface wan:eth0 (veth end of r:up0, created with it)",
                            "+ address 10.8.1.2/24 on wan:eth0"));
            assertEquals(0, f.in("h1", "ping", "-c1", "-W2", "10.8.1.2").code(), "the restored lab works");
        }
    }

    /**
     * What the lean read would not read in a node whose file and record have none: an IPv6 rule and nftables tables
     * added by hand. The census ({@code dev.topoc.live.read.Census}, one process for the lab) finds them.
     */
    @Test
    void planFindsIpv6RulesAndTablesAddedByHand() throws Exception {
        try (LiveFixture f = new LiveFixture()) {
            Path file = f.write("edit.topo", UpTest.T1);
            assertEquals(Engine.OK, f.up(file).exit());
            String h1 = "ip netns exec " + f.ns("h1") + " ";
            drift(f, file, "ip -n " + f.ns("h1") + " -6 rule add priority 300 from 2001:db8:99::/64 table 99",
                    List.of("- rule priority 300 from 2001:db8:99::/64 lookup 99 on h1"));
            drift(f, file, h1 + "nft add table ip hand-made",
                    List.of("- nftables table ip hand-made on h1"));
            drift(f, file, h1 + "nft add table inet topoc && " + h1
                    + "nft add chain inet topoc input '{ type filter hook input priority 0; policy drop; }'",
                    List.of("- nftables table inet topoc on h1"));
            // r has a ruleset of its own: another table beside it is named too, and the file's stays
            drift(f, file, "ip netns exec " + f.ns("r") + " iptables-nft -t filter -A INPUT -j DROP",
                    List.of("- nftables table ip filter on r"));
            assertEquals(0, f.in("h1", "ping", "-c1", "-W2", "10.8.1.2").code(), "the lab still works");
        }
    }
}
