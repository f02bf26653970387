package dev.topoc.compiler.syntax.yaml;

import static dev.topoc.compiler.syntax.yaml.YamlTesting.parse;
import static dev.topoc.compiler.syntax.yaml.YamlTesting.show;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.compiler.diag.Code;
import dev.topoc.compiler.diag.Diagnostic;
import java.util.List;
import org.junit.jupiter.api.Test;

class YamlDiagnosticsTest {

    private static Diagnostic only(String text) {
        List<Diagnostic> all = parse(text).diagnostics();
        assertEquals(1, all.size(), () -> show(all));
        return all.get(0);
    }

    private static void assertDiagnostic(Diagnostic d, Code code, int line, int column, String message) {
        assertEquals(line + ":" + column + " " + code + " " + message,
                d.span().line() + ":" + d.span().column() + " " + d.code() + " " + d.message());
    }

    @Test
    void testUnknownKeyWarnings() {
        var d = only("""
                nodes:
                  n:
                    interfaces:
                      eth0: { mtuu: 1500 }
                """);
        assertDiagnostic(d, Code.UNKNOWN_KEY, 4, 15, "unknown key `mtuu` in an interface; did you mean `mtu`?");
        assertEquals(4, d.span().length());

        assertDiagnostic(only("nodes:\n  n:\n    forwardin: true\n"), Code.UNKNOWN_KEY, 3, 5,
                "unknown key `forwardin` in a node; did you mean `forwarding`?");
        assertDiagnostic(only("topology: t\ncolour: blue\n"), Code.UNKNOWN_KEY, 2, 1,
                "unknown key `colour` at the top level; expected one of: topology, machines, nodes, links, expect");
        assertDiagnostic(only("expect: [{ from: a, to: b, rech: true }]\n"), Code.UNKNOWN_KEY, 1, 28,
                "unknown key `rech` in an expect; did you mean `reach`?");
        assertDiagnostic(only("links: [{ a: x:e, b: y:e, mut: 1 }]\n"), Code.UNKNOWN_KEY, 1, 27,
                "unknown key `mut` in a link; did you mean `mtu`?");
        assertDiagnostic(only("nodes:\n  n:\n    <<: { kind: root }\n"), Code.UNKNOWN_KEY, 3, 5,
                "unknown key `<<` in a node; YAML merge keys are not supported, write the keys out");
    }

    @Test
    void testUnknownChainWarnings() {
        assertDiagnostic(only("nodes:\n  n:\n    firewall:\n      inptu: { policy: drop }\n"), Code.UNKNOWN_KEY,
                4, 7, "unknown chain `inptu` in `firewall`; did you mean `input`?");
        assertDiagnostic(only("nodes:\n  n:\n    firewall:\n      input: { rules: [{ action: drop, port: 1 }] }\n"),
                Code.UNKNOWN_KEY, 4, 40, "unknown key `port` in a firewall rule; did you mean `sport`?");
    }

    @Test
    void testWrongTypeWarnings() {
        assertDiagnostic(only("nodes:\n  n:\n    interfaces: 5\n"), Code.WRONG_TYPE, 3, 17,
                "`interfaces` takes a map of interface name: interface, found the value `5`");
        assertDiagnostic(only("nodes:\n  n:\n    interfaces:\n      e: { mtu: [1, 2] }\n"), Code.WRONG_TYPE,
                4, 17, "`mtu` takes a single value, found a list");
        assertDiagnostic(only("nodes:\n  n:\n    interfaces:\n      e: { addresses: {a: 1} }\n"), Code.WRONG_TYPE,
                4, 23, "`addresses` takes a list of values, found a map");
        assertDiagnostic(only("nodes:\n  n:\n    interfaces:\n      e: { addresses: [[1]] }\n"), Code.WRONG_TYPE,
                4, 24, "each value of `addresses` is a single value, found a list");
        assertDiagnostic(only("nodes: [a, b]\n"), Code.WRONG_TYPE, 1, 8,
                "`nodes` takes a map of node name: node, found a list");
        assertDiagnostic(only("nodes:\n  n:\n    routes: { to: default }\n"), Code.WRONG_TYPE, 3, 13,
                "`routes` takes a list of maps, found a map");
        assertDiagnostic(only("nodes:\n  n:\n    nat: [masquerade]\n"), Code.WRONG_TYPE, 3, 11,
                "each entry of `nat` is a map, found the value `masquerade`");
        assertDiagnostic(only("nodes:\n  n: [eth0]\n"), Code.WRONG_TYPE, 2, 6,
                "node `n` takes a map of node keys, found a list");
        assertDiagnostic(only("nodes:\n  n:\n    sysctl: [a]\n"), Code.WRONG_TYPE, 3, 13,
                "`sysctl` takes a map of KEY: VALUE, found a list");
        assertDiagnostic(only("nodes:\n  n:\n    kind:\n"), Code.WRONG_TYPE, 3, 5, "`kind` needs a value");
        assertDiagnostic(only("- topology\n"), Code.WRONG_TYPE, 1, 1,
                "a topology file is a map of `topology`, `machines`, `nodes`, `links` and `expect`, found a list");
    }

    @Test
    void testLinkWarnings() {
        assertDiagnostic(only("links:\n  - [a:e, b:e, c:e]\n"), Code.WRONG_TYPE, 2, 5,
                "a link `[a, b]` has two endpoints, found 3");
        assertDiagnostic(only("links:\n  - a:e -- b:e\n"), Code.WRONG_TYPE, 2, 5,
                "a link is written `[a, b]` or `{a: NODE:IF, b: NODE:IF}`, found the value `a:e -- b:e`");
        assertDiagnostic(only("links:\n  - { a: x:e, mtu: 1500 }\n"), Code.MISSING_KEY, 2, 5,
                "a link needs `b` (an endpoint NODE:IF)");
        assertDiagnostic(only("links:\n  - [x:e, [y, e]]\n"), Code.WRONG_TYPE, 2, 11,
                "a link endpoint is written `NODE:IF`, found a list");
    }

