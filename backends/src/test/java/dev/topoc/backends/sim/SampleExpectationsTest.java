package dev.topoc.backends.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.Compiler;
import dev.topoc.compiler.syntax.SourceFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every `expect` of every sample holds in the simulator (the samples state what the notes report). */
class SampleExpectationsTest {
    static Path root() {
        return dev.topoc.compiler.TestSupport.root();
    }

    static Stream<Path> samples() throws IOException {
        try (Stream<Path> s = Files.list(root().resolve("samples"))) {
            List<Path> l = s.filter(p -> p.toString().endsWith(".topo") || p.toString().endsWith(".yaml")).sorted().toList();
            return l.stream();
        }
    }

    static DataPlane plane(Path p) throws IOException {
        Compilation c = Compiler.compile(new SourceFile(root().relativize(p).toString(), Files.readString(p)));
        assertTrue(c.ok(), c.diagnostics().all().toString());
        return DataPlane.of(c.model());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void everyExpectationHolds(Path sample) throws IOException {
        DataPlane f = plane(sample);
        StringBuilder failures = new StringBuilder();
        for (Check c : f.ask(CheckQuestion.all(f.topology())).checks()) {
            if (!c.holds()) {
                failures.append(c.expectation().span()).append(": ").append(c.message()).append('\n');
                if (c.trace() != null) {
                    c.trace().hops().forEach(h -> failures.append("    ").append(h.leg()).append(' ').append(h).append('\n'));
                }
            }
        }
        assertTrue(failures.isEmpty(), failures.toString());
    }
}
