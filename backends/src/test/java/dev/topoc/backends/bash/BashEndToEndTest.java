package dev.topoc.backends.bash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.topoc.backends.lab.Lab;
import dev.topoc.backends.lab.Probes;
import dev.topoc.compiler.Compiler;
import dev.topoc.compiler.model.Expectation;
import dev.topoc.compiler.model.Topology;
import dev.topoc.compiler.syntax.SourceFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every sample this kernel can run is compiled with {@code --sandbox}, applied for real, and each of its
 * {@code expect} lines is probed from inside the source namespace (ping; tcp/udp to listeners that say who
 * answered). Then destroy.sh must leave no namespace with the lab's prefix. The 1,000-host star is left to
 * bench/.
 */
class BashEndToEndTest {
    static List<Path> samples() {
        return dev.topoc.compiler.TestSupport.samples("*.topo").stream()
                .filter(p -> !p.getFileName().toString().startsWith("star-")).toList();
    }

    @TestFactory
    Stream<DynamicTest> everySampleMeetsItsExpectationsInRealNamespaces() throws IOException {
        Lab.assumeMachine();
        // -Dtopoc.e2e.only=NAME runs the samples whose file name starts with NAME (as NetworkdSandboxTest)
        String only = System.getProperty("topoc.e2e.only", "");
        return samples().stream().filter(p -> p.getFileName().toString().startsWith(only))
                .map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> check(p)));
    }

    static void check(Path sample) throws Exception {
        Topology model = Compiler.compile(new SourceFile(sample.toString(), Files.readString(sample))).model();
        List<String> missing = Lab.missingFeatures(model);
        assumeTrue(missing.isEmpty(), "this kernel lacks " + String.join(", ", missing));
        List<String> failures = new ArrayList<>();
        try (Lab lab = Lab.of(sample)) {
            Lab.Result applied = lab.apply("-q");
            assertEquals(0, applied.code(), applied.toString());
            try (Probes probes = Probes.start(lab)) {
                for (Expectation e : model.expectations()) {
                    String d = Probes.disagreement(e, probes.probe(e));
                    if (d != null) {
                        failures.add(sample.getFileName() + ":" + e.span().line() + ": expect " + e.from() + " -> " + e.to()
                                + " " + e.proto().word() + (e.port() == null ? "" : " " + e.port()) + ": " + d);
                    }
                }
            }
            Lab.Result destroyed = lab.destroy();
            assertEquals(0, destroyed.code(), destroyed.toString());
            assertEquals(List.of(), lab.namespaces(), "namespaces left after destroy.sh");
            assertTrue(Files.notExists(lab.stateDir()), "record left after destroy.sh: " + lab.stateDir());
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }
}