    @Test
    void testDuplicateKeyWarnings() {
        var d = only("nodes:\n  n:\n    interfaces:\n      e: { mtu: 1500, mtu: 9000 }\n");
        assertDiagnostic(d, Code.DUPLICATE_KEY, 4, 23, "`mtu` is given twice in this map (first on line 4)");
        assertEquals(1, d.notes().size());
        assertEquals(4, d.notes().get(0).span().line());
        assertEquals(12, d.notes().get(0).span().column());

        var node = only("nodes:\n  web:\n    kind: netns\n  web:\n    kind: root\n");
        assertDiagnostic(node, Code.DUPLICATE_KEY, 4, 3, "`web` is given twice in this map (first on line 2)");
        var result = parse("nodes:\n  web:\n    kind: netns\n  web:\n    kind: root\n");
        assertEquals(1, result.ast().nodes().size());
        assertEquals("netns", result.ast().nodes().get(0).value("kind").orElseThrow().text());

        assertDiagnostic(only("topology: a\ntopology: b\n"), Code.DUPLICATE_KEY, 2, 1,
                "`topology` is given twice in this map (first on line 1)");
    }

    @Test
    void testBadTagWarnings() {
        var pyTag = parse("topology: !!python/object/apply:os.system [\"rm -rf /\"]\n").diagnostics().get(0);
        assertEquals(Code.WRONG_TYPE, pyTag.code());
        assertEquals(1, pyTag.span().line());
        assertEquals(11, pyTag.span().column());
        assertTrue(pyTag.message().startsWith("tag `!!python/object/apply:os.system` is not allowed"), pyTag.message());

        var all = parse("""
                topology: !!java.net.URL "http://example.com"
                nodes:
                  n:
                    kind: !custom netns
                    machine: !!str box
                    forwarding: !!bool true
                    interfaces: !!map { e: { mtu: !!int 1500, addresses: !!seq [ !!str auto ] } }
                """).diagnostics();
        assertEquals("1:11 WRONG_TYPE\n4:11 WRONG_TYPE\n", summary(all), show(all));
        assertTrue(all.get(0).message().startsWith("tag `!!java.net.URL` is not allowed"));
        assertTrue(all.get(1).message().startsWith("tag `!custom` is not allowed"));
    }

    @Test
    void testMalformedYamlWarnings() {
        assertDiagnostic(only("nodes:\n  n: { kind: root\n"), Code.YAML_SYNTAX, 3, 1,
                "expected ',' or '}', but got <stream end> (while parsing a flow mapping)");
        assertDiagnostic(only("nodes:\n  n: a: b\n"), Code.YAML_SYNTAX, 2, 7, "mapping values are not allowed here");
        assertDiagnostic(only("nodes:\n\tn: {}\n"), Code.YAML_SYNTAX, 2, 1, "a tab cannot indent YAML; use spaces");
        assertDiagnostic(only("nodes: *missing\n"), Code.YAML_SYNTAX, 1, 8, "found undefined alias missing");
        assertDiagnostic(only("topology: a\n---\ntopology: b\n"), Code.YAML_SYNTAX, 2, 1,
                "expected a single document in the stream, but found another document");
        assertDiagnostic(only("topology: \"open\n"), Code.YAML_SYNTAX, 2, 1,
                "found unexpected end of stream (while scanning a quoted scalar)");
        assertDiagnostic(only("topology: a\u0001b\n"), Code.YAML_SYNTAX, 1, 12, "character U+0001 is not allowed in YAML");
        for (String bad : List.of("[", "{a: [}", "a: 'x\n", "? - : - :\n:", "%YAML 9.9\n---\na: 1", "&a [*a, *b]")) {
            for (Diagnostic d : parse(bad).diagnostics()) {
                assertTrue(d.span().isKnown(), bad);
                assertFalse(d.message().contains("org.yaml") || d.message().contains("Exception"), d.message());
            }
        }
    }

    @Test
    void testEmptyFileWarnings() {
        for (String empty : List.of("", "# only a comment\n", "---\n", "~\n")) {
            var d = only(empty);
            assertDiagnostic(d, Code.MISSING_KEY, 1, 1,
                    "the file is empty: a topology starts with `topology: NAME` and `nodes:`");
        }
    }

    @Test
    void testAllProblemsReportedTogether() {
        var all = parse("""
                topology: t
                nodes:
                  a:
                    kidn: root
                    interfaces:
                      e: { mtu: [1], mtu: 2, bogus: x }
                    routes: { to: default }
                  b: 7
                links:
                  - [a:e]
                expect:
                  - { from: a, to: !!binary aGk= }
                color: red
                """).diagnostics();
        assertEquals("""
                4:5 UNKNOWN_KEY
                6:17 WRONG_TYPE
                6:22 DUPLICATE_KEY
                6:30 UNKNOWN_KEY
                7:13 WRONG_TYPE
                8:6 WRONG_TYPE
                10:5 WRONG_TYPE
                12:20 WRONG_TYPE
                13:1 UNKNOWN_KEY
                """, summary(all), show(all));
    }

    private static String summary(List<Diagnostic> all) {
        StringBuilder out = new StringBuilder();
        all.forEach(d -> out.append(d.span().line()).append(':').append(d.span().column()).append(' ')
                .append(d.code()).append('\n'));
        return out.toString();
    }
}
