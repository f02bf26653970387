package dev.topoc.compiler.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.TestSupport;
import dev.topoc.compiler.diag.Code;
import dev.topoc.compiler.model.Listen;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.model.PortRange;
import dev.topoc.compiler.model.Proto;
import dev.topoc.compiler.model.Run;
import dev.topoc.compiler.print.DslPrinter;
import dev.topoc.compiler.print.YamlPrinter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code listen} and {@code run} (LANGUAGE.md §5) in both spellings, the printers and the diagnostics. */
class WorkloadsTest {
    private static final String DSL = """
            node web {
              iface eth0 { address 10.0.0.10/24 }
              listen tcp 80
              listen udp 53 on 10.0.0.10
              listen tcp 8000-8010
              run "python3 -m http.server 80"
              run "sh -c 'echo \\"hi\\"; sleep 9'"
            }
            """;

    private static final String YAML = """
            nodes:
              web:
                interfaces: { eth0: { addresses: [10.0.0.10/24] } }
                listen: [tcp/80, "udp/53 on 10.0.0.10", tcp/8000-8010]
                run: ["python3 -m http.server 80", "sh -c 'echo \\"hi\\"; sleep 9'"]
            """;

    private static final String YAML_LONG = """
            nodes:
              web:
                interfaces: { eth0: { addresses: [10.0.0.10/24] } }
                listen:
                  - {proto: tcp, port: 80}
                  - {proto: udp, port: 53, on: 10.0.0.10}
                  - {proto: tcp, port: 8000-8010}
                run:
                  - python3 -m http.server 80
                  - "sh -c 'echo \\"hi\\"; sleep 9'"
            """;

    private static Node web(Compilation c) {
        assertTrue(c.ok(), TestSupport.describe(c));
        return c.model().node("web").orElseThrow();
    }

    @Test
    void bothSpellingsGiveTheSameRecords() {
        Node dsl = web(TestSupport.dsl(DSL));
        assertEquals(List.of(Proto.TCP, Proto.UDP, Proto.TCP), dsl.listens().stream().map(Listen::proto).toList());
        assertEquals(List.of(PortRange.single(80), PortRange.single(53), new PortRange(8000, 8010)),
                dsl.listens().stream().map(Listen::ports).toList());
        assertEquals("10.0.0.10", dsl.listens().get(1).on().toCanonicalString());
        assertEquals(null, dsl.listens().get(0).on());
        assertEquals(List.of("python3 -m http.server 80", "sh -c 'echo \"hi\"; sleep 9'"),
                dsl.runs().stream().map(Run::command).toList());
        assertEquals(dsl, web(TestSupport.yaml(YAML)));
        assertEquals(dsl, web(TestSupport.yaml(YAML_LONG)));
    }

    @Test
    void listenMatchesProtocolPortAndAddress() {
        Node n = web(TestSupport.dsl(DSL));
        assertTrue(n.listener(Proto.TCP, 8005, null).isPresent());
        assertTrue(n.listener(Proto.TCP, 8011, null).isEmpty());
        assertTrue(n.listener(Proto.UDP, 80, null).isEmpty());
        assertTrue(n.listener(Proto.UDP, 53, dev.topoc.compiler.resolve.Values.parse("10.0.0.10")).isPresent());
        assertTrue(n.listener(Proto.UDP, 53, dev.topoc.compiler.resolve.Values.parse("10.0.0.11")).isEmpty());
    }

    @Test
    void printersRoundTripBothWays() {
        Compilation dsl = TestSupport.dsl(DSL);
        String yaml = YamlPrinter.print(dsl.ast());
        assertTrue(yaml.contains("listen:\n      - tcp/80\n      - \"udp/53 on 10.0.0.10\"\n      - tcp/8000-8010\n"), yaml);
        assertEquals(web(dsl), web(TestSupport.yaml(yaml)));
        String back = DslPrinter.print(TestSupport.yaml(yaml).ast());
        assertTrue(back.contains("  listen udp 53 on 10.0.0.10\n"), back);
        assertTrue(back.contains("  run \"sh -c 'echo \\\"hi\\\"; sleep 9'\"\n"), back);
        assertEquals(web(dsl), web(TestSupport.dsl(back)));
        assertEquals(DslPrinter.print(dsl.ast()), back);
    }

    @Test
    void aRunWithALineBreakIsRefusedAtItsValue() {
        // a YAML escape can put a line break into a command; apply.sh shows each run in a comment, where a line
        // break would end the comment and run the rest: refused before any backend sees it
        Compilation c = TestSupport.yaml("topology: t\nnodes:\n  web:\n    run: [\"echo a\\ntouch /tmp/x\"]\n");
        assertEquals(List.of("4:11"), TestSupport.withCode(c, Code.BAD_VALUE).stream()
                .map(d -> d.span().line() + ":" + d.span().column()).toList(), TestSupport.describe(c));
        assertFalse(c.ok());
    }

