package dev.topoc.backends.graph;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.Compiler;
import dev.topoc.compiler.model.Topology;
import dev.topoc.compiler.syntax.SourceFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Samples and the repository root for the graph tests. */
final class GraphSupport {
    private GraphSupport() {}

    static Path root() {
        return dev.topoc.compiler.TestSupport.root();
    }

    static List<Path> samples() {
        try (Stream<Path> s = Files.list(root().resolve("samples"))) {
            return s.filter(p -> p.toString().endsWith(".topo")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Topology model(Path file) {
        try {
            Compilation c = Compiler.compile(new SourceFile(file.toString(), Files.readString(file)));
            assertTrue(c.ok(), () -> file + ": " + c.diagnostics().all());
            return c.model();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Topology model(String text) {
        Compilation c = Compiler.compile(new SourceFile("t.topo", text));
        assertTrue(c.ok(), () -> c.diagnostics().all().toString());
        return c.model();
    }

    static Topology sample(String name) {
        return model(root().resolve("samples").resolve(name + ".topo"));
    }

    /** star-1000 is drawn collapsed; laying out its 2,000 ports takes Graphviz about a minute. */
    static GraphOptions optionsFor(Path sample) {
        return new GraphOptions(sample.getFileName().toString().startsWith("star-1000"), null);
    }
}
