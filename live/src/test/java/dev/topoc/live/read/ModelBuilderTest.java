package dev.topoc.live.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.compiler.ast.Syntax;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.print.DslPrinter;
import org.junit.jupiter.api.Test;

/** The reader on JSON captured from this kernel (captured/mixed: see the comments for how it was built). */
class ModelBuilderTest {
    // captured/mixed was built by hand: a—b on a veth (a:eth0 mtu 1400, mac 02:00:00:00:00:01), a:br0 (stp) with
    // port p1 cabled to c:eth0, macvlan a:mv0 (vepa) on a:eth0 and b:mv1 (private) created on a:eth0 then moved
    // to b, vxlan a:vx0 (vni 100 local/remote dev eth0) and a:vx1 (vni 200 group 239.1.1.1 port 8472, down),
    // routes in main and table 100, three rules, forwarding, the topoc nftables table in a and iptables-nft
    // rules in b.
    private final LiveState state = LiveReader.fromDumps("mixed", Captured.lab("mixed", "a", "b", "c"), false);

    private Node node(String name) {
        return state.topology().node(name).orElseThrow();
    }

    @Test
    void testLinkExtraction() {
        var links = state.topology().links().stream().map(l -> l.a() + " -- " + l.b()).toList();
        assertEquals(java.util.List.of("a:eth0 -- b:eth0", "a:p1 -- c:eth0"), links);
        assertNull(state.topology().links().get(0).mtu(), "only a's end was set to 1400");
        assertEquals(1400, node("a").iface("eth0").orElseThrow().common().mtu());
        assertNull(node("b").iface("eth0").orElseThrow().common().mtu(), "1500 is the default");
    }

    @Test
    void testInterfaceExtraction() {
        Node a = node("a");
        var br0 = (Interface.Bridge) a.iface("br0").orElseThrow();
        assertTrue(br0.stp());
        assertEquals("br0", a.iface("p1").orElseThrow().common().master());
        assertEquals("02:00:00:00:00:01", a.iface("eth0").orElseThrow().common().mac());
        assertNull(a.iface("p1").orElseThrow().common().mac(), "a kernel-chosen MAC is not the file's business");
        var vx0 = (Interface.Vxlan) a.iface("vx0").orElseThrow();
        assertEquals(100, vx0.vni());
        assertEquals("10.1.0.1", vx0.local().toCanonicalString());
        assertEquals("10.1.0.2", vx0.remote().toCanonicalString());
        assertEquals("eth0", vx0.dev());
        assertEquals(4789, vx0.port());
        assertEquals(1450, vx0.common().mtu(), "vx0 was made on a 1500 eth0 that later became 1400");
        var vx1 = (Interface.Vxlan) a.iface("vx1").orElseThrow();
        assertEquals("239.1.1.1", vx1.group().toCanonicalString());
        assertEquals(8472, vx1.port());
        assertFalse(vx1.common().up());
        var mv0 = (Interface.Macvlan) a.iface("mv0").orElseThrow();
        assertEquals("vepa", mv0.mode().word());
        assertNull(mv0.common().mtu(), "a macvlan takes its parent's MTU");
        var mv1 = (Interface.Macvlan) node("b").iface("mv1").orElseThrow();
        assertEquals("a:eth0", mv1.parent().toString(), "created on a:eth0, moved into b");
        assertEquals("private", mv1.mode().word());
        assertEquals("[10.1.0.1/24, 2001:db8::1/64]", a.iface("eth0").orElseThrow().addresses().toString(),
                "the IPv6 link-local address is the kernel's");
        assertEquals("[192.0.2.1/32]", a.iface("lo").orElseThrow().addresses().toString());
    }

    @Test
    void testRouteAndRuleExtraction() {
        var routes = node("a").routes().stream().map(r -> r.type().word() + " " + r.to() + " via " + r.via() + " dev "
                + r.dev() + " metric " + r.metric() + " table " + r.table() + " src " + r.src()).toList();
        assertEquals(java.util.List.of(
                "unreachable 10.6.0.0/16 via null dev null metric null table 100 src null",
                "unicast 10.7.0.0/16 via 10.1.0.2 dev null metric null table 100 src null",
                "unicast 0.0.0.0/0 via 10.1.0.2 dev null metric null table main src null",
                "unicast 10.8.0.0/16 via 10.1.0.2 dev null metric 50 table main src 10.1.0.1",
                "blackhole 10.9.0.0/16 via null dev null metric null table main src null",
                "unicast 2001:db8:1::/64 via 2001:db8::2 dev null metric null table main src null"), routes);
        var rules = node("a").rules().stream().map(r -> r.priority() + " " + r.from() + " " + r.to() + " " + r.iif()
                + " " + r.fwmark() + " " + r.table()).toList();
        assertEquals(java.util.List.of("99 null 10.5.0.0/16 br0 7 100", "100 172.16.0.0/24 null null null 100",
                "32765 2001:db8::/64 null null null 100"), rules);
        assertTrue(node("a").forwarding());
        assertFalse(node("b").forwarding());
        assertTrue(node("b").routes().isEmpty(), "b has only connected routes");
    }

