package dev.topoc.compiler.print;

import static dev.topoc.compiler.print.Build.at;
import static dev.topoc.compiler.print.Build.chain;
import static dev.topoc.compiler.print.Build.comment;
import static dev.topoc.compiler.print.Build.expect;
import static dev.topoc.compiler.print.Build.fw;
import static dev.topoc.compiler.print.Build.iface;
import static dev.topoc.compiler.print.Build.link;
import static dev.topoc.compiler.print.Build.nat;
import static dev.topoc.compiler.print.Build.node;
import static dev.topoc.compiler.print.Build.p;
import static dev.topoc.compiler.print.Build.route;
import static dev.topoc.compiler.print.Build.rule;
import static dev.topoc.compiler.print.Build.topology;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.compiler.ast.TopologyAst;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class YamlPrinterTest {

    @Test
    void languageExample() {
        TopologyAst ast = Build.dockerBridge();
        String yaml = YamlPrinter.print(ast);
        assertEquals("""
                topology: docker-bridge
                nodes:
                  docker:
                    forwarding: true
                    interfaces:
                      ens41: { kind: physical, addresses: [192.168.54.230/24] }
                      docker0: { kind: bridge, addresses: [172.17.0.1/16] }
                      veth-nginx: { master: docker0 }
                    routes:
                      - { to: default, via: 192.168.54.51, dev: ens41 }
                    nat:
                      - { type: masquerade, from: 172.17.0.0/16, out: "!docker0" }
                      - { type: dnat, proto: tcp, port: 8080, to: "172.17.10.10:80" }
                  nginx:
                    interfaces:
                      eth0: { addresses: [172.17.10.10/16] }
                    routes:
                      - { to: default, via: 172.17.0.1 }
                  upstream:
                    kind: external
                    interfaces:
                      eth0: { addresses: [192.168.54.51/24] }
                      lo: { addresses: [192.0.2.53/32] }
                links:
                  - [nginx:eth0, docker:veth-nginx]
                  - { a: docker:ens41, b: upstream:eth0, mtu: 1500 }
                expect:
                  - { from: nginx, to: 192.0.2.53, reach: true }
                  - { from: upstream, to: 192.168.54.230, proto: tcp, port: 8080, reach: true, lands: nginx }
                """, yaml);
        YamlReadBack.assertReadsBackAs(ast, yaml);
    }

    @Test
    void everyForm() {
        TopologyAst ast = topology("t")
                .node(node("a").prop(p("kind", "netns")),
                        node("b"),
                        node("h[1..50]").iface(iface("eth0", p("addresses", "auto"))),
                        node("r").prop(p("sysctl", "net.ipv4.conf.all.rp_filter", "0"), p("forwarding", "false"),
                                        p("machine", "host1"), p("kind", "root"))
                                .iface(iface("v10", p("kind", "vlan"), p("parent", "eth0"), p("id", "10")),
                                        iface("e0", p("addresses", "10.0.0.1/24"), p("up", "false"),
                                                p("addresses", "2001:db8::1/64"), p("mac", "02:00:00:00:00:01")),
                                        iface("br0", p("kind", "bridge"), p("stp")),
                                        iface("lo"))
                                .route(route(p("type", "blackhole"), p("to", "10.9.0.0/16")))
                                .rule(rule(p("priority", "100"), p("fwmark", "0x1"), p("table", "main")))
                                .nat(nat(p("type", "dnat"), p("port", "8000-8080"), p("to", "10.0.0.9")))
                                .chain(chain("input", List.of(p("policy", "drop")),
                                                fw(p("action", "accept"), p("iif", "lo")),
                                                fw(p("action", "accept"), p("state", "established", "related"))),
                                        chain("output", List.of())))
                .link(link("h[1..50]:eth0", "sw:p[1..50]"))
                .expect(expect(p("from", "a"), p("to", "b"), p("reach", "false"), p("via", "r")))
                .build();
        String yaml = YamlPrinter.print(ast);
        assertEquals("""
                topology: t
                nodes:
                  a:
                    kind: netns
                  b: {}
                  "h[1..50]":
                    interfaces:
                      eth0: { addresses: [auto] }
                  r:
                    kind: root
                    machine: host1
                    forwarding: false
                    interfaces:
                      v10: { kind: vlan, parent: eth0, id: 10 }
                      e0: { addresses: [10.0.0.1/24, "2001:db8::1/64"], mac: "02:00:00:00:00:01", up: false }
                      br0: { kind: bridge, stp: true }
                      lo: {}
                    routes:
                      - { to: 10.9.0.0/16, type: blackhole }
                    rules:
                      - { priority: 100, fwmark: "0x1", table: main }
                    nat:
                      - { type: dnat, port: 8000-8080, to: 10.0.0.9 }
                    firewall:
                      input:
                        policy: drop
                        rules:
                          - { action: accept, iif: lo }
                          - { action: accept, state: [established, related] }
                      output: {}
                    sysctl:
                      net.ipv4.conf.all.rp_filter: 0
                links:
                  - ["h[1..50]:eth0", "sw:p[1..50]"]
                expect:
                  - { from: a, to: b, reach: false, via: [r] }
                """, yaml);
        YamlReadBack.assertReadsBackAs(ast, yaml);
    }

    @Test
    void longEntriesFallBackToBlockStyle() {
        String[] many = new String[8];
        for (int i = 0; i < many.length; i++) {
            many[i] = "10.0." + i + ".1/24";
        }
        TopologyAst ast = topology("t")
                .node(node("n").iface(iface("eth0", p("addresses", many), p("mtu", "9000")))
                        .route(route(p("to", "10.100.200.0/24"), p("via", "10.100.100.100"), p("dev", "a-long-interface"),
                                p("metric", "100"), p("table", "100"), p("src", "10.100.100.1"))))
                .link(link("n:eth0", "m:eth0", p("subnet", "10.0.0.0/24")))
                .build();
        String yaml = YamlPrinter.print(ast);
        assertEquals("""
                topology: t
                nodes:
                  n:
                    interfaces:
                      eth0:
                        addresses: [10.0.0.1/24, 10.0.1.1/24, 10.0.2.1/24, 10.0.3.1/24, 10.0.4.1/24, 10.0.5.1/24, 10.0.6.1/24, 10.0.7.1/24]
                        mtu: 9000
                    routes:
                      - to: 10.100.200.0/24
                        via: 10.100.100.100
                        dev: a-long-interface
                        metric: 100
                        table: 100
                        src: 10.100.100.1
                links:
                  - { a: n:eth0, b: m:eth0, subnet: 10.0.0.0/24 }
                """, yaml);
        YamlReadBack.assertReadsBackAs(ast, yaml);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', quoteCharacter = '`', value = {
        "eth0 ; eth0",
        "10.0.0.1/24 ; 10.0.0.1/24",
        "nginx:eth0 ; nginx:eth0",
        "net.ipv4.ip_forward ; net.ipv4.ip_forward",
        "8000-8080 ; 8000-8080",
        "1500 ; 1500",
        "0 ; 0",
        "!docker0 ; \"!docker0\"",
        "172.17.10.10:80 ; \"172.17.10.10:80\"",
        "h[1..50] ; \"h[1..50]\"",
        "2001:db8::1/64 ; \"2001:db8::1/64\"",
        "fe80:: ; \"fe80::\"",
        "02:00:00:00:00:01 ; \"02:00:00:00:00:01\"",
        "12:30 ; \"12:30\"",
        "0x10 ; \"0x10\"",
        "010 ; \"010\"",
        "1_000 ; \"1_000\"",
        "1.5 ; \"1.5\"",
        "true ; \"true\"",
        "yes ; \"yes\"",
        "off ; \"off\"",
        "null ; \"null\"",
        "~ ; \"~\"",
        "2024-01-01 ; \"2024-01-01\"",
        ".inf ; \".inf\"",
        "-x ; \"-x\"",
        "?x ; \"?x\"",
        "`a: b` ; \"a: b\"",
        "a,b ; \"a,b\"",
        "{x} ; \"{x}\"",
        "#x ; \"#x\"",
        "&a ; \"&a\"",
        "*a ; \"*a\"",
        "|x ; \"|x\"",
        ">x ; \">x\"",
        "'x ; \"'x\"",
        "%x ; \"%x\"",
        "@x ; \"@x\"",
        "`a b` ; \"a b\"",
        "`` ; \"\"",
        "a\"b ; \"a\\\"b\"",
        "a\\b ; \"a\\\\b\"",
    })
    void scalarsQuoteWhatYamlWouldMisread(String text, String printed) {
        assertEquals(printed, YamlPrinter.scalar(text, false));
        for (String doc : List.of("k: " + printed + "\n", "k: { x: " + printed + " }\n", "k: [" + printed + ", y]\n")) {
            Object k = ((Map<?, ?>) YamlReadBack.load(doc)).get("k");
            Object value = k instanceof Map<?, ?> m ? m.get("x") : k instanceof List<?> l ? l.get(0) : k;
            assertEquals(text, String.valueOf(value), doc);
        }
    }

    @Test
    void flagsPrintPlainBooleansAndControlCharactersAreEscaped() {
        assertEquals("true", YamlPrinter.scalar("true", true));
        assertEquals("false", YamlPrinter.scalar("false", true));
        assertEquals("\"yes\"", YamlPrinter.scalar("yes", true));
        String odd = "tab\there\nnl\u0001\u2028é";
        String printed = YamlPrinter.scalar(odd, false);
        assertEquals("\"tab\\there\\nnl\\u0001\\u2028é\"", printed);
        assertEquals(odd, ((Map<?, ?>) YamlReadBack.load("k: " + printed)).get("k"));
    }

    /*
     * 1  # lab of the week
     * 2  topology lab   # the name
     * 4  # the router
     * 5  node r {  // header
     * 6    // uplink
     * 7    iface eth0 {
     * 8      address 10.0.0.1/24  # primary
     * 9    }
     * 11   route default via 10.0.0.254  # gw
     * 12   # end of r
     * 13 }
     * 14 link r:eth0 -- up:eth0 { mtu 1500 } # cable
     * 15 expect r -> up reach
     * 16 # the end
     */
    @Test
    void commentsBecomeYamlComments() {
        TopologyAst ast = topology(at(2, 10), "lab")
                .node(node(at(5, 1), "r")
                        .iface(iface(at(7, 3), "eth0", p(at(8, 5), "addresses", "10.0.0.1/24")))
                        .route(route(at(11, 3), p("to", "default"), p("via", "10.0.0.254"))))
                .link(link(at(14, 1), "r:eth0", "up:eth0", p(at(14, 25), "mtu", "1500")))
                .expect(expect(at(15, 1), p("from", "r"), p("to", "up"), p("reach")))
                .comment(comment(1, 1, "# lab of the week"), comment(2, 19, "# the name"),
                        comment(4, 1, "# the router"), comment(5, 11, "// header"), comment(6, 3, "// uplink"),
                        comment(8, 26, "# primary"), comment(11, 33, "# gw"), comment(12, 3, "# end of r"),
                        comment(14, 38, "# cable"), comment(16, 1, "# the end"))
                .build();
        String yaml = YamlPrinter.print(ast);
        assertEquals("""
                # lab of the week
                topology: lab # the name
                nodes:
                  # the router
                  r: # header
                    interfaces:
                      # uplink
                      # primary
                      eth0: { addresses: [10.0.0.1/24] }
                    routes:
                      - { to: default, via: 10.0.0.254 } # gw
                    # end of r
                links:
                  - { a: r:eth0, b: up:eth0, mtu: 1500 } # cable
                expect:
                  - { from: r, to: up, reach: true }
                # the end
                """, yaml);
        YamlReadBack.assertReadsBackAs(ast, yaml);
    }

    @Test
    void emptyTopology() {
        // issue 18, item 14: an empty YAML file is invalid, so the empty topology is written `nodes: {}`
        assertEquals("nodes: {}\n", YamlPrinter.print(topology(null).build()));
        assertTrue(YamlPrinter.print(topology("x").build()).endsWith("x\n"));
    }
}
