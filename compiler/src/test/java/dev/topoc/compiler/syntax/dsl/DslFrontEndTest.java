package dev.topoc.compiler.syntax.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.compiler.ast.Entry;
import dev.topoc.compiler.ast.Lit;
import dev.topoc.compiler.ast.NodeAst;
import dev.topoc.compiler.ast.Prop;
import dev.topoc.compiler.ast.TopologyAst;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.diag.Span;
import dev.topoc.compiler.syntax.SourceFile;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What the DSL front end extracts from each statement form (docs/language.md). */
class DslFrontEndTest {
    static final String LANGUAGE_EXAMPLE = """
            topology docker-bridge

            node docker {
              forwarding
              iface ens41 physical { address 192.168.54.230/24 }
              bridge docker0 { address 172.17.0.1/16 }
              iface veth-nginx { master docker0 }
              route default via 192.168.54.51 dev ens41
              nat masquerade from 172.17.0.0/16 out !docker0
              nat dnat tcp port 8080 to 172.17.10.10:80
            }

            node nginx {
              iface eth0 { address 172.17.10.10/16 }
              route default via 172.17.0.1
            }

            node upstream external {
              iface eth0 { address 192.168.54.51/24 }
              lo { address 192.0.2.53/32 }
            }

            link nginx:eth0 -- docker:veth-nginx
            link docker:ens41 -- upstream:eth0 { mtu 1500 }

            expect nginx -> 192.0.2.53 reach
            expect upstream -> 192.168.54.230 tcp 8080 reach lands nginx
            """;

