package dev.topoc.backends.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.topoc.backends.lab.Lab;
import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.Compiler;
import dev.topoc.compiler.syntax.SourceFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The simulator against the kernel, sample by sample: every sample this kernel can run (the skips of
 * BashEndToEndTest, each naming the missing feature; the 1,000-host star is left out for time) is brought up
 * with the bash backend in a sandbox, and every node pings every address of every other node and every
 * {@code expect} target for real; each answer must equal the simulator's ({@link Agreement}).
 */
class KernelAgreementTest {
    /**
     * Questions where the kernel and the simulator differ for a documented reason (docs/simulator.md, "Limits"),
     * by sample and question key; nothing else is excused.
     */
    static final Map<String, Map<String, String>> EXCLUDED = Map.of();

    static List<Path> samples() throws IOException {
        Path root = Path.of(System.getProperty("topoc.root", "..")).resolve("samples");
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(p -> p.toString().endsWith(".topo") && !p.getFileName().toString().startsWith("star-"))
                    .sorted().toList();
        }
    }

    @TestFactory
    Stream<DynamicTest> simulatorAgreesWithTheKernelOnEverySample() throws IOException {
        Lab.assumeMachine();
        assumeTrue(Lab.onPath("ping"), "needs ping (iputils-ping, installed by .ci/run)");
        return samples().stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> agree(p)));
    }

    static void agree(Path sample) throws Exception {
        String name = sample.getFileName().toString();
        Compilation c = Compiler.compile(new SourceFile(name, Files.readString(sample)));
        assertTrue(c.ok(), () -> name + ": " + c.diagnostics().all());
        List<String> missing = Lab.missingFeatures(c.model());
        assumeTrue(missing.isEmpty(), "this kernel lacks " + String.join(", ", missing));
        Fabric fabric = Fabric.of(c.model());
        List<Agreement.Question> questions = Agreement.questions(c.model(), fabric);
        long start = System.nanoTime();
        Agreement.Report report;
        try (Lab lab = Lab.of(sample)) {
            report = Agreement.run(lab, fabric, questions, EXCLUDED.getOrDefault(name, Map.of()));
        }
        System.out.printf("kernel agreement %s: %d pings, %d disagreements, %d excused, %d ms%n", name, report.asked(),
                report.disagreements().size(), report.excluded().size(), (System.nanoTime() - start) / 1_000_000);
        assertTrue(report.disagreements().isEmpty(), () -> name + ": " + report.disagreements().size() + " of "
                + report.asked() + " answers differ\n  " + String.join("\n  ", report.disagreements()));
    }
}
