package dev.topoc.compiler.syntax.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.compiler.diag.Code;
import dev.topoc.compiler.diag.Diagnostic;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.syntax.SourceFile;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Exact syntax diagnostics (code, line, column, message) for broken DSL input. */
class DslSyntaxErrorTest {
    /** Every diagnostic as "line:col message"; all must be SYNTAX errors in t.topo. */
    static List<String> errors(String text) {
        Diagnostics d = new Diagnostics();
        DslFrontEnd.parse(new SourceFile("t.topo", text), d);
        for (Diagnostic x : d.all()) {
            assertEquals(Code.SYNTAX, x.code(), x::toString);
            assertEquals("t.topo", x.span().file());
            assertTrue(x.isError());
        }
        return d.sorted().stream().map(x -> x.span().line() + ":" + x.span().column() + " " + x.message()).toList();
    }

    static void assertErrors(String text, String... expected) {
        assertEquals(List.of(expected), errors(text));
    }

    @Test
    void testUnknownStatementWarnings() {
        assertErrors("node a {\n  ifce eth0 { address 1.2.3.4/24 }\n  route default via 1.2.3.4\n}",
                "2:3 unknown statement `ifce` in a node block; did you mean `iface`?");
        assertErrors("nod a { }", "1:1 unknown statement `nod` at the top level; did you mean `node`?");
        assertErrors("node a { iface e { mtuu 9000 } }",
                "1:20 unknown statement `mtuu` in an interface block; did you mean `mtu`?");
        assertErrors("node a { firewall input { acept in lo drop } }",
                "1:27 unknown statement `acept` in a firewall block; did you mean `accept`?");
        assertErrors("node a { frobnicate }", "1:10 unknown statement `frobnicate` in a node block");
    }

    @Test
    void testUnknownOptionWarnings() {
        assertErrors("node a { route default via 1.2.3.4 metirc 5 }",
                "1:36 unknown option `metirc` for `route`; did you mean `metric`?");
        assertErrors("node a { iface eth0 mtuu 9000 }", "1:21 unknown option `mtuu` for `iface`; did you mean `mtu`?");
    }

    @Test
    void testMissingWordWarnings() {
        assertErrors("expect nginx 192.0.2.53 reach", "1:14 expected `->` after `expect nginx`");
        assertErrors("node a { iface { address 1.2.3.4/24 } }", "1:16 expected an interface name after `iface`");
        assertErrors("node a { iface eth0 { mtu } }", "1:27 expected a value after `mtu`");
        assertErrors("expect a -> b tcp", "1:18 expected a port number after `tcp`");
        assertErrors("link a:x b:y", "1:10 expected `--` after `link a:x`");
        assertErrors("link a:x --", "1:12 expected an endpoint `node:interface` after `link a:x --`");
        assertErrors("topology", "1:9 expected a topology name after `topology`");
        assertErrors("node { }", "1:6 expected a node name after `node`");
        assertErrors("expect a -> b", "1:14 expected `tcp`, `udp`, `icmp`, `reach`, `noreach`, `v4` or `v6` after `expect a -> b`");
    }

    /** Issue 17, items 5, 6 and 8: what a new user writes, and what they are told. */
    @Test
    void testNewUserMistakeWarnings() {
        assertErrors("node a { }\nexpect a -> 10.0.0.2 tcp reach\n",
                "2:22 `tcp` needs a port number before `reach`, e.g. `tcp 80 reach`");
        assertErrors("expect a -> b udp noreach via c",
                "1:15 `udp` needs a port number before `noreach`, e.g. `udp 80 noreach`");
        assertErrors("node r {\n  route 10.64.0.0/10 blackhole\n}",
                "2:22 unexpected `blackhole` after the destination: the route type comes first, as in iproute2; "
                        + "write `route blackhole 10.64.0.0/10`");
        assertErrors("node r { route 10.0.0.0/8 via 10.1.0.1 unreachable }",
                "1:40 unexpected `unreachable` after the destination: the route type comes first, as in iproute2; "
                        + "write `route unreachable 10.0.0.0/8`");
        assertErrors("node a {\n  iface eth0 { address 10.0.0.1/24 delay 10ms }\n}",
                "2:36 `delay` is not an interface statement (those are: kind, address, mtu, mac, master, up, parent, "
                        + "id, vni, local, remote, group, dev, port, mode, flag, stp, hairpin, subnet), nor an address "
                        + "(`address` takes addresses with a prefix length, such as 10.0.0.1/24, or `auto`)");
    }