    @Test
    void testNftExtraction() {
        Node a = node("a");
        var nat = a.nat().stream().map(n -> n.type().word() + " from " + n.from() + " in " + n.in() + " out " + n.out()
                + " " + n.proto() + " " + n.port() + " dst " + n.dst() + " to " + n.toAddress() + ":" + n.toPort()).toList();
        assertEquals(java.util.List.of(
                "dnat from null in eth0 out null TCP 8080 dst 10.1.0.1 to 172.16.0.2:80",
                "dnat from null in null out null UDP 5000-5010 dst null to 172.16.0.2:null",
                "masquerade from 172.16.0.0/24 in null out !br0 null null dst null to null:null",
                "snat from 172.16.1.0/24 in null out eth0 null null dst null to 10.1.0.1:null"), nat);
        var input = a.firewall().get(0);
        assertEquals("input drop", input.name().word() + " " + input.policy().word());
        var rules = input.rules().stream().map(r -> r.action().word() + " " + r.proto() + " " + r.from() + " " + r.dport()
                + " " + r.iif() + " " + r.state()).toList();
        assertEquals(java.util.List.of("accept null null null lo []", "accept null null null null [ESTABLISHED, RELATED]"
                        .replace("[ESTABLISHED, RELATED]", input.rules().get(1).state().toString()),
                "accept TCP 203.0.113.50/32 22 null []", "accept ICMP null null null []", "reject TCP null 8000-8010 null []",
                "accept ICMP 2001:db8::/64 null null []"), rules);
        assertEquals(2, input.rules().get(1).state().size());
    }

    @Test
    void testWarnings() {
        var objects = state.unexpressed().stream().map(u -> u.node() + ": " + u.object()).toList();
        assertTrue(objects.contains("b: nft table ip nat"), objects::toString);
        assertTrue(objects.contains("b: nft table ip filter"), objects::toString);
        assertFalse(objects.stream().anyMatch(o -> o.contains("lo down")), "`lo { up false }` is the language's");
        assertFalse(node("b").iface("lo").orElseThrow().common().up(), "b's lo was never set up");
        assertEquals(0, node("b").nat().size(), "iptables-nft tables are not topoc's unless importing");
    }

    @Test
    void testPrintedFileResolvesToTheSameModel() {
        String dsl = DslPrinter.print(AstWriter.write(state.topology(), Syntax.DSL));
        var c = dev.topoc.compiler.Compiler.compile(new dev.topoc.compiler.syntax.SourceFile("mixed.topo", dsl));
        assertTrue(c.ok(), () -> dsl + "\n" + c.diagnostics().all());
        assertEquals(state.topology(), Canonical.of(c.model()), dsl);
    }

    @Test
    void testIptablesExtraction() {
        LiveState imported = LiveReader.fromDumps("mixed", Captured.lab("mixed", "a", "b", "c"), true);
        Node b = imported.topology().node("b").orElseThrow();
        assertEquals("[DNAT tcp 8080 -> 10.1.0.1:80, MASQUERADE from 10.1.0.0/24 out !eth0]", b.nat().stream()
                .map(n -> n.type() + (n.proto() == null ? "" : " " + n.proto().word() + " " + n.port())
                        + (n.from() == null ? "" : " from " + n.from()) + (n.out() == null ? "" : " out " + n.out())
                        + (n.toAddress() == null ? "" : " -> " + n.toAddress() + ":" + n.toPort())).toList().toString());
        var forward = b.chain(dev.topoc.compiler.model.ChainName.FORWARD).orElseThrow();
        assertEquals("drop", forward.policy().word());
        assertEquals(2, forward.rules().size());
        assertEquals(java.util.Set.of(dev.topoc.compiler.model.CtState.ESTABLISHED, dev.topoc.compiler.model.CtState.RELATED),
                forward.rules().get(0).state(), "conntrack's arguments come from iptables-save, not the xt JSON");
        assertEquals("eth0", forward.rules().get(1).iif());
        var objects = imported.unexpressed().stream().map(u -> u.node() + ": " + u.object()).toList();
        assertTrue(objects.contains("b: iptables -t filter -A INPUT -j LOG"), objects::toString);
        assertFalse(objects.stream().anyMatch(o -> o.contains("nft table ip")), "read from iptables-save instead");
        String dsl = DslPrinter.print(AstWriter.write(imported.topology(), Syntax.DSL));
        var c = dev.topoc.compiler.Compiler.compile(new dev.topoc.compiler.syntax.SourceFile("mixed.topo", dsl));
        assertTrue(c.ok(), () -> dsl + "\n" + c.diagnostics().all());
        assertEquals(imported.topology(), Canonical.of(c.model()), dsl);
    }

