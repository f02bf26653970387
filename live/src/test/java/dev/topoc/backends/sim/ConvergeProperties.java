package dev.topoc.backends.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.topoc.backends.lab.Lab;
import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.Compiler;
import dev.topoc.compiler.syntax.SourceFile;
import dev.topoc.live.diff.Change;
import dev.topoc.live.exec.Engine;
import dev.topoc.live.exec.Observer;
import dev.topoc.live.lab.LabStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;

/**
 * The kernel as oracle for {@code topoc up}: bring up a random topology T1 ({@link ConnectedGen}), converge the same
 * lab to another random topology T2 on the same node names (nodes, interfaces, addresses, routes, masquerade, filters,
 * bridges, macvlan, VXLAN come and go or change), then {@code plan T2} must be empty and every real ping must answer as
 * the simulator does for T2 ({@link Agreement#ask}); going back with {@code up T1} must leave {@code plan T1} empty.
 *
 * <p>Tries are few (each converges a real lab three times); the seed is fixed for CI, and
 * {@code -Dtopoc.converge.salt=N} explores other pairs. Lives in the simulator's test package to reuse its generator
 * and its agreement check.
 */
class ConvergeProperties {
    private static final long SALT = Long.getLong("topoc.converge.salt", 0L);

    @Property(tries = 6, shrinking = ShrinkingMode.OFF, seed = "20261201")
    void upConvergesFromOneRandomTopologyToAnother(@ForAll long first, @ForAll long second) throws Exception {
        Lab.assumeMachine();
        assumeTrue(Lab.onPath("ping"), "needs ping (iputils-ping, installed by .ci/run)");
        String t1 = ConnectedGen.generateShapes(new Random(first ^ SALT));
        String t2 = ConnectedGen.generateShapes(new Random(second ^ SALT));
        Compilation c1 = Compiler.compile(new SourceFile("gen.topo", t1));
        Compilation c2 = Compiler.compile(new SourceFile("gen.topo", t2));
        assertTrue(c1.ok() && c2.ok(), () -> t1 + "\n" + t2);
        List<String> missing = new ArrayList<>(Lab.missingFeatures(c1.model()));
        missing.addAll(Lab.missingFeatures(c2.model()));
        assumeTrue(missing.isEmpty(), "this kernel lacks " + String.join(", ", missing));
        Path dir = Files.createTempDirectory("topoc-converge");
        Path file = dir.resolve("gen.topo");
        List<String> said = new ArrayList<>();
        // the Lab gives a unique prefix and T2's model for the probes; its apply.sh is never run
        try (Lab lab = Lab.of("gen.topo", t2)) {
            Engine engine = new Engine(new LabStore(dir.resolve("records")), new Observer(Observer.KERNEL), said::add);
            Engine.Options o = new Engine.Options(lab.prefix, true, false, Duration.ZERO, -1);
            String context = "\n--- T1 (seed " + (first ^ SALT) + ")\n" + t1 + "\n--- T2 (seed " + (second ^ SALT) + ")\n" + t2;
            converge(engine, o, file, t1, said, "T1" + context);
            converge(engine, o, file, t2, said, "T2" + context);
            DataPlane plane = DataPlane.of(c2.model());
            Agreement.Report report = Agreement.ask(lab, plane, Agreement.questions(c2.model(), plane), Map.of(), false);
            assertTrue(report.disagreements().isEmpty(), () -> report.disagreements().size() + " of " + report.asked()
                    + " answers differ after up T2\n  " + String.join("\n  ", report.disagreements()) + context);
            converge(engine, o, file, t1, said, "back to T1" + context);
        } finally {
            try (var s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void converge(Engine engine, Engine.Options o, Path file, String text, List<String> said, String what)
            throws Exception {
        Files.writeString(file, text);
        Compilation c = Compiler.compile(new SourceFile(file.toString(), text));
        List<String> ran = new ArrayList<>();
        Engine.Outcome up = engine.up(c.model(), file, text, o, ran::add);
        assertEquals(Engine.OK, up.exit(), () -> "up " + what + ": " + up.message() + "\n" + String.join("\n", ran) + "\n" + said);
        List<String> left = engine.plan(c.model(), file, text, o).changes().stream().map(Change::line).toList();
        assertEquals(List.of(), left, () -> "plan after up " + what + "\n--- up ran\n" + String.join("\n", ran));
    }
}
