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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.compiler.ast.TopologyAst;
import java.util.List;
import org.junit.jupiter.api.Test;

class DslPrinterTest {

    @Test
    void languageExamplePrintsAsWritten() {
        assertEquals("""
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
                """, DslPrinter.print(Build.dockerBridge()));
    }

    @Test
    void interfaceForms() {
        TopologyAst ast = topology("t").node(node("r")
                .iface(iface("v10", p("kind", "vlan"), p("mtu", "1400"), p("id", "10"), p("parent", "eth0")),
                        iface("vx0", p("kind", "vxlan"), p("port", "4789"), p("dev", "eth0"), p("vni", "42"),
                                p("local", "10.0.0.1"), p("remote", "10.0.0.2"), p("group", "239.1.1.1")),
                        iface("mv0", p("kind", "macvlan"), p("parent", "h1:eth0"), p("mode", "bridge")),
                        iface("iv0", p("kind", "ipvlan"), p("parent", "eth0"), p("mode", "l3"), p("flag", "private"),
                                p("addresses", "10.1.0.1/24", "10.1.0.2/24")),
                        iface("br0", p("kind", "bridge"), p("stp"), p("subnet", "10.2.0.0/24"), p("addresses", "auto")),
                        iface("br1", p("kind", "bridge"), p("stp", "false")),
                        iface("lo"),
                        iface("lo", p("kind", "loopback")),
                        iface("d0", p("kind", "dummy")),
                        iface("e0", p("addresses", "10.0.0.1/24"), p("addresses", "10.0.0.2/24"), p("up", "false"),
                                p("mac", "02:00:00:00:00:01")),
                        iface("p[1..4]", p("master", "br0")),
                        iface("w0", p("kind", "wireguard")))).build();
        assertEquals("""
                topology t

                node r {
                  vlan v10 parent eth0 id 10 { mtu 1400 }
                  vxlan vx0 vni 42 local 10.0.0.1 remote 10.0.0.2 group 239.1.1.1 dev eth0 port 4789
                  macvlan mv0 parent h1:eth0 mode bridge
                  ipvlan iv0 parent eth0 mode l3 flag private { address 10.1.0.1/24 10.1.0.2/24 }
                  bridge br0 {
                    address auto
                    stp
                    subnet 10.2.0.0/24
                  }
                  bridge br1 { stp false }
                  lo
                  iface lo loopback
                  iface d0 dummy
                  iface e0 {
                    address 10.0.0.1/24 10.0.0.2/24
                    mac 02:00:00:00:00:01
                    up false
                  }
                  iface p[1..4] { master br0 }
                  iface w0 { kind wireguard }
                }
                """, DslPrinter.print(ast));
    }

    @Test
    void nodeStatementsRoutesRulesNatFirewall() {
        TopologyAst ast = topology("t")
                .node(node("a").prop(p("kind", "netns")),
                        node("r").prop(p("sysctl", "net.ipv4.conf.all.rp_filter", "0"), p("kind", "root"),
                                        p("machine", "host1"), p("forwarding", "false"))
                                .route(route(p("to", "10.9.0.0/16"), p("type", "blackhole")),
                                        route(p("table", "100"), p("metric", "10"), p("dev", "eth1"),
                                                p("via", "10.0.0.254"), p("to", "10.8.0.0/16"), p("src", "10.0.0.1")),
                                        route(p("to", "default"), p("via", "10.0.0.1"), p("type", "unicast")))
                                .rule(rule(p("table", "100"), p("from", "10.0.0.0/24"), p("priority", "100")),
                                        rule(p("fwmark", "0x1"), p("iif", "eth0"), p("table", "main")))
                                .nat(nat(p("type", "snat"), p("to", "203.0.113.1"), p("out", "eth1"),
                                                p("from", "10.0.0.0/24")),
                                        nat(p("type", "dnat"), p("proto", "udp"), p("port", "53"), p("dst", "203.0.113.1"),
                                                p("to", "10.0.0.53"), p("in", "eth1")),
                                        nat(p("type", "dnat"), p("proto", "sctp"), p("to", "10.0.0.9")))
                                .chain(chain("input", List.of(p("policy", "drop")),
                                                fw(p("action", "accept"), p("iif", "lo")),
                                                fw(p("action", "accept"), p("state", "established", "related")),
                                                fw(p("action", "accept"), p("proto", "tcp"), p("dport", "22"),
                                                        p("from", "203.0.113.50"))),
                                        chain("forward", List.of(p("policy", "accept")),
                                                fw(p("oif", "eth1"), p("action", "reject"), p("sport", "1000-2000"),
                                                        p("to", "10.0.0.0/8"))),
                                        chain("output", List.of())))
                .build();
        assertEquals("""
                topology t

                node a netns { }

                node r root {
                  forwarding false
                  machine host1
                  route blackhole 10.9.0.0/16
                  route 10.8.0.0/16 via 10.0.0.254 dev eth1 metric 10 table 100 src 10.0.0.1
                  route default via 10.0.0.1 type unicast
                  rule priority 100 from 10.0.0.0/24 lookup 100
                  rule iif eth0 fwmark 0x1 lookup main
                  nat snat from 10.0.0.0/24 out eth1 to 203.0.113.1
                  nat dnat udp dst 203.0.113.1 in eth1 port 53 to 10.0.0.53
                  nat dnat proto sctp to 10.0.0.9
                  firewall input policy drop {
                    accept in lo
                    accept state established,related
                    accept proto tcp from 203.0.113.50 dport 22
                  }
                  firewall forward policy accept { reject to 10.0.0.0/8 sport 1000-2000 out eth1 }
                  firewall output
                  sysctl net.ipv4.conf.all.rp_filter 0
                }
                """, DslPrinter.print(ast));
    }

