package dev.topoc.compiler.print;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.topoc.compiler.TopologyGen;
import dev.topoc.compiler.ast.TopologyAst;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.syntax.FrontEnd;
import dev.topoc.compiler.syntax.SourceFile;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** Issue 17, item 2: {@code fmt} is canonical: one model, one text, whichever way it was written. */
class CanonicalProperties {
    private static TopologyAst parse(String path, String text) {
        Diagnostics d = new Diagnostics();
        TopologyAst ast = FrontEnd.parse(new SourceFile(path, text), d);
        assertFalse(d.hasErrors(), () -> d.all() + "\n--- " + path + " ---\n" + text);
        return ast;
    }

    @Test
    void repeatedAndJoinedAddressesPrintOneWay() {
        String joined = DslPrinter.print(parse("a.topo", "node a { iface e0 { address 10.0.0.1/24 2001:db8::1/64 } }"));
        String repeated = DslPrinter.print(parse("b.topo", """
                node a {
                  iface e0 {
                    address 10.0.0.1/24
                    address 2001:db8::1/64
                  }
                }
                """));
        assertEquals("node a {\n  iface e0 { address 10.0.0.1/24 2001:db8::1/64 }\n}\n", joined);
        assertEquals(joined, repeated);
        assertEquals(joined, DslPrinter.print(parse("c.yaml", YamlPrinter.print(parse("b.topo", repeated)))));
        String commented = DslPrinter.print(parse("d.topo", """
                node a {
                  iface e0 {
                    address 10.0.0.1/24   # v4
                    address 2001:db8::1/64  # v6
                    mtu 1400
                  }
                }
                """));
        assertEquals("""
                node a {
                  iface e0 {
                    address 10.0.0.1/24 2001:db8::1/64 # v4
                    # v6
                    mtu 1400
                  }
                }
                """, commented, "both comments are kept, each whole, in order");
        String firewall = DslPrinter.print(parse("e.topo",
                "node a { firewall input { accept state established state related } }"));
        assertEquals("node a {\n  firewall input { accept state established,related }\n}\n", firewall);
    }

    /** YAML → DSL → YAML gives the fmt of the original YAML, and the DSL on the way is already formatted. */
    @Property(tries = 200, seed = "17")
    void aRoundTripThroughTheDslFormatsLikeTheOriginal(@ForAll long seed) {
        String yaml = YamlPrinter.print(parse("gen.topo", TopologyGen.generate(new Random(seed))));
        TopologyAst original = parse("gen.yaml", yaml);
        String formatted = YamlPrinter.print(original);
        String dsl = DslPrinter.print(original);
        assertEquals(dsl, DslPrinter.print(parse("gen.topo", dsl)), "the converted DSL is canonical");
        assertEquals(formatted, YamlPrinter.print(parse("gen.topo", dsl)), () -> "via the DSL:\n" + dsl);
    }
}