    @Test
    void badListensAreReportedWhereWritten() {
        Compilation c = TestSupport.dsl("""
                node web {
                  iface eth0 { address 10.0.0.10/24 }
                  listen tcp 0
                  listen sctp 80
                  listen tcp 90-80
                  listen udp 70000
                }
                """);
        assertEquals(List.of("3:14", "5:14", "6:14"), TestSupport.withCode(c, Code.OUT_OF_RANGE).stream()
                .map(d -> d.span().line() + ":" + d.span().column()).toList(), TestSupport.describe(c));
        assertEquals(1, TestSupport.withCode(c, Code.BAD_VALUE).size(), TestSupport.describe(c));
    }

    @Test
    void badYamlListenSaysHowToWriteIt() {
        Compilation c = TestSupport.yaml("""
                nodes:
                  web:
                    listen: [tcp80, "tcp/80 at 10.0.0.1", {port: 80}]
                """);
        assertEquals(2, TestSupport.withCode(c, Code.WRONG_TYPE).size(), TestSupport.describe(c));
        assertTrue(TestSupport.withCode(c, Code.WRONG_TYPE).get(0).message().contains("`udp/53 on 10.0.0.10`"));
        assertEquals(1, TestSupport.withCode(c, Code.MISSING_KEY).size(), TestSupport.describe(c));
    }

    @Test
    void duplicateListenInYamlNamesTheFirst() {
        Compilation c = TestSupport.yaml("""
                nodes:
                  web:
                    interfaces: { eth0: { addresses: [10.0.0.10/24] } }
                    listen:
                      - udp/53 on 10.0.0.10
                      - {proto: udp, port: 53}
                      - {proto: tcp, port: 53}
                """);
        var found = TestSupport.withCode(c, Code.DUPLICATE_LISTEN);
        assertEquals(1, found.size(), TestSupport.describe(c));
        assertEquals(6, found.get(0).span().line());
        assertTrue(found.get(0).message().contains("(line 5)"), found.get(0).message());
    }

    @Test
    void runIsOneLine() {
        Compilation c = TestSupport.yaml("""
                nodes:
                  web:
                    run: ["a\\nb", ""]
                """);
        assertEquals(1, TestSupport.withCode(c, Code.BAD_VALUE).size(), TestSupport.describe(c));
        assertEquals(1, TestSupport.withCode(c, Code.WRONG_TYPE).size(), TestSupport.describe(c));
    }

    @Test
    void expectToAPortWithoutListenWarnsUnlessADnatMayCarryIt() {
        String base = """
                node web {
                  iface eth0 { address 10.0.0.10/24 }
                  listen tcp 80
                }
                node client { iface eth0 { address 10.0.0.20/24 } }
                link web:eth0 -- client:eth0
                """;
        Compilation c = TestSupport.dsl(base + """
                expect client -> web tcp 80 reach
                expect client -> web tcp 81 noreach
                expect client -> 10.0.0.10 udp 80 reach
                """);
        var found = TestSupport.withCode(c, Code.EXPECT_NO_LISTENER);
        assertEquals(List.of(9), found.stream().map(d -> d.span().line()).toList(), TestSupport.describe(c));
        assertTrue(found.get(0).message().contains("can only be `noreach`"), found.get(0).message());
        assertTrue(c.ok());
    }

    @Test
    void aDnatExcusesAnExpectOnlyWhenItMatchesAndItsTargetListens() {
        String base = """
                node gw {
                  forwarding
                  iface wan { address 10.0.1.1/24 }
                  iface lan { address 10.0.0.1/24 }
                  nat dnat tcp port 8080 to 10.0.0.10:80
                  nat dnat tcp port 9090 to 10.0.0.10
                  nat dnat tcp dst 10.0.1.1 port 7000 to 10.0.0.10:80
                }
                node web {
                  iface eth0 { address 10.0.0.10/24 }
                  route default via 10.0.0.1
                  listen tcp 80
                }
                node client { iface eth0 { address 10.0.1.2/24 } route default via 10.0.1.1 }
                link web:eth0 -- gw:lan
                link gw:wan -- client:eth0
                """;
        Compilation c = TestSupport.dsl(base + """
                expect client -> 10.0.1.1 tcp 8080 reach
                expect client -> 10.0.1.1 tcp 9090 reach
                expect client -> 10.0.1.1 tcp 7000 reach
                expect client -> web tcp 7000 reach
                """);
        var found = TestSupport.withCode(c, Code.EXPECT_NO_LISTENER);
        // 8080 and 7000 to the gateway are carried to web:80; 9090 goes to web:9090, where nothing listens; the
        // rule for 7000 names the gateway's address, so it does not excuse the expect aimed at web itself
        assertEquals(List.of(18, 20), found.stream().map(d -> d.span().line()).toList(), TestSupport.describe(c));
        assertTrue(found.get(0).message().contains("the dnat at line 6 carries tcp 9090 to 10.0.0.10:9090 on `web`"),
                found.get(0).message());
        assertTrue(found.get(1).message().startsWith("nothing listens on tcp 7000 at `web`"), found.get(1).message());
        assertTrue(c.ok());
    }
}
