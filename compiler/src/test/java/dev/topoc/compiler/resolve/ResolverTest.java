package dev.topoc.compiler.resolve;

import static dev.topoc.compiler.TestSupport.describe;
import static dev.topoc.compiler.TestSupport.dsl;
import static dev.topoc.compiler.TestSupport.withCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.diag.Code;
import dev.topoc.compiler.diag.Diagnostic;
import dev.topoc.compiler.model.Cidr;
import dev.topoc.compiler.model.IfRef;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.MacvlanMode;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.model.NodeKind;
import dev.topoc.compiler.model.Route;
import dev.topoc.compiler.model.RouteType;
import dev.topoc.compiler.model.Topology;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResolverTest {
    private static Topology ok(String text) {
        Compilation c = dsl(text);
        assertTrue(c.ok(), () -> "expected no errors, got:\n" + describe(c));
        return c.model();
    }

    private static Diagnostic only(Compilation c, Code code) {
        List<Diagnostic> found = withCode(c, code);
        assertEquals(1, found.size(), () -> "expected one " + code + ", got:\n" + describe(c));
        return found.get(0);
    }

    private static Interface iface(Topology t, String node, String name) {
        return t.iface(new IfRef(node, name)).orElseThrow(() -> new AssertionError("no " + node + ":" + name));
    }

    @Test
    void testRangesExpandNodesInterfacesAndLinksElementWise() {
        Topology t = ok("""
                node sw {
                  bridge br0 { address 10.0.0.1/24  subnet 10.0.0.0/24 }
                  iface p[1..3] { master br0 }
                }
                node h[1..3] { iface eth0 { address auto } }
                link h[1..3]:eth0 -- sw:p[1..3]
                """);
        assertEquals(List.of("sw", "h1", "h2", "h3"), t.nodes().stream().map(Node::name).toList());
        assertEquals(3, t.links().size());
        for (int k = 1; k <= 3; k++) {
            assertEquals(new IfRef("sw", "p" + k), ((Interface.Veth) iface(t, "h" + k, "eth0")).peer());
            assertEquals(new IfRef("h" + k, "eth0"), ((Interface.Veth) iface(t, "sw", "p" + k)).peer());
        }
    }

    @Test
    void testAutoAddressesAreAllocatedInModelOrderSkippingTakenOnes() {
        String star = """
                node sw {
                  bridge br0 { address 10.200.0.1/16  subnet 10.200.0.0/16 }
                  iface p[1..1000] { master br0 }
                }
                node h[1..1000] {
                  iface eth0 { address auto }
                  route default via 10.200.0.1
                }
                link h[1..1000]:eth0 -- sw:p[1..1000]
                """;
        Topology t = ok(star);
        // .0 is the network, .1 the bridge: host k gets the (k+1)-th address of 10.200.0.0/16
        for (int k : new int[] {1, 2, 254, 255, 1000}) {
            int offset = k + 1;
            String expected = "10.200." + (offset / 256) + "." + (offset % 256) + "/16";
            assertEquals(List.of(expected), iface(t, "h" + k, "eth0").addresses().stream().map(Cidr::toString).toList());
        }
        Topology again = dsl(star).model();
        assertEquals(t, again, "same file, same model");
    }

    @Test
    void testAutoOnALinkUsesTheLinkSubnet() {
        Topology t = ok("""
                node a { iface eth0 { address auto } }
                node b { iface eth0 { address 10.9.0.1/30 } }
                link a:eth0 -- b:eth0 { subnet 10.9.0.0/30 }
                """);
        assertEquals("10.9.0.2/30", iface(t, "a", "eth0").addresses().get(0).toString());
    }

    @Test
    void testAutoWithoutSubnetAndExhaustedPool() {
        Compilation c = dsl("""
                node a { iface eth0 { address auto } }
                node b { iface eth0 { address auto } }
                link a:eth0 -- b:eth0
                """);
        assertEquals(2, withCode(c, Code.NO_SUBNET).size(), describe(c));
        Compilation full = dsl("""
                node a { iface eth0 { address auto } }
                node b { iface eth0 { address auto } }
                link a:eth0 -- b:eth0 { subnet 10.9.0.0/31 }
                node c { iface eth0 { address auto } }
                node d { iface eth0 { address auto } }
                link c:eth0 -- d:eth0 { subnet 10.9.1.0/30 }
                node e { iface eth0 { address auto } }
                node f { iface eth0 { address auto } }
                node g { bridge br0 { subnet 10.9.2.0/30 }  iface p1 { master br0 }  iface p2 { master br0 }  iface p3 { master br0 } }
                link e:eth0 -- g:p1
                link f:eth0 -- g:p2
                """);
        assertTrue(full.ok(), describe(full)); // /31 has two usable addresses, /30 two hosts
        Compilation over = dsl("""
                node e { iface eth0 { address auto } }
                node f { iface eth0 { address auto } }
                node h { iface eth0 { address auto } }
                node g { bridge br0 { subnet 10.9.2.0/30 }  iface p1 { master br0 }  iface p2 { master br0 }  iface p3 { master br0 } }
                link e:eth0 -- g:p1
                link f:eth0 -- g:p2
                link h:eth0 -- g:p3
                """);
        Diagnostic d = only(over, Code.POOL_EXHAUSTED);
        assertEquals(3, d.span().line());
    }

    @Test
    void testLinkCreatesUndeclaredVethEnds() {
        Topology t = ok("""
                node a { }
                node b { }
                link a:veth0 -- b:veth1
                """);
        assertInstanceOf(Interface.Veth.class, iface(t, "a", "veth0"));
        assertEquals(new IfRef("b", "veth1"), ((Interface.Veth) iface(t, "a", "veth0")).peer());
        assertInstanceOf(Interface.Loopback.class, t.node("a").orElseThrow().interfaces().get(0), "lo comes first");
    }

    @Test
    void testMismatchedRangesInALink() {
        Compilation c = dsl("""
                node sw { }
                node h[1..3] { }
                link h[1..3]:eth0 -- sw:p[1..4]
                """);
        Diagnostic d = only(c, Code.RANGE_MISMATCH);
        assertEquals(3, d.span().line());
        assertEquals(22, d.span().column());
        assertTrue(d.message().contains("3 and 4"), d.message());
    }

    @Test
    void testUnknownReferencesSuggestTheClosestName() {
        Compilation c = dsl("""
                node alpha { iface eth0 { } }
                node beta { iface eth0 { } }
                link alpha:eth0 -- betta:eth0
                """);
        Diagnostic d = only(c, Code.UNKNOWN_REFERENCE);
        assertEquals(3, d.span().line());
        assertEquals(20, d.span().column());
        assertTrue(d.message().contains("did you mean `beta`"), d.message());
    }

    @Test
    void testDuplicateNamesPointAtTheFirstDefinition() {
        Compilation c = dsl("""
                node a { }
                node h[1..3] { }
                node h2 { }
                """);
        Diagnostic d = only(c, Code.DUPLICATE_NAME);
        assertEquals(3, d.span().line());
        assertEquals(1, d.notes().size());
        assertEquals(2, d.notes().get(0).span().line());
    }

    @Test
    void testBadValuesAreAllReportedAtTheirValues() {
        Compilation c = dsl("""
                node a {
                  iface eth0 { address 10.0.0.300/24  mtu big }
                  vlan v1 parent eth0 id 5000
                  route 10.1.0.5/24 via 10.0.0.1
                  iface averyveryverylongname { }
                }
                """);
        assertFalse(c.ok());
        List<Diagnostic> cidrs = withCode(c, Code.BAD_CIDR);
        assertEquals(2, cidrs.size(), describe(c));
        assertEquals(2, cidrs.get(0).span().line());
        assertEquals(24, cidrs.get(0).span().column());
        assertEquals(4, cidrs.get(1).span().line());
        assertTrue(cidrs.get(1).message().contains("did you mean `10.1.0.0/24`"), cidrs.get(1).message());
        Diagnostic mtu = only(c, Code.WRONG_TYPE);
        assertEquals(2, mtu.span().line());
        assertEquals(43, mtu.span().column());
        assertEquals(3, only(c, Code.OUT_OF_RANGE).span().line());
        assertEquals(5, only(c, Code.NAME_TOO_LONG).span().line());
    }

    @Test
    void testMacvlanParentOnAnotherNodeAndDefaults() {
        Topology t = ok("""
                node ns1 { iface ens41 physical { address 192.168.54.10/24 } }
                node ns2 { macvlan m1 parent ns1:ens41 mode bridge { address 192.168.54.11/24 } }
                node ns3 { macvlan m2 parent ns1:ens41 { address 192.168.54.12/24 } }
                node ns4 {
                  iface eth0 { address 10.0.0.1/24 }
                  vxlan vx0 vni 42 local 10.0.0.1 remote 10.0.0.2 dev eth0 { address 10.10.0.1/24 }
                  route blackhole 10.5.0.0/16
                  route default via 10.0.0.2
                }
                """);
        Interface.Macvlan m1 = (Interface.Macvlan) iface(t, "ns2", "m1");
        assertEquals(new IfRef("ns1", "ens41"), m1.parent());
        assertEquals(MacvlanMode.BRIDGE, m1.mode());
        assertEquals(MacvlanMode.VEPA, ((Interface.Macvlan) iface(t, "ns3", "m2")).mode(), "the kernel's default");
        Interface.Vxlan vx = (Interface.Vxlan) iface(t, "ns4", "vx0");
        assertEquals(4789, vx.port());
        assertEquals(42, vx.vni());
        List<Route> routes = t.node("ns4").orElseThrow().routes();
        assertEquals(RouteType.BLACKHOLE, routes.get(0).type());
        assertTrue(routes.get(1).isDefault());
        assertEquals("main", routes.get(1).table());
        assertNull(routes.get(1).dev());
        assertEquals(NodeKind.NETNS, t.node("ns1").orElseThrow().kind());
    }

    @Test
    void testKeysThatDoNotApplyToTheKind() {
        Compilation c = dsl("""
                node a { bridge br0 { vni 42 } }
                """);
        Diagnostic d = only(c, Code.KEY_NOT_ALLOWED);
        assertTrue(d.message().contains("vxlan"), d.message());
    }

    @Test
    void testBridgePortAddressWarns() {
        Compilation c = dsl("""
                node a {
                  bridge br0 { address 10.0.0.1/24 }
                  iface p1 { master br0  address 10.0.0.9/24 }
                }
                node b { iface eth0 { address 10.0.0.2/24 } }
                link b:eth0 -- a:p1
                """);
        assertTrue(c.ok(), describe(c));
        assertEquals(3, only(c, Code.BRIDGE_PORT_ADDRESS).span().line());
    }

    @Test
    void testDuplicateAddressNotesTheFirst() {
        Compilation c = dsl("""
                node a { iface eth0 { address 10.0.0.1/24 } }
                node b { iface eth0 { address 10.0.0.1/24 } }
                link a:eth0 -- b:eth0
                """);
        Diagnostic d = only(c, Code.DUPLICATE_ADDRESS);
        assertEquals(2, d.span().line());
        assertEquals(1, d.notes().get(0).span().line());
    }

    @Test
    void testExpectationTargets() {
        Topology t = ok("""
                node a { iface eth0 { address 10.0.0.1/24 } }
                node b { iface eth0 { address 10.0.0.2/24 } }
                link a:eth0 -- b:eth0
                expect a -> b reach
                expect a -> b:eth0 reach
                expect a -> 10.0.0.2 tcp 80 noreach
                """);
        assertEquals("b", t.expectations().get(0).to().node());
        assertEquals("eth0", t.expectations().get(1).to().iface());
        assertEquals("10.0.0.2", t.expectations().get(2).to().address().toCanonicalString());
        assertEquals(80, t.expectations().get(2).port());
        assertFalse(t.expectations().get(2).reach());
    }

    @Test
    void testExpectationToNodeColonPort() {
        Compilation c = dev.topoc.compiler.TestSupport.yaml("""
                nodes:
                  a: { interfaces: { eth0: { addresses: [10.0.0.1/24] } } }
                  b: { interfaces: { eth0: { addresses: [10.0.0.2/24] } } }
                links:
                  - [a:eth0, b:eth0]
                expect:
                  - { from: a, to: "b:22", proto: tcp, reach: true }
                  - { from: a, to: "b:22", reach: true }
                """);
        assertEquals(1, withCode(c, Code.KEY_NOT_ALLOWED).size(), describe(c)); // icmp (the default) has no port
        Compilation ok = dev.topoc.compiler.TestSupport.yaml("""
                nodes:
                  a: { interfaces: { eth0: { addresses: [10.0.0.1/24] } } }
                  b: { interfaces: { eth0: { addresses: [10.0.0.2/24] } } }
                links:
                  - [a:eth0, b:eth0]
                expect:
                  - { from: a, to: "b:22", proto: tcp, reach: true }
                """);
        assertTrue(ok.ok(), describe(ok));
        assertEquals("b", ok.model().expectations().get(0).to().node());
        assertNull(ok.model().expectations().get(0).to().iface());
        assertEquals(22, ok.model().expectations().get(0).port());
    }
}