    static final String THOUSAND_HOSTS = """
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

    static TopologyAst parseClean(String text) {
        Diagnostics d = new Diagnostics();
        TopologyAst ast = DslFrontEnd.parse(new SourceFile("t.topo", text), d);
        assertTrue(d.isEmpty(), () -> "unexpected diagnostics: " + d.all());
        return ast;
    }

    /** Props as "key=v1,v2" joined by "; ", the compact form the assertions read. */
    static String props(Entry e) {
        return props(e.props());
    }

    static String props(List<Prop> props) {
        return props.stream()
                .map(p -> p.name() + "=" + p.values().stream().map(Lit::text).collect(Collectors.joining(",")))
                .collect(Collectors.joining("; "));
    }

    static void assertSpan(Span span, int line, int column, int length) {
        assertEquals("t.topo", span.file());
        assertEquals(line + ":" + column + "+" + length, span.line() + ":" + span.column() + "+" + span.length());
    }

    static NodeAst onlyNode(String body) {
        TopologyAst ast = parseClean("node n {\n" + body + "\n}\n");
        assertEquals(1, ast.nodes().size());
        return ast.nodes().get(0);
    }

    @Test
    void testLanguageExampleExtraction() {
        TopologyAst ast = parseClean(LANGUAGE_EXAMPLE);
        assertEquals("docker-bridge", ast.name().text());
        assertSpan(ast.name().span(), 1, 10, 13);
        assertEquals(List.of("docker", "nginx", "upstream"), ast.nodes().stream().map(n -> n.name().text()).toList());

        NodeAst docker = ast.nodes().get(0);
        assertEquals("forwarding=", props(docker));
        assertEquals(List.of("ens41", "docker0", "veth-nginx"),
                docker.interfaces().stream().map(i -> i.name().text()).toList());
        assertEquals("kind=physical; addresses=192.168.54.230/24", props(docker.interfaces().get(0)));
        assertEquals("kind=bridge; addresses=172.17.0.1/16", props(docker.interfaces().get(1)));
        assertEquals("master=docker0", props(docker.interfaces().get(2)));
        assertEquals("to=default; via=192.168.54.51; dev=ens41", props(docker.routes().get(0)));
        assertEquals("type=masquerade; from=172.17.0.0/16; out=!docker0", props(docker.nat().get(0)));
        assertEquals("type=dnat; proto=tcp; port=8080; to=172.17.10.10:80", props(docker.nat().get(1)));

        NodeAst upstream = ast.nodes().get(2);
        assertEquals("kind=external", props(upstream));
        assertEquals("lo", upstream.interfaces().get(1).name().text());
        assertEquals("addresses=192.0.2.53/32", props(upstream.interfaces().get(1)));

        assertEquals(2, ast.links().size());
        assertEquals("nginx:eth0", ast.links().get(0).a().text());
        assertEquals("docker:veth-nginx", ast.links().get(0).b().text());
        assertEquals("mtu=1500", props(ast.links().get(1)));

        assertEquals("from=nginx; to=192.0.2.53; reach=true", props(ast.expects().get(0)));
        assertEquals("from=upstream; to=192.168.54.230; proto=tcp; port=8080; reach=true; lands=nginx",
                props(ast.expects().get(1)));
    }

    @Test
    void testLanguageExampleSpans() {
        TopologyAst ast = parseClean(LANGUAGE_EXAMPLE);
        NodeAst docker = ast.nodes().get(0);
        assertSpan(docker.span(), 3, 1, 4);
        assertSpan(docker.name().span(), 3, 6, 6);
        Prop forwarding = docker.props().get(0);
        assertSpan(forwarding.key().span(), 4, 3, 10);
        var ens41 = docker.interfaces().get(0);
        assertSpan(ens41.span(), 5, 3, 5);
        assertSpan(ens41.prop("kind").orElseThrow().key().span(), 5, 15, 8);
        assertSpan(ens41.value("kind").orElseThrow().span(), 5, 15, 8);
        assertSpan(ens41.prop("addresses").orElseThrow().key().span(), 5, 26, 7);
        assertSpan(ens41.value("addresses").orElseThrow().span(), 5, 34, 17);
        var docker0 = docker.interfaces().get(1);
        assertSpan(docker0.span(), 6, 3, 6);
        assertSpan(docker0.prop("kind").orElseThrow().key().span(), 6, 3, 6);
        assertSpan(ast.links().get(1).b().span(), 24, 22, 13);
        assertSpan(ast.expects().get(1).prop("reach").orElseThrow().key().span(), 27, 44, 5);
    }

    @Test
    void testEverySpanIsKnown() {
        TopologyAst ast = parseClean(LANGUAGE_EXAMPLE + THOUSAND_HOSTS.replace("node sw", "node sw2"));
        List<Entry> entries = new java.util.ArrayList<>();
        for (NodeAst n : ast.nodes()) {
            entries.add(n);
            entries.addAll(n.interfaces());
            entries.addAll(n.routes());
            entries.addAll(n.rules());
            entries.addAll(n.nat());
            entries.addAll(n.firewall());
            n.firewall().forEach(c -> entries.addAll(c.rules()));
            assertTrue(n.name().span().isKnown());
        }
        entries.addAll(ast.links());
        entries.addAll(ast.expects());
        for (Entry e : entries) {
            assertTrue(e.span().isKnown(), e::toString);
            for (Prop p : e.props()) {
                assertTrue(p.key().span().isKnown(), p::toString);
                p.values().forEach(v -> assertTrue(v.span().isKnown(), v::toString));
            }
        }
    }

    @Test
    void testThousandHostsExtraction() {
        TopologyAst ast = parseClean(THOUSAND_HOSTS);
        assertNull(ast.name());
        NodeAst sw = ast.nodes().get(0);
        assertEquals("kind=bridge; addresses=10.200.0.1/16; subnet=10.200.0.0/16", props(sw.interfaces().get(0)));
        assertEquals("p[1..1000]", sw.interfaces().get(1).name().text());
        assertEquals("master=br0", props(sw.interfaces().get(1)));
        NodeAst hosts = ast.nodes().get(1);
        assertEquals("h[1..1000]", hosts.name().text());
        assertEquals("addresses=auto", props(hosts.interfaces().get(0)));
        assertEquals("to=default; via=10.200.0.1", props(hosts.routes().get(0)));
        assertEquals("h[1..1000]:eth0", ast.links().get(0).a().text());
        assertEquals("sw:p[1..1000]", ast.links().get(0).b().text());
    }

    @Test
    void testTopologyExtraction() {
        TopologyAst ast = parseClean("topology lab");
        assertEquals("lab", ast.name().text());
        assertSpan(ast.span(), 1, 1, 8);
    }

    @Test
    void testNodeKindExtraction() {
        TopologyAst ast = parseClean("node a root { }\nnode b netns { }\nnode c {}\nnode root { }");
        assertEquals("kind=root", props(ast.nodes().get(0)));
        assertSpan(ast.nodes().get(0).prop("kind").orElseThrow().key().span(), 1, 8, 4);
        assertEquals("kind=netns", props(ast.nodes().get(1)));
        assertEquals("", props(ast.nodes().get(2)));
        assertEquals("root", ast.nodes().get(3).name().text());
    }

    @Test
    void testNodePropsExtraction() {
        NodeAst n = onlyNode("forwarding false\nmachine host1\nsysctl net.ipv4.conf.all.rp_filter 0");
        assertEquals("forwarding=false; machine=host1; sysctl=net.ipv4.conf.all.rp_filter,0", props(n));
        assertTrue(onlyNode("forwarding").props().get(0).values().isEmpty());
    }

    @Test
    void testIfaceHeaderAndBlockExtraction() {
        NodeAst n = onlyNode("iface eth0 veth mtu 9000 { address 10.0.0.1/24 10.0.0.2/24\n"
                + " address 2001:db8::1/64  mac 02:00:00:00:00:01 up false stp }");
        assertEquals("kind=veth; mtu=9000; addresses=10.0.0.1/24,10.0.0.2/24; addresses=2001:db8::1/64; "
                + "mac=02:00:00:00:00:01; up=false; stp=", props(n.interfaces().get(0)));
        assertEquals(List.of("10.0.0.1/24", "10.0.0.2/24", "2001:db8::1/64"),
                n.interfaces().get(0).values("addresses").stream().map(Lit::text).toList());
    }

    @Test
    void testKindIfaceExtraction() {
        NodeAst n = onlyNode("""
                bridge br0 stp true { subnet 10.0.0.0/24 }
                vlan v10 parent eth0 id 10
                vxlan vx0 vni 42 local 10.0.0.1 remote 10.0.0.2 dev eth0 port 4790 { mtu 1450 }
                vxlan vx1 vni 43 group 239.1.1.1 dev eth0
                macvlan mv0 parent other:eth1 mode bridge
                ipvlan ipv0 parent eth0 mode l3s flag private
                physical ens3
                dummy d0
                tun t0
                tap t1
                veth v0
                iface lb loopback
                """);
        List<String> got = n.interfaces().stream().map(i -> i.name().text() + ": " + props(i)).toList();
        assertEquals(List.of(
                "br0: kind=bridge; stp=true; subnet=10.0.0.0/24",
                "v10: kind=vlan; parent=eth0; id=10",
                "vx0: kind=vxlan; vni=42; local=10.0.0.1; remote=10.0.0.2; dev=eth0; port=4790; mtu=1450",
                "vx1: kind=vxlan; vni=43; group=239.1.1.1; dev=eth0",
                "mv0: kind=macvlan; parent=other:eth1; mode=bridge",
                "ipv0: kind=ipvlan; parent=eth0; mode=l3s; flag=private",
                "ens3: kind=physical", "d0: kind=dummy", "t0: kind=tun", "t1: kind=tap", "v0: kind=veth",
                "lb: kind=loopback"), got);
    }

    @Test
    void testLoopbackExtraction() {
        NodeAst n = onlyNode("lo { address 127.0.0.2/8 }\nlo");
        assertEquals("lo", n.interfaces().get(0).name().text());
        assertEquals("addresses=127.0.0.2/8", props(n.interfaces().get(0)));
        assertEquals("", props(n.interfaces().get(1)));
    }

    @Test
    void testKeywordsAsNamesExtraction() {
        NodeAst n = onlyNode("iface route { master link }\niface link\nbridge node { }");
        assertEquals(List.of("route", "link", "node"), n.interfaces().stream().map(i -> i.name().text()).toList());
        assertEquals("master=link", props(n.interfaces().get(0)));
        assertEquals("", props(n.interfaces().get(1)));
    }

    @Test
    void testIfaceFollowedByKindStatementExtraction() {
        NodeAst n = onlyNode("iface p1\nbridge br0 { }");
        assertEquals("p1: ", n.interfaces().get(0).name().text() + ": " + props(n.interfaces().get(0)));
        assertEquals("kind=bridge", props(n.interfaces().get(1)));
    }

    @Test
    void testRouteExtraction() {
        NodeAst n = onlyNode("""
                route default via 10.0.0.1
                route 10.1.0.0/16 via 10.0.0.2 dev eth0 metric 100 table 10 src 10.0.0.5 type unicast
                route blackhole 10.9.0.0/16
                route unreachable 2001:db8::/32 metric 5
                route prohibit default
                """);
        List<String> got = n.routes().stream().map(DslFrontEndTest::props).toList();
        assertEquals(List.of("to=default; via=10.0.0.1",
                "to=10.1.0.0/16; via=10.0.0.2; dev=eth0; metric=100; table=10; src=10.0.0.5; type=unicast",
                "type=blackhole; to=10.9.0.0/16", "type=unreachable; to=2001:db8::/32; metric=5",
                "type=prohibit; to=default"), got);
        assertSpan(n.routes().get(2).prop("to").orElseThrow().key().span(), 4, 17, 11);
    }

    @Test
    void testRuleExtraction() {
        NodeAst n = onlyNode("rule priority 100 from 10.0.0.0/8 lookup 10\n"
                + "rule to 10.1.0.0/16 iif eth0 oif eth1 fwmark 7 table main");
        assertEquals("priority=100; from=10.0.0.0/8; table=10", props(n.rules().get(0)));
        assertSpan(n.rules().get(0).prop("table").orElseThrow().key().span(), 2, 35, 6);
        assertEquals("to=10.1.0.0/16; iif=eth0; oif=eth1; fwmark=7; table=main", props(n.rules().get(1)));
    }

    @Test
    void testNatExtraction() {
        NodeAst n = onlyNode("""
                nat snat from 10.0.0.0/24 out eth0 to 192.0.2.1
                nat dnat udp port 5000-5010 dst 192.0.2.1 in !eth1 to 10.0.0.2
                nat dnat proto tcp port 80 to 10.0.0.3:8080
                """);
        assertEquals("type=snat; from=10.0.0.0/24; out=eth0; to=192.0.2.1", props(n.nat().get(0)));
        assertEquals("type=dnat; proto=udp; port=5000-5010; dst=192.0.2.1; in=!eth1; to=10.0.0.2",
                props(n.nat().get(1)));
        assertEquals("type=dnat; proto=tcp; port=80; to=10.0.0.3:8080", props(n.nat().get(2)));
    }

    @Test
    void testFirewallExtraction() {
        NodeAst n = onlyNode("firewall input policy drop { accept in lo  accept state established,related"
                + "  accept proto tcp dport 22 from 203.0.113.50 }\n"
                + "firewall forward { reject out eth0 to 10.0.0.0/8 sport 1024 iif a }\nfirewall output");
        var input = n.firewall().get(0);
        assertEquals("input", input.name().text());
        assertEquals("policy=drop", props(input));
        assertEquals(List.of("action=accept; iif=lo", "action=accept; state=established,related",
                "action=accept; proto=tcp; dport=22; from=203.0.113.50"),
                input.rules().stream().map(DslFrontEndTest::props).toList());
        List<Lit> states = input.rules().get(1).values("state");
        assertSpan(states.get(0).span(), 2, 57, 11);
        assertSpan(states.get(1).span(), 2, 69, 7);
        assertEquals("action=reject; oif=eth0; to=10.0.0.0/8; sport=1024; iif=a",
                props(n.firewall().get(1).rules().get(0)));
        assertEquals("output", n.firewall().get(2).name().text());
        assertTrue(n.firewall().get(2).rules().isEmpty());
    }

    @Test
    void testLinkExtraction() {
        TopologyAst ast = parseClean("link a:e0 -- b:e0 mtu 9000 subnet 10.0.0.0/30\n"
                + "link web[1..50]:eth0 -- sw:p[1..50] { subnet 10.1.0.0/24 }");
        assertEquals("mtu=9000; subnet=10.0.0.0/30", props(ast.links().get(0)));
        assertEquals("web[1..50]:eth0", ast.links().get(1).a().text());
        assertEquals("subnet=10.1.0.0/24", props(ast.links().get(1)));
    }

    @Test
    void testExpectExtraction() {
        TopologyAst ast = parseClean("""
                expect a -> b noreach
                expect a -> b:eth0 icmp reach via r1 r2 r3 lands b
                expect a -> 2001:db8::1 udp 53 reach
                """);
        assertEquals("from=a; to=b; reach=false", props(ast.expects().get(0)));
        assertEquals("from=a; to=b:eth0; proto=icmp; reach=true; via=r1,r2,r3; lands=b", props(ast.expects().get(1)));
        assertEquals("from=a; to=2001:db8::1; proto=udp; port=53; reach=true", props(ast.expects().get(2)));
        assertSpan(ast.expects().get(0).prop("reach").orElseThrow().value().span(), 1, 15, 7);
    }

    @Test
    void testQuotedValueExtraction() {
        NodeAst n = onlyNode("machine \"my \\\"box\\\" \\\\ 1\"\nnat masquerade out \"!docker0\"");
        assertEquals("my \"box\" \\ 1", n.value("machine").orElseThrow().text());
        assertSpan(n.value("machine").orElseThrow().span(), 2, 9, 17);
        assertEquals("!docker0", n.nat().get(0).value("out").orElseThrow().text());
    }

    @Test
    void testCommentExtraction() {
        TopologyAst ast = parseClean("# head\nnode a { // inside\n  iface e#x\n}\nlink a:b -- d:e//c -- x # end");
        assertEquals(List.of("# head", "// inside", "#x", "//c -- x # end"),
                ast.comments().stream().map(c -> c.text()).toList());
        assertSpan(ast.comments().get(1).span(), 2, 10, 9);
        assertEquals("e", ast.nodes().get(0).interfaces().get(0).name().text());
        assertEquals("d:e", ast.links().get(0).b().text());
    }

    @Test
    void testCommentInsideLinkExtraction() {
        TopologyAst ast = parseClean("link a:b -- c:d1/x # one\nlink a:c/d -- e:f");
        assertEquals("c:d1/x", ast.links().get(0).b().text());
        assertEquals("a:c/d", ast.links().get(1).a().text());
    }

    @Test
    void testArrowsInsideWordsExtraction() {
        TopologyAst ast = parseClean("node a->b { iface --x }");
        assertEquals("a->b", ast.nodes().get(0).name().text());
        assertEquals("--x", ast.nodes().get(0).interfaces().get(0).name().text());
    }

    @Test
    void testSourceOrderExtraction() {
        TopologyAst ast = parseClean("link a:x -- b:y\nnode b {}\nexpect a -> b reach\nnode a {}\ntopology t");
        assertEquals(List.of("b", "a"), ast.nodes().stream().map(x -> x.name().text()).toList());
        assertEquals("t", ast.name().text());
    }
}