    @Test
    void iptablesSaveWordsKeepQuotedComments() {
        assertEquals(java.util.List.of("-A", "INPUT", "-m", "comment", "--comment", "ssh \"in\"", "-j", "ACCEPT"),
                IptablesReader.words("-A INPUT -m comment --comment \"ssh \\\"in\\\"\" -j ACCEPT"));
    }

    @Test
    void testPeersOutsideTheReadNamespaces() {
        LiveState bc = LiveReader.fromDumps("bc", Captured.lab("mixed", "b", "c"), false);
        var objects = bc.unexpressed().stream().map(Unexpressed::toString).toList();
        assertTrue(objects.contains("b: link eth0 (veth): its peer is in a namespace that was not read"), objects::toString);
        assertTrue(objects.contains("b: link mv1 (macvlan): its parent is in a namespace that was not read"),
                objects::toString);
        assertTrue(bc.topology().links().isEmpty(), "no pair has both ends read");
        assertTrue(bc.topology().node("b").orElseThrow().iface("mv1").isEmpty());
    }

    @Test
    void perInterfaceSysctlsAreReadWhereTheyDifferFromWhatTheyFollow() {
        var dumps = new java.util.LinkedHashMap<>(Captured.lab("mixed", "a", "b", "c"));
        NamespaceDump b = dumps.get("b");
        var sys = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        sys.put("net.ipv4.ip_forward", "1");
        sys.put("net.ipv6.conf.all.forwarding", "0");
        sys.put("net.ipv6.conf.all.force_forwarding", ""); // a kernel before 6.17 has no such key
        sys.put("net.ipv4.conf.eth0.forwarding", "1"); // copied from ip_forward: not the file's
        sys.put("net.ipv4.conf.lo.forwarding", "0"); // set back by hand
        sys.put("net.ipv4.conf.eth0.rp_filter", "2");
        sys.put("net.ipv4.conf.lo.rp_filter", "0");
        sys.put("net.ipv4.conf.eth0.accept_redirects", "1");
        sys.put("net.ipv4.conf.mv1.arp_ignore", "1");
        sys.put("net.ipv6.conf.eth0.forwarding", "1");
        sys.put("net.ipv6.conf.eth0.force_forwarding", "0");
        sys.put("net.ipv4.conf.gone0.rp_filter", "1"); // an interface the model does not have
        dumps.put("b", new NamespaceDump(b.namespace(), b.links(), b.addresses(), b.routes4(), b.rules4(), b.routes6(),
                b.rules6(), b.nft(), sys, b.macAssignType(), b.iptablesSave()));
        LiveState read = LiveReader.fromDumps("mixed", dumps, false);
        Node nb = read.topology().node("b").orElseThrow();
        assertEquals(java.util.Map.of("net.ipv4.ip_forward", "1", "net.ipv4.conf.lo.forwarding", "0",
                "net.ipv4.conf.eth0.rp_filter", "2", "net.ipv4.conf.mv1.arp_ignore", "1",
                "net.ipv6.conf.eth0.forwarding", "1"), nb.sysctl());
        String dsl = DslPrinter.print(AstWriter.write(read.topology(), Syntax.DSL));
        assertTrue(dsl.contains("sysctl net.ipv4.conf.eth0.rp_filter 2"), dsl);
        var c = dev.topoc.compiler.Compiler.compile(new dev.topoc.compiler.syntax.SourceFile("mixed.topo", dsl));
        assertTrue(c.ok(), () -> dsl + "\n" + c.diagnostics().all());
        assertEquals(read.topology(), Canonical.of(c.model()), dsl);
    }
}
