package dev.topoc.compiler.print;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.Compiler;
import dev.topoc.compiler.diag.Code;
import dev.topoc.compiler.diag.DiagnosticCode;
import dev.topoc.compiler.diag.Diagnostic;
import dev.topoc.compiler.syntax.SourceFile;
import java.util.List;
import org.junit.jupiter.api.Test;

/** `expect A -> B v4|v6 …` and YAML `family` (LANGUAGE.md §5): both spellings, both printers, and the refusals. */
class ExpectFamilyTest {
    private static final String NODES = "node a { iface e { address 10.0.0.1/24 fd00::1/64 } }\n"
            + "node b { iface e { address 10.0.0.2/24 fd00::2/64 } }\nnode c { iface e { address 10.0.1.3/24 } }\nlink a:e -- b:e\n";

    private static Compilation compile(String name, String text) {
        return Compiler.compile(new SourceFile(name, text));
    }

    private static List<DiagnosticCode> codes(Compilation c) {
        return c.diagnostics().all().stream().map(Diagnostic::code).toList();
    }

    @Test
    void dslAndYamlSayTheSameAndRoundTrip() {
        Compilation dsl = compile("t.topo", NODES + "expect a -> b v6 reach\nexpect a -> b v4 icmp size 100 df reach\n"
                + "expect a -> b:e v6 tcp 80 noreach\nexpect a -> b reach\n");
        assertTrue(dsl.ok(), dsl.diagnostics().all().toString());
        assertEquals(6, dsl.model().expectations().get(0).family());
        assertEquals(4, dsl.model().expectations().get(1).family());
        assertEquals(6, dsl.model().expectations().get(2).family());
        assertNull(dsl.model().expectations().get(3).family());

        String yaml = YamlPrinter.print(dsl.ast());
        assertTrue(yaml.contains("family: 6") && yaml.contains("family: 4"), yaml);
        Compilation back = compile("t.yaml", yaml);
        assertTrue(back.ok(), back.diagnostics().all() + "\n" + yaml);
        assertEquals(dsl.model().expectations().stream().map(e -> e.family() + " " + e.to() + " " + e.proto()).toList(),
                back.model().expectations().stream().map(e -> e.family() + " " + e.to() + " " + e.proto()).toList());

        String again = DslPrinter.print(back.ast());
        assertTrue(again.contains("expect a -> b v6 reach"), again);
        assertTrue(again.contains("expect a -> b v4 icmp size 100 df reach"), again);
        assertTrue(again.contains("expect a -> b:e v6 tcp 80 noreach"), again);
    }

    @Test
    void aNodeCalledV6IsStillATarget() {
        Compilation c = compile("t.topo", "node a { iface e { address 10.0.0.1/24 } }\nnode v6 { iface e { address 10.0.0.2/24 } }\n"
                + "link a:e -- v6:e\nexpect a -> v6 reach\nexpect a -> v6 v4 reach\n");
        assertTrue(c.ok(), c.diagnostics().all().toString());
        assertEquals("v6", c.model().expectations().get(1).to().node());
        assertEquals(4, c.model().expectations().get(1).family());
    }

    @Test
    void aFamilyTheTargetHasNoAddressOfIsE0702() {
        Compilation c = compile("t.topo", NODES + "expect a -> c v6 reach\n");
        assertEquals(List.of(Code.EXPECT_FAMILY_NO_ADDRESS), codes(c));
        assertEquals(c.diagnostics().all().get(0).span().line(), 5);
        Compilation lo = compile("t.topo", "node a { iface e { address 10.0.0.1/24 fd00::1/64 } }\n"
                + "node b { iface e { address 10.0.0.2/24 fe80::2/64 } }\nlink a:e -- b:e\nexpect a -> b v6 reach\n");
        assertEquals(List.of(Code.EXPECT_FAMILY_NO_ADDRESS), codes(lo), "a link-local address is no target");
        Compilation iface = compile("t.topo", "node a { iface e { address 10.0.0.1/24 fd00::1/64 } }\n"
                + "node b { iface e { address 10.0.0.2/24 } iface f { address fd00:1::2/64 } }\nlink a:e -- b:e\n"
                + "expect a -> b v6 reach\nexpect a -> b:e v6 reach\n");
        assertEquals(List.of(Code.EXPECT_FAMILY_NO_ADDRESS), codes(iface), "only b:e lacks IPv6");
        assertEquals(5, iface.diagnostics().all().get(0).span().line());
    }

    @Test
    void aFamilyAgainstALiteralAddressIsE0205AndABadFamilyE0202() {
        Compilation c = compile("t.topo", NODES + "expect a -> fd00::2 v4 reach\n");
        assertEquals(List.of(Code.FAMILY_MISMATCH), codes(c));
        Compilation ok = compile("t.topo", NODES + "expect a -> fd00::2 v6 reach\n");
        assertTrue(ok.ok(), ok.diagnostics().all().toString());
        Compilation bad = compile("t.yaml", "nodes:\n  a: { interfaces: { e: { addresses: [10.0.0.1/24] } } }\n"
                + "expect:\n  - { from: a, to: a, family: 5, reach: true }\n");
        assertEquals(List.of(Code.BAD_VALUE), codes(bad));
        assertEquals(4, bad.diagnostics().all().get(0).span().line());
    }
}
