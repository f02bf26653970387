package dev.topoc.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.compiler.print.DslPrinter;
import dev.topoc.compiler.print.YamlPrinter;
import dev.topoc.compiler.syntax.SourceFile;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * For generated valid topologies: they compile without any diagnostic; DSL → model → YAML → model →
 * DSL gives equal models; and {@code fmt} is idempotent.
 */
class RoundTripProperties {
    @Provide
    Arbitrary<String> topologies() {
        return Arbitraries.randoms().map(TopologyGen::generate);
    }

    private static Compilation compile(String path, String text) {
        Compilation c = Compiler.compile(new SourceFile(path, text));
        assertTrue(c.ok() && c.diagnostics().isEmpty(), () -> "diagnostics for " + path + ":\n"
                + TestSupport.describe(c) + "\n--- input ---\n" + text);
        return c;
    }

    @Property(tries = 300)
    void generatedTopologiesProduceNoDiagnostic(@ForAll("topologies") String dsl) {
        compile("gen.topo", dsl);
    }

    @Property(tries = 300)
    void dslYamlDslRoundTripGivesEqualModels(@ForAll("topologies") String dsl) {
        Compilation first = compile("gen.topo", dsl);
        String yaml = YamlPrinter.print(first.ast());
        Compilation viaYaml = compile("gen.yaml", yaml);
        assertEquals(first.model(), viaYaml.model(), () -> "YAML:\n" + yaml);
        String back = DslPrinter.print(viaYaml.ast());
        Compilation again = compile("gen.topo", back);
        assertEquals(first.model(), again.model(), () -> "DSL again:\n" + back);
    }

    @Property(tries = 300)
    void fmtIsIdempotentAndKeepsMeaningAndComments(@ForAll("topologies") String dsl) {
        Compilation first = compile("gen.topo", dsl);
        String once = DslPrinter.print(first.ast());
        Compilation reparsed = compile("gen.topo", once);
        assertEquals(first.model(), reparsed.model(), () -> "formatted:\n" + once);
        assertEquals(once, DslPrinter.print(reparsed.ast()), "fmt(fmt(x)) == fmt(x)");
        assertEquals(first.ast().comments().size(), reparsed.ast().comments().size(), () -> "comments kept:\n" + once);
    }

    @Property(tries = 200)
    void yamlFmtIsIdempotent(@ForAll("topologies") String dsl) {
        String yaml = YamlPrinter.print(compile("gen.topo", dsl).ast());
        Compilation c = compile("gen.yaml", yaml);
        assertEquals(YamlPrinter.print(c.ast()), YamlPrinter.print(compile("gen.yaml", YamlPrinter.print(c.ast())).ast()));
    }

    /** Same seed, same text: the generator itself is deterministic (so a failing case can be replayed). */
    @Property(tries = 20)
    void generatorIsDeterministic(@ForAll long seed) {
        assertEquals(TopologyGen.generate(new Random(seed)), TopologyGen.generate(new Random(seed)));
    }
}