    @Test
    void linksAndExpects() {
        TopologyAst ast = topology("t")
                .link(link("h[1..3]:eth0", "sw:p[1..3]", p("subnet", "10.0.0.0/24"), p("mtu", "9000")),
                        link("a:e", "b:e", p("subnet", "10.1.0.0/24")))
                .expect(expect(p("from", "a"), p("to", "b:e"), p("reach", "false")),
                        expect(p("from", "a"), p("to", "b"), p("proto", "icmp"), p("reach", "true"),
                                p("via", "r1", "r2")),
                        expect(p("from", "a"), p("to", "b:8080"), p("port", "53"), p("proto", "udp"), p("reach")))
                .build();
        assertEquals("""
                topology t

                link h[1..3]:eth0 -- sw:p[1..3] {
                  mtu 9000
                  subnet 10.0.0.0/24
                }
                link a:e -- b:e { subnet 10.1.0.0/24 }

                expect a -> b:e noreach
                expect a -> b icmp reach via r1 r2
                expect a -> b:8080 udp 53 reach
                """, DslPrinter.print(ast));
    }

    @Test
    void quotesOnlyWhatIsNotAPlainWord() {
        assertEquals("web[1..50]", DslPrinter.word("web[1..50]"));
        assertEquals("!docker0", DslPrinter.word("!docker0"));
        assertEquals("2001:db8::1/64", DslPrinter.word("2001:db8::1/64"));
        assertEquals("established,related", DslPrinter.word("established,related"));
        assertEquals("\"\"", DslPrinter.word(""));
        assertEquals("\"two words\"", DslPrinter.word("two words"));
        assertEquals("\"a{b\"", DslPrinter.word("a{b"));
        assertEquals("\"a}\"", DslPrinter.word("a}"));
        assertEquals("\"say \\\"hi\\\"\"", DslPrinter.word("say \"hi\""));
        assertEquals("back\\slash", DslPrinter.word("back\\slash"));
        assertEquals("\"a \\\\ b\"", DslPrinter.word("a \\ b"));
        assertEquals("\"a#b\"", DslPrinter.word("a#b"));
        assertEquals("\"http://x\"", DslPrinter.word("http://x"));
        assertEquals("\"--\"", DslPrinter.word("--"));
        assertEquals("\"->\"", DslPrinter.word("->"));
        assertEquals("\"tab\\there\"".replace("\\t", "\t"), DslPrinter.word("tab\there"));
        assertTrue(DslPrinter.isPlainWord("a/b"));
        assertFalse(DslPrinter.isPlainWord("a b"));

        TopologyAst ast = topology("my lab").node(node("n")
                .iface(iface("e0", p("mac", "x y"))).prop(p("machine", ""))).build();
        assertEquals("""
                topology "my lab"

                node n {
                  machine ""
                  iface e0 { mac "x y" }
                }
                """, DslPrinter.print(ast));
    }

    @Test
    void emptyTopologyAndNoName() {
        assertEquals("", DslPrinter.print(topology(null).build()));
        assertEquals("node a { }\n", DslPrinter.print(topology(null).node(node("a")).build()));
    }

    /*
     * 1  # lab of the week
     * 2  topology lab   # the name
     * 3
     * 4  # the router
     * 5  node r {  // header
     * 6    // uplink
     * 7    iface eth0 {
     * 8      address 10.0.0.1/24  # primary
     * 9    }
     * 10   iface eth1 { address 10.1.0.1/24 mtu 9000 }  # two statements
     * 11   route default via 10.0.0.254  # gw
     * 12   # end of r
     * 13 }
     * 14 link r:eth0 -- up:eth0 # cable
     * 15 # the end
     */
    @Test
    void commentsLeadingTrailingInsideBlocksAndAtTheEnd() {
        TopologyAst ast = topology(at(2, 10), "lab")
                .node(node(at(5, 1), "r")
                        .iface(iface(at(7, 3), "eth0", p(at(8, 5), "addresses", "10.0.0.1/24")),
                                iface(at(10, 3), "eth1", p(at(10, 16), "addresses", "10.1.0.1/24"),
                                        p(at(10, 36), "mtu", "9000")))
                        .route(route(at(11, 3), p("to", "default"), p("via", "10.0.0.254"))))
                .link(link(at(14, 1), "r:eth0", "up:eth0"))
                .comment(comment(1, 1, "# lab of the week"), comment(2, 19, "# the name"),
                        comment(4, 1, "# the router"), comment(5, 11, "// header"), comment(6, 3, "// uplink"),
                        comment(8, 26, "# primary"), comment(10, 48, "# two statements"),
                        comment(11, 33, "# gw"), comment(12, 3, "# end of r"), comment(14, 26, "# cable"),
                        comment(15, 1, "# the end"))
                .build();
        String printed = DslPrinter.print(ast);
        assertEquals("""
                # lab of the week
                topology lab # the name

                # the router
                node r { // header
                  // uplink
                  iface eth0 {
                    address 10.0.0.1/24 # primary
                  }
                  iface eth1 { # two statements
                    address 10.1.0.1/24
                    mtu 9000
                  }
                  route default via 10.0.0.254 # gw
                  # end of r
                }

                link r:eth0 -- up:eth0 # cable

                # the end
                """, printed);
    }

