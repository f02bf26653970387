package dev.topoc.compiler.syntax.yaml;

import static dev.topoc.compiler.syntax.yaml.YamlTesting.EXAMPLE;
import static dev.topoc.compiler.syntax.yaml.YamlTesting.assertSpan;
import static dev.topoc.compiler.syntax.yaml.YamlTesting.parse;
import static dev.topoc.compiler.syntax.yaml.YamlTesting.show;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.compiler.ast.Entry;
import dev.topoc.compiler.ast.IfaceAst;
import dev.topoc.compiler.ast.Keys;
import dev.topoc.compiler.ast.Lit;
import dev.topoc.compiler.ast.NodeAst;
import dev.topoc.compiler.ast.Prop;
import dev.topoc.compiler.ast.Syntax;
import dev.topoc.compiler.ast.TopologyAst;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class YamlFrontEndTest {

    /** Props as "key=v1,v2" joined by "; ", in order. */
    private static String props(Entry entry) {
        return props(entry.props());
    }

    private static String props(List<Prop> props) {
        return props.stream()
                .map(p -> p.name() + "=" + p.values().stream().map(Lit::text).collect(Collectors.joining(",")))
                .collect(Collectors.joining("; "));
    }

    private static TopologyAst clean(String text) {
        var result = parse(text);
        assertEquals("", show(result.diagnostics()));
        return result.ast();
    }

    private static String names(List<? extends Object> items, java.util.function.Function<Object, Lit> name) {
        return items.stream().map(i -> name.apply(i).text()).collect(Collectors.joining(" "));
    }

    @Test
    void testExampleExtraction() {
        TopologyAst ast = clean(EXAMPLE);
        assertEquals(Syntax.YAML, ast.syntax());
        assertSpan(ast.span(), 1, 1, 1);
        assertEquals("docker-bridge", ast.name().text());
        assertSpan(ast.name().span(), 1, 11, 13);

        assertEquals("docker nginx upstream", names(ast.nodes(), n -> ((NodeAst) n).name()));
        NodeAst docker = ast.nodes().get(0);
        assertSpan(docker.name().span(), 3, 3, 6);
        assertSpan(docker.span(), 3, 3, 6);
        assertEquals("forwarding=true", props(docker));
        Prop forwarding = docker.props().get(0);
        assertSpan(forwarding.key().span(), 4, 5, 10);
        assertSpan(forwarding.value().span(), 4, 17, 4);

        assertEquals("ens41 docker0 veth-nginx", names(docker.interfaces(), i -> ((IfaceAst) i).name()));
        IfaceAst ens41 = docker.interfaces().get(0);
        assertSpan(ens41.name().span(), 6, 7, 5);
        assertEquals("kind=physical; addresses=192.168.54.230/24", props(ens41));
        assertSpan(ens41.props().get(0).key().span(), 6, 18, 4);
        assertSpan(ens41.props().get(0).value().span(), 6, 24, 8);
        assertSpan(ens41.props().get(1).key().span(), 6, 34, 9);
        assertSpan(ens41.props().get(1).value().span(), 6, 46, 17);
        assertEquals("kind=bridge; addresses=172.17.0.1/16", props(docker.interfaces().get(1)));
        assertEquals("master=docker0", props(docker.interfaces().get(2)));

        assertEquals(1, docker.routes().size());
        assertEquals("to=default; via=192.168.54.51; dev=ens41", props(docker.routes().get(0)));
        assertSpan(docker.routes().get(0).span(), 10, 9, 47);
        assertEquals(2, docker.nat().size());
        assertEquals("type=masquerade; from=172.17.0.0/16; out=!docker0", props(docker.nat().get(0)));
        Lit out = docker.nat().get(0).value("out").orElseThrow();
        assertSpan(out.span(), 12, 55, 10);
        assertEquals("type=dnat; proto=tcp; port=8080; to=172.17.10.10:80", props(docker.nat().get(1)));

        NodeAst nginx = ast.nodes().get(1);
        assertEquals("", props(nginx));
        assertEquals("addresses=172.17.10.10/16", props(nginx.interfaces().get(0)));
        assertEquals("to=default; via=172.17.0.1", props(nginx.routes().get(0)));

        NodeAst upstream = ast.nodes().get(2);
        assertEquals("kind=external", props(upstream));
        assertEquals("eth0 lo", names(upstream.interfaces(), i -> ((IfaceAst) i).name()));
        assertEquals("addresses=192.0.2.53/32", props(upstream.interfaces().get(1)));

        assertEquals(2, ast.links().size());
        var pair = ast.links().get(0);
        assertEquals("nginx:eth0", pair.a().text());
        assertEquals("docker:veth-nginx", pair.b().text());
        assertSpan(pair.span(), 25, 5, 31);
        assertSpan(pair.a().span(), 25, 6, 10);
        assertSpan(pair.b().span(), 25, 18, 17);
        assertEquals("", props(pair));
        var map = ast.links().get(1);
        assertEquals("docker:ens41", map.a().text());
        assertEquals("upstream:eth0", map.b().text());
        assertSpan(map.a().span(), 26, 10, 12);
        assertEquals("mtu=1500", props(map));
        assertSpan(map.props().get(0).key().span(), 26, 42, 3);
        assertSpan(map.props().get(0).value().span(), 26, 47, 4);

        assertEquals(2, ast.expects().size());
        assertEquals("from=nginx; to=192.0.2.53; reach=true", props(ast.expects().get(0)));
        assertEquals("from=upstream; to=192.168.54.230; proto=tcp; port=8080; reach=true; lands=nginx",
                props(ast.expects().get(1)));
        assertSpan(ast.expects().get(1).value("to").orElseThrow().span(), 29, 27, 16);
        // comments are kept (issue 17), with their marker and where they start
        assertEquals(List.of("# net.ipv4.ip_forward=1 (and IPv6 forwarding)@4:38",
                        "# the docker end of a link, enslaved@8:48"),
                ast.comments().stream().map(c -> c.text() + "@" + c.span().line() + ":" + c.span().column()).toList());
        assertTrue(ast.comments().stream().allMatch(dev.topoc.compiler.ast.Comment::afterContent));
    }

    @Test
    void testTopologyNameExtraction() {
        TopologyAst ast = clean("topology: lab\n");
        assertEquals("lab", ast.name().text());
        assertTrue(ast.nodes().isEmpty());
        assertNull(clean("nodes: {}\n").name());
    }

    @Test
    void testNodeKeysExtraction() {
        TopologyAst ast = clean("""
                topology: t
                nodes:
                  host:
                    kind: root
                    machine: server1
                    forwarding: false
                    sysctl:
                      net.ipv4.conf.all.rp_filter: 0
                      net.ipv6.conf.all.disable_ipv6: "1"
                  empty:
                """);
        NodeAst host = ast.nodes().get(0);
        assertEquals("kind=root; machine=server1; forwarding=false; sysctl=net.ipv4.conf.all.rp_filter,0; "
                + "sysctl=net.ipv6.conf.all.disable_ipv6,1", props(host));
        Prop sysctl = host.props().get(3);
        assertSpan(sysctl.key().span(), 8, 7, 27); // each pair stands where its key is written
        assertSpan(sysctl.values().get(0).span(), 8, 7, 27);
        assertSpan(sysctl.values().get(1).span(), 8, 36, 1);
        NodeAst empty = ast.nodes().get(1);
        assertEquals("empty", empty.name().text());
        assertTrue(empty.props().isEmpty() && empty.interfaces().isEmpty());
    }

    @Test
    void testInterfaceKeysExtraction() {
        TopologyAst ast = clean("""
                nodes:
                  n:
                    interfaces:
                      br0: { kind: bridge, stp: true, subnet: 10.0.0.0/24, mtu: 9000, up: false }
                      v10: { kind: vlan, parent: eth0, id: 10, mac: "02:00:00:00:00:01", master: br0, hairpin: true }
                      vx: { kind: vxlan, vni: 42, local: 10.0.0.1, remote: 10.0.0.2, group: 239.1.1.1, dev: eth0, port: 4789 }
                      mv: { kind: macvlan, parent: other:eth0, mode: bridge }
                      iv: { kind: ipvlan, parent: eth0, mode: l3s, flag: private }
                      eth0: { addresses: [10.0.0.1/24, "2001:db8::1/64"] }
                      eth1: { addresses: auto }
                      eth2:
                      eth3: {}
                """);
        List<IfaceAst> ifs = ast.nodes().get(0).interfaces();
        assertEquals("br0 v10 vx mv iv eth0 eth1 eth2 eth3", names(ifs, i -> ((IfaceAst) i).name()));
        assertEquals("kind=bridge; stp=true; subnet=10.0.0.0/24; mtu=9000; up=false", props(ifs.get(0)));
        assertEquals("kind=vlan; parent=eth0; id=10; mac=02:00:00:00:00:01; master=br0; hairpin=true", props(ifs.get(1)));
        assertEquals("kind=vxlan; vni=42; local=10.0.0.1; remote=10.0.0.2; group=239.1.1.1; dev=eth0; port=4789",
                props(ifs.get(2)));
        assertEquals("kind=macvlan; parent=other:eth0; mode=bridge", props(ifs.get(3)));
        assertEquals("kind=ipvlan; parent=eth0; mode=l3s; flag=private", props(ifs.get(4)));
        assertEquals("addresses=10.0.0.1/24,2001:db8::1/64", props(ifs.get(5)));
        assertEquals("addresses=auto", props(ifs.get(6)));
        assertSpan(ifs.get(6).props().get(0).value().span(), 10, 26, 4);
        assertEquals("", props(ifs.get(7)));
        assertSpan(ifs.get(7).span(), 11, 7, 4);
        assertEquals("", props(ifs.get(8)));
        for (String key : Keys.of(Keys.Context.IFACE)) {
            assertTrue(ifs.stream().anyMatch(i -> i.prop(key).isPresent()), key);
        }
    }

    @Test
    void testRoutesExtraction() {
        TopologyAst ast = clean("""
                nodes:
                  r:
                    routes:
                      - { to: 10.1.0.0/16, via: 10.0.0.2, dev: eth0, metric: 100, table: 10, src: 10.0.0.1 }
                      - to: 10.9.0.0/16
                        type: blackhole
                """);
        var routes = ast.nodes().get(0).routes();
        assertEquals("to=10.1.0.0/16; via=10.0.0.2; dev=eth0; metric=100; table=10; src=10.0.0.1", props(routes.get(0)));
        assertEquals("to=10.9.0.0/16; type=blackhole", props(routes.get(1)));
        assertSpan(routes.get(1).span(), 5, 9, 15);
    }

    @Test
    void testRulesExtraction() {
        TopologyAst ast = clean("""
                nodes:
                  r:
                    rules:
                      - { priority: 100, from: 10.0.0.0/8, to: 192.168.0.0/16, iif: eth0, oif: eth1, fwmark: 7, table: 10 }
                """);
        assertEquals("priority=100; from=10.0.0.0/8; to=192.168.0.0/16; iif=eth0; oif=eth1; fwmark=7; table=10",
                props(ast.nodes().get(0).rules().get(0)));
    }

    @Test
    void testNatExtraction() {
        TopologyAst ast = clean("""
                nodes:
                  r:
                    nat:
                      - { type: snat, from: 10.0.0.0/8, out: eth0, to: 192.0.2.1 }
                      - { type: dnat, in: eth0, proto: udp, port: 5000-5010, dst: 192.0.2.1, to: 10.0.0.5 }
                """);
        var nat = ast.nodes().get(0).nat();
        assertEquals("type=snat; from=10.0.0.0/8; out=eth0; to=192.0.2.1", props(nat.get(0)));
        assertEquals("type=dnat; in=eth0; proto=udp; port=5000-5010; dst=192.0.2.1; to=10.0.0.5", props(nat.get(1)));
    }

    @Test
    void testFirewallExtraction() {
        TopologyAst ast = clean("""
                nodes:
                  fw:
                    firewall:
                      input:
                        policy: drop
                        rules:
                          - { action: accept, iif: lo }
                          - { action: accept, state: [established, related] }
                          - { action: accept, proto: tcp, dport: 22, from: 203.0.113.50 }
                          - { action: reject, oif: eth1, to: 10.0.0.0/8, sport: 53, state: new }
                      forward: { policy: accept }
                      output:
                """);
        var chains = ast.nodes().get(0).firewall();
        assertEquals(3, chains.size());
        var input = chains.get(0);
        assertEquals("input", input.name().text());
        assertSpan(input.name().span(), 4, 7, 5);
        assertEquals("policy=drop", props(input));
        assertEquals(4, input.rules().size());
        assertEquals("action=accept; iif=lo", props(input.rules().get(0)));
        assertEquals("action=accept; state=established,related", props(input.rules().get(1)));
        assertEquals("action=accept; proto=tcp; dport=22; from=203.0.113.50", props(input.rules().get(2)));
        assertEquals("action=reject; oif=eth1; to=10.0.0.0/8; sport=53; state=new", props(input.rules().get(3)));
        assertEquals("forward", chains.get(1).name().text());
        assertEquals("policy=accept", props(chains.get(1)));
        assertEquals("output", chains.get(2).name().text());
        assertTrue(chains.get(2).props().isEmpty() && chains.get(2).rules().isEmpty());
    }

    @Test
    void testLinkPairExtraction() {
        TopologyAst ast = clean("""
                links:
                  - [a:eth0, b:eth0]
                  -
                    - "web[1..50]:eth0"
                    - sw:p[1..50]
                """);
        assertEquals(2, ast.links().size());
        assertEquals("a:eth0", ast.links().get(0).a().text());
        assertEquals("b:eth0", ast.links().get(0).b().text());
        assertEquals("web[1..50]:eth0", ast.links().get(1).a().text());
        assertSpan(ast.links().get(1).a().span(), 4, 7, 17);
        assertEquals("sw:p[1..50]", ast.links().get(1).b().text());
    }

    @Test
    void testLinkMapExtraction() {
        TopologyAst ast = clean("""
                links:
                  - a: h1:eth0
                    b: sw:p1
                    subnet: 10.0.0.0/24
                    mtu: 9000
                """);
        var link = ast.links().get(0);
        assertEquals("h1:eth0", link.a().text());
        assertEquals("sw:p1", link.b().text());
        assertEquals("subnet=10.0.0.0/24; mtu=9000", props(link));
        assertSpan(link.a().span(), 2, 8, 7);
        assertSpan(link.span(), 2, 5, 10);
    }

    @Test
    void testExpectExtraction() {
        TopologyAst ast = clean("""
                expect:
                  - { from: a, to: b, proto: udp, port: 53, reach: false, via: [r1, r2] }
                  - { from: a, to: "b:eth0", via: r1 }
                """);
        assertEquals("from=a; to=b; proto=udp; port=53; reach=false; via=r1,r2", props(ast.expects().get(0)));
        assertSpan(ast.expects().get(0).values("via").get(1).span(), 2, 69, 2);
        assertEquals("from=a; to=b:eth0; via=r1", props(ast.expects().get(1)));
        assertSpan(ast.expects().get(0).span(), 2, 5, 69);
    }

    @Test
    void testSourceOrderExtraction() {
        TopologyAst ast = clean("""
                expect: [{ to: x, from: y }]
                nodes:
                  z: { interfaces: { b: {}, a: {} }, kind: netns }
                  a: {}
                topology: last
                """);
        assertEquals("last", ast.name().text());
        assertEquals("z a", names(ast.nodes(), n -> ((NodeAst) n).name()));
        assertEquals("b a", names(ast.nodes().get(0).interfaces(), i -> ((IfaceAst) i).name()));
        assertEquals("to=x; from=y", props(ast.expects().get(0)));
    }

    @Test
    void testAliasExtraction() {
        TopologyAst ast = clean("""
                nodes:
                  h1: &host
                    interfaces: { eth0: { addresses: [auto] } }
                    routes: [{ to: default, via: 10.0.0.1 }]
                  h2: *host
                """);
        assertEquals("h1 h2", names(ast.nodes(), n -> ((NodeAst) n).name()));
        assertEquals("to=default; via=10.0.0.1", props(ast.nodes().get(1).routes().get(0)));
        assertSpan(ast.nodes().get(1).routes().get(0).value("via").orElseThrow().span(), 4, 34, 8);
    }

    @Test
    void testScalarTypesExtraction() {
        TopologyAst ast = clean("""
                nodes:
                  n:
                    forwarding: yes
                    interfaces:
                      e: { mtu: !!str 1500, up: True, id: 0x10, stp: 'false' }
                """);
        assertEquals("forwarding=yes", props(ast.nodes().get(0)));
        assertEquals("mtu=1500; up=True; id=0x10; stp=false", props(ast.nodes().get(0).interfaces().get(0)));
    }
}
