package dev.topoc.compiler.machines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.TestSupport;
import dev.topoc.compiler.model.Link;
import dev.topoc.compiler.model.Machine;
import dev.topoc.compiler.model.Topology;
import dev.topoc.compiler.print.DslPrinter;
import dev.topoc.compiler.print.YamlPrinter;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** `machine` blocks and `machine NAME` in nodes, in both spellings (LANGUAGE.md §5), through fmt and convert. */
class MachinesLanguageTest {
    static final String DSL = """
            topology two
            machine hv1 { ssh 192.0.2.11  underlay 198.18.0.1 }
            machine hv2 { ssh hv2.example.net  underlay 198.18.0.2  mtu 9000 }
            node web { machine hv1  iface eth0 { address 10.0.0.10/24 } }
            node db  { machine hv2  iface eth0 { address 10.0.0.20/24 } }
            link web:eth0 -- db:eth0 { vni 42  port 4790 }
            """;

    static final String YAML = """
            topology: two
            machines:
              hv1: { ssh: 192.0.2.11, underlay: 198.18.0.1 }
              hv2: { ssh: hv2.example.net, underlay: 198.18.0.2, mtu: 9000 }
            nodes:
              web:
                machine: hv1
                interfaces: { eth0: { addresses: [10.0.0.10/24] } }
              db:
                machine: hv2
                interfaces: { eth0: { addresses: [10.0.0.20/24] } }
            links:
              - { a: web:eth0, b: db:eth0, vni: 42, port: 4790 }
            """;

    @Test
    void bothSpellingsGiveTheMachinesAndThePlacement() {
        for (Compilation c : new Compilation[] {TestSupport.dsl(DSL), TestSupport.yaml(YAML)}) {
            assertTrue(c.ok(), () -> TestSupport.describe(c));
            Topology t = c.model();
            assertEquals(2, t.machines().size());
            Machine hv1 = t.machine("hv1").orElseThrow();
            assertEquals("192.0.2.11", hv1.ssh());
            assertEquals("198.18.0.1", hv1.underlay().orElseThrow().toCanonicalString());
            assertEquals(1500, hv1.mtu(), "the default underlay MTU");
            Machine hv2 = t.machine("hv2").orElseThrow();
            assertEquals("hv2.example.net", hv2.ssh());
            assertEquals(9000, hv2.mtu());
            assertEquals(Optional.of("hv1"), t.node("web").orElseThrow().machine());
            assertEquals(Optional.of("hv2"), t.node("db").orElseThrow().machine());
            Link l = t.links().get(0);
            assertEquals(42, l.vni());
            assertEquals(4790, l.port());
        }
        assertEquals(TestSupport.dsl(DSL).model(), TestSupport.yaml(YAML).model());
    }

    @Test
    void fmtAndConvertKeepTheMachines() {
        Compilation dsl = TestSupport.dsl(DSL);
        String yaml = YamlPrinter.print(dsl.ast());
        Compilation back = TestSupport.yaml(yaml);
        assertTrue(back.ok(), () -> yaml + TestSupport.describe(back));
        assertEquals(dsl.model(), back.model());
        String dslAgain = DslPrinter.print(back.ast());
        assertEquals(dsl.model(), TestSupport.dsl(dslAgain).model());
        assertEquals(dslAgain, DslPrinter.print(TestSupport.dsl(dslAgain).ast()), "fmt is idempotent");
        assertTrue(dslAgain.contains("machine hv2 {\n  ssh hv2.example.net\n  underlay 198.18.0.2\n  mtu 9000\n}\n"), dslAgain);
        assertTrue(yaml.contains("machines:\n  hv1: { ssh: 192.0.2.11, underlay: 198.18.0.1 }\n"), yaml);
    }

    @Test
    void badMachineValuesAreDiagnosedAtTheirPlace() {
        Compilation c = TestSupport.dsl("machine hv1 { ssh \"not a host\"  underlay 198.18.0.300  mtu 10 }\n");
        String d = TestSupport.describe(c);
        assertTrue(d.contains("test.topo:1:19 BAD_VALUE"), d);
        assertTrue(d.contains("test.topo:1:42 BAD_CIDR"), d);
        assertTrue(d.contains("test.topo:1:60 OUT_OF_RANGE"), d);
        Compilation missing = TestSupport.yaml("machines:\n  hv1: { underlay: 198.18.0.1 }\n");
        assertTrue(TestSupport.describe(missing).contains("test.yaml:2:3 MISSING_KEY"), TestSupport.describe(missing));
        Compilation twice = TestSupport.dsl("machine hv1 { ssh a }\nmachine hv1 { ssh b }\n");
        assertTrue(TestSupport.describe(twice).contains("test.topo:2:9 DUPLICATE_NAME"), TestSupport.describe(twice));
    }
}
