package dev.topoc.live.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.topoc.backends.BackendOptions;
import dev.topoc.backends.lab.Lab;
import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.Compiler;
import dev.topoc.compiler.ast.Syntax;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.print.DslPrinter;
import dev.topoc.compiler.print.YamlPrinter;
import dev.topoc.compiler.syntax.SourceFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The reader against the kernel: every runnable sample brought up by its bash {@code apply.sh} in a sandbox reads
 * back as the compiled model (in canonical form), and the file {@code import} would write from it resolves to the
 * same model in both spellings.
 */
class ReadBackTest {
    static List<Path> samples() {
        return dev.topoc.compiler.TestSupport.samples("*.topo").stream()
                .filter(p -> !p.getFileName().toString().startsWith("star-")).toList();
    }

    @TestFactory
    Stream<DynamicTest> everySampleReadsBackAsItsModel() {
        Lab.assumeMachine();
        return samples().stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> readBack(p)));
    }

    static void readBack(Path sample) throws Exception {
        String name = sample.getFileName().toString();
        String text = Files.readString(sample);
        Compilation c = Compiler.compile(new SourceFile(name, text));
        assertTrue(c.ok(), () -> name + ": " + c.diagnostics().all());
        List<String> missing = Lab.missingFeatures(c.model());
        assumeTrue(missing.isEmpty(), "this kernel lacks " + String.join(", ", missing));
        assumeTrue(c.model().machines().isEmpty(), "the live reader does not read a topology over machines back yet "
                + "(its sandbox is the stitched whole, docs/machines.md)");
        try (Lab lab = Lab.of(name, text)) {
            Lab.Result applied = lab.apply("-q");
            assertEquals(0, applied.code(), applied::toString);
            LiveState state = LiveReader.read(c.model().name(), namespaces(lab, c.model().nodes()));
            List<Drift> drift = Drift.between(Drift.expected(c.model(), new BackendOptions(lab.prefix, true)),
                    state.topology());
            assertEquals(List.of(), drift, name + ": the kernel differs from the file");
            assertEquals(List.of(), state.unexpressed(), name + ": a lab built by topoc has nothing unexpressed");
            for (Syntax syntax : Syntax.values()) {
                var ast = AstWriter.write(state.topology(), syntax);
                String printed = syntax == Syntax.DSL ? DslPrinter.print(ast) : YamlPrinter.print(ast);
                Compilation back = Compiler.compile(new SourceFile(syntax == Syntax.DSL ? "i.topo" : "i.yaml", printed));
                assertTrue(back.ok(), () -> printed + back.diagnostics().all());
                assertEquals(List.of(), Drift.between(state.topology(), Canonical.of(back.model())), printed);
            }
        }
    }

    static Map<String, String> namespaces(Lab lab, List<Node> nodes) {
        Map<String, String> m = new LinkedHashMap<>();
        nodes.forEach(n -> m.put(n.name(), lab.namespace(n.name())));
        return m;
    }
}