    /** The printed text of the test above, as the DSL front end would read it back: it prints unchanged. */
    @Test
    void commentPlacementIsIdempotent() {
        TopologyAst reparsed = topology(at(2, 10), "lab")
                .node(node(at(5, 1), "r")
                        .iface(iface(at(7, 3), "eth0", p(at(8, 5), "addresses", "10.0.0.1/24")),
                                iface(at(10, 3), "eth1", p(at(11, 5), "addresses", "10.1.0.1/24"),
                                        p(at(12, 5), "mtu", "9000")))
                        .route(route(at(14, 3), p("to", "default"), p("via", "10.0.0.254"))))
                .link(link(at(18, 1), "r:eth0", "up:eth0"))
                .comment(comment(1, 1, "# lab of the week"), comment(2, 14, "# the name"),
                        comment(4, 1, "# the router"), comment(5, 10, "// header"), comment(6, 3, "// uplink"),
                        comment(8, 25, "# primary"), comment(10, 16, "# two statements"),
                        comment(14, 32, "# gw"), comment(15, 3, "# end of r"), comment(18, 24, "# cable"),
                        comment(20, 1, "# the end"))
                .build();
        assertEquals("""
                # lab of the week
                topology lab # the name

                # the router
                node r { // header
                  // uplink
                  iface eth0 {
                    address 10.0.0.1/24 # primary
                  }
                  iface eth1 { # two statements
                    address 10.1.0.1/24
                    mtu 9000
                  }
                  route default via 10.0.0.254 # gw
                  # end of r
                }

                link r:eth0 -- up:eth0 # cable

                # the end
                """, DslPrinter.print(reparsed));
    }

    /*
     * 1 node a {
     * 2   # nothing yet
     * 3 }
     * 4 node b {
     * 5   bridge br0 {
     * 6     stp
     * 7     # more to come
     * 8   }
     * 9   # before the firewall
     * 10  firewall input policy drop { accept in lo }  # only lo
     * 11  firewall output {
     * 12    # the one rule
     * 13    drop to 10.0.0.0/8
     * 14  }
     * 15 }
     * 16 expect a -> b reach
     * 17   # indented but last: end of file
     */
    @Test
    void commentsAtTheEndOfBlocksKeepBlocksOpen() {
        TopologyAst ast = topology(null)
                .node(node(at(1, 1), "a"),
                        node(at(4, 1), "b")
                                .iface(iface(at(5, 3), "br0", p("kind", "bridge"), p(at(6, 5), "stp")))
                                .chain(chain(at(10, 3), "input", List.of(p("policy", "drop")),
                                                fw(at(10, 32), p("action", "accept"), p("iif", "lo"))),
                                        chain(at(11, 3), "output", List.of(),
                                                fw(at(13, 5), p("action", "drop"), p("to", "10.0.0.0/8")))))
                .expect(expect(at(16, 1), p("from", "a"), p("to", "b"), p("reach")))
                .comment(comment(2, 3, "# nothing yet"), comment(7, 5, "# more to come"),
                        comment(9, 3, "# before the firewall"), comment(10, 50, "# only lo"),
                        comment(12, 5, "# the one rule"), comment(17, 3, "# indented but last: end of file"))
                .build();
        assertEquals("""
                node a {
                  # nothing yet
                }

                node b {
                  bridge br0 {
                    stp
                    # more to come
                  }
                  # before the firewall
                  firewall input policy drop { accept in lo } # only lo
                  firewall output {
                    # the one rule
                    drop to 10.0.0.0/8
                  }
                }

                expect a -> b reach

                # indented but last: end of file
                """, DslPrinter.print(ast));
    }

    @Test
    void commentsWithoutPositionGoToTheEnd() {
        TopologyAst ast = topology("t").comment(new dev.topoc.compiler.ast.Comment("# lost", dev.topoc.compiler.diag.Span.NONE)).build();
        assertEquals("topology t\n\n# lost\n", DslPrinter.print(ast));
    }
}
