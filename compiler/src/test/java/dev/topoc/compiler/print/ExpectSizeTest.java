package dev.topoc.compiler.print;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.Compiler;
import dev.topoc.compiler.diag.Code;
import dev.topoc.compiler.model.Expectation;
import dev.topoc.compiler.syntax.SourceFile;
import org.junit.jupiter.api.Test;

/** `expect … icmp size N df` (LANGUAGE.md §5): both spellings, both printers, the round trip, and its refusals. */
class ExpectSizeTest {
    private static final String NODES = "node a { iface e { address 10.0.0.1/24 } }\nnode b { iface e { address 10.0.0.2/24 } }\nlink a:e -- b:e\n";

    private static Compilation compile(String name, String text) {
        return Compiler.compile(new SourceFile(name, text));
    }

    @Test
    void dslAndYamlSayTheSameAndRoundTrip() {
        Compilation dsl = compile("t.topo", NODES + "expect a -> b icmp size 1472 df reach\nexpect a -> b icmp size 9000 noreach\nexpect a -> b reach\n");
        assertTrue(dsl.ok(), dsl.diagnostics().all().toString());
        Expectation first = dsl.model().expectations().get(0);
        assertEquals(1472, first.size());
        assertTrue(first.df());
        assertEquals(9000, dsl.model().expectations().get(1).size());
        assertFalse(dsl.model().expectations().get(1).df());
        assertEquals(Expectation.DEFAULT_SIZE, dsl.model().expectations().get(2).size());

        String yaml = YamlPrinter.print(dsl.ast());
        assertTrue(yaml.contains("size: 1472") && yaml.contains("df: true"), yaml);
        Compilation back = compile("t.yaml", yaml);
        assertTrue(back.ok(), back.diagnostics().all() + "\n" + yaml);
        assertEquals(dsl.model().expectations().stream().map(e -> e.size() + " " + e.df() + " " + e.reach()).toList(),
                back.model().expectations().stream().map(e -> e.size() + " " + e.df() + " " + e.reach()).toList());

        String again = DslPrinter.print(back.ast());
        assertTrue(again.contains("expect a -> b icmp size 1472 df reach"), again);
        assertTrue(again.contains("expect a -> b icmp size 9000 noreach"), again);
    }

    @Test
    void yamlSizeWithoutProtoPrintsTheIcmpWordTheDslNeeds() {
        String yaml = "nodes:\n  a: { interfaces: { e: { addresses: [10.0.0.1/24] } } }\n  b: { interfaces: { e: { addresses: [10.0.0.2/24] } } }\n"
                + "links: [[a:e, b:e]]\nexpect:\n  - { from: a, to: b, size: 100, df: true, reach: true }\n  - { from: a, to: b, df: false, reach: true }\n";
        Compilation c = compile("t.yaml", yaml);
        assertTrue(c.ok(), c.diagnostics().all().toString());
        String dsl = DslPrinter.print(c.ast());
        assertTrue(dsl.contains("expect a -> b icmp size 100 df reach"), dsl);
        Compilation back = compile("t.topo", dsl);
        assertTrue(back.ok(), back.diagnostics().all() + "\n" + dsl);
        assertFalse(back.model().expectations().get(1).df());
    }

    @Test
    void sizeAndDfBelongToIcmp() {
        Compilation c = compile("t.yaml", "nodes:\n  a: { interfaces: { e: { addresses: [10.0.0.1/24] } } }\n"
                + "expect:\n  - { from: a, to: 10.0.0.9, proto: tcp, port: 80, size: 100, reach: true }\n");
        assertTrue(c.diagnostics().all().stream().anyMatch(d -> d.code() == Code.KEY_NOT_ALLOWED), c.diagnostics().all().toString());
        Compilation big = compile("t.topo", NODES + "expect a -> b icmp size 70000 reach\n");
        assertTrue(big.diagnostics().all().stream().anyMatch(d -> d.code() == Code.OUT_OF_RANGE), big.diagnostics().all().toString());
    }
}