    @Test
    void testNewUserMistakesLeaveGoodFormsAlone() {
        assertErrors("node a { }\nexpect a -> 10.0.0.2 tcp 80 reach\n");
        assertErrors("node r { route blackhole 10.64.0.0/10 }");
        assertErrors("node a { iface eth0 { address 10.0.0.1/24 auto 2001:db8::1/64 fe80::1/64 } }");
    }

    @Test
    void testWrongKeywordWarnings() {
        assertErrors("node a { nat masqurade from 1.2.3.0/24 }",
                "1:14 expected a NAT type (`masquerade`, `snat` or `dnat`) after `nat`; did you mean `masquerade`?");
        assertErrors("node a { firewall inptu policy drop }",
                "1:19 expected a firewall chain (`input`, `forward` or `output`) after `firewall`; did you mean `input`?");
        assertErrors("node x y z { }", "1:8 expected `{`, `netns`, `root` or `external` after `node x`");
    }

    @Test
    void testBraceWarnings() {
        assertErrors("}", "1:1 unexpected `}`: no block is open");
        assertErrors("node a { iface x { address 1.2.3.4/24 mtu 1500 }\n}\n}", "3:1 unexpected `}`: no block is open");
        assertErrors("node a { iface eth0 { address 1.2.3.4/24 }\nnode b { }",
                "2:1 expected `}` to close the block opened at line 1, column 8");
        assertErrors("node a { iface eth0", "1:20 expected `}` to close the block opened at line 1, column 8");
        assertErrors("node a { iface eth0 {", "1:22 expected `}` to close the block opened at line 1, column 21");
    }

    @Test
    void testLexicalWarnings() {
        assertErrors("node a { iface x \"abc\n}",
                "1:18 unterminated quoted value: a `\"` must close it on the same line");
        assertErrors("node \"a { }", "1:6 unterminated quoted value: a `\"` must close it on the same line",
                "1:12 expected `{`, `netns`, `root` or `external` after `node \"a { }`");
    }

    @Test
    void testSeveralErrorsAllReported() {
        String text = """
                topology lab
                nod a { }
                node b {
                  ifce eth0
                  iface eth1 { mtu }
                  route default via 10.0.0.1 metirc 5
                }
                link b:eth1 c:eth0
                expect b 10.0.0.1 reach
                }
                """;
        assertErrors(text,
                "2:1 unknown statement `nod` at the top level; did you mean `node`?",
                "4:3 unknown statement `ifce` in a node block; did you mean `iface`?",
                "5:20 expected a value after `mtu`",
                "6:30 unknown option `metirc` for `route`; did you mean `metric`?",
                "8:13 expected `--` after `link b:eth1`",
                "9:10 expected `->` after `expect b`",
                "10:1 unexpected `}`: no block is open");
    }

    @Test
    void testErrorCapWarnings() {
        String text = "}\n".repeat(500);
        List<String> got = errors(text);
        assertEquals(DslFrontEnd.MAX_SYNTAX_ERRORS + 1, got.size());
        assertEquals("101:1 too many syntax errors; the rest of the file was not checked", got.get(100));
    }

    @Test
    void testPartialAstSurvivesErrors() {
        Diagnostics d = new Diagnostics();
        var ast = DslFrontEnd.parse(new SourceFile("t.topo",
                "node a {\n ifce x\n iface y { mtu 1500 }\n}\nnode b { }"), d);
        assertEquals(1, d.all().size());
        assertEquals(List.of("a", "b"), ast.nodes().stream().map(n -> n.name().text()).toList());
        assertEquals("y", ast.nodes().get(0).interfaces().get(0).name().text());
    }
}
