package dev.topoc.compiler.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.TestSupport;
import dev.topoc.compiler.model.IfRef;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.Topology;
import inet.ipaddr.IPAddressString;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shared analysis: domains, owners, parents, and that it is computed once per topology instance. */
class AnalysisTest {
    private static final String TOPOLOGY = """
            node a {
              iface eth0 { address 172.16.0.1/24 }
              vxlan vx0 vni 42 local 172.16.0.1 remote 172.16.0.2 dev eth0 port 4789 { address 10.0.0.1/24 }
              vxlan vx1 vni 42 local 172.16.0.1 remote 172.16.0.2 dev eth0 port 4790 { address 10.1.0.1/24 }
              vlan eth0.7 parent eth0 id 7 { address 10.7.0.1/24 }
              macvlan m0 parent eth0 mode bridge { address 172.16.0.9/24 }
            }
            node b {
              iface eth0 { address 172.16.0.2/24 }
              vxlan vx0 vni 42 local 172.16.0.2 remote 172.16.0.1 dev eth0 port 4789 { address 10.0.0.2/24 }
              vxlan vx1 vni 42 local 172.16.0.2 remote 172.16.0.1 dev eth0 port 4790 { address 10.1.0.2/24 }
              vlan eth0.7 parent eth0 id 7 { address 10.7.0.2/24 }
            }
            link a:eth0 -- b:eth0
            """;

    private static Topology model(String text) {
        Compilation c = TestSupport.dsl(text);
        assertTrue(c.ok(), () -> TestSupport.describe(c));
        return c.model();
    }

    private static IfRef ref(String text) {
        int colon = text.indexOf(':');
        return new IfRef(text.substring(0, colon), text.substring(colon + 1));
    }

    @Test
    void vxlanOverlaysAreKeyedByVniAndPort() {
        L2Domains d = Analysis.of(model(TOPOLOGY)).domains();
        assertTrue(d.same(ref("a:vx0"), ref("b:vx0")));
        assertTrue(d.same(ref("a:vx1"), ref("b:vx1")));
        assertFalse(d.same(ref("a:vx0"), ref("a:vx1")), "VNI 42 on port 4789 and on port 4790 are two overlays");
        assertFalse(d.same(ref("a:vx0"), ref("a:eth0")), "the overlay is not the underlay");
    }

    @Test
    void vlansOfOneIdOverOneSegmentShareADomainAndMacvlansTheirParents() {
        L2Domains d = Analysis.of(model(TOPOLOGY)).domains();
        assertTrue(d.same(ref("a:eth0.7"), ref("b:eth0.7")));
        assertFalse(d.same(ref("a:eth0.7"), ref("a:eth0")), "a tag makes its own domain");
        assertTrue(d.same(ref("a:m0"), ref("b:eth0")), "a macvlan is on its parent's segment");
        assertEquals(-1, d.of(ref("a:nope")));
    }

    @Test
    void domainsAreListedInModelOrderWithTheirMembers() {
        List<L2Domains.Domain> all = Analysis.of(model(TOPOLOGY)).domains().all();
        List<List<String>> members = all.stream()
                .map(x -> x.members().stream().map(i -> i.ref().toString()).toList()).toList();
        assertEquals(List.of("a:eth0", "a:m0", "b:eth0"), members.get(1), "after a's lo: the underlay");
        assertTrue(members.contains(List.of("a:vx0", "b:vx0")));
        assertTrue(members.contains(List.of("a:vx1", "b:vx1")));
        assertTrue(members.contains(List.of("a:eth0.7", "b:eth0.7")));
        assertEquals(all.size(), all.stream().map(L2Domains.Domain::id).distinct().count());
    }

    @Test
    void ownersParentsChildrenAndPeers() {
        Analysis a = Analysis.of(model(TOPOLOGY));
        assertEquals(ref("b:vx1"), a.owner(new IPAddressString("10.1.0.2").getAddress()).ref());
        assertEquals(ref("b:vx1"), a.owner(new IPAddressString("10.1.0.2/24").getAddress()).ref(), "the prefix length does not matter");
        assertNull(a.owner(new IPAddressString("10.9.9.9").getAddress()));
        Interface vlan = a.iface(ref("a:eth0.7"));
        assertEquals(ref("a:eth0"), Analysis.parentOf(vlan));
        assertNull(Analysis.parentOf(a.iface(ref("a:vx0"))), "a VXLAN's dev is not a parent it is stacked on");
        assertEquals(List.of("a:eth0.7", "a:m0"), a.children(ref("a:eth0")).stream().map(i -> i.ref().toString()).toList());
        assertEquals(ref("b:eth0"), a.peer(ref("a:eth0")));
        assertNull(a.peer(ref("a:vx0")));
    }

    @Test
    void computedOncePerTopologyInstance() {
        Topology t = model(TOPOLOGY);
        Analysis first = Analysis.of(t);
        assertSame(first, Analysis.of(t));
        assertSame(first.domains(), Analysis.of(t).domains());
        Topology equal = model(TOPOLOGY);
        assertEquals(t, equal);
        assertNotSame(first, Analysis.of(equal), "an equal model of another file gets its own analysis (its spans differ)");
    }
}
