package dev.topoc.live.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.topoc.backends.BackendOptions;
import dev.topoc.backends.lab.Lab;
import dev.topoc.backends.sim.ConnectedGen;
import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.Compiler;
import dev.topoc.compiler.ast.Syntax;
import dev.topoc.compiler.print.DslPrinter;
import dev.topoc.compiler.syntax.SourceFile;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;

/**
 * Generated topologies ({@link ConnectedGen}: bridges, routers, macvlan, VXLAN, masquerade, filters) brought up by
 * their bash {@code apply.sh} in a sandbox read back as their compiled model, with nothing unexpressed, and the
 * file import would write resolves to the same model. Fixed seed for CI; {@code -Dtopoc.readback.salt=N} explores
 * other topologies. Few tries (each builds a lab), no shrinking (each shrink step is another build).
 */
class ReadBackProperties {
    private static final long SALT = Long.getLong("topoc.readback.salt", 0L);

    @Property(tries = 12, shrinking = ShrinkingMode.OFF, seed = "20261201")
    void generatedLabsReadBackAsTheirModel(@ForAll long generated) throws Exception {
        Lab.assumeMachine();
        long seed = generated ^ SALT;
        String text = ConnectedGen.generate(new Random(seed));
        Compilation c = Compiler.compile(new SourceFile("gen.topo", text));
        assertTrue(c.ok(), () -> c.diagnostics().all() + "\n" + text);
        List<String> missing = Lab.missingFeatures(c.model());
        assumeTrue(missing.isEmpty(), "this kernel lacks " + String.join(", ", missing));
        try (Lab lab = Lab.of("gen.topo", text)) {
            Lab.Result applied = lab.apply("-q");
            assertEquals(0, applied.code(), applied::toString);
            LiveState state = LiveReader.read(c.model().name(), ReadBackTest.namespaces(lab, c.model().nodes()));
            assertEquals(List.of(), Drift.between(Drift.expected(c.model(), new BackendOptions(lab.prefix, true)),
                    state.topology()), () -> "seed " + seed + "\n" + text);
            assertEquals(List.of(), state.unexpressed(), () -> "seed " + seed + "\n" + text);
            String printed = DslPrinter.print(AstWriter.write(state.topology(), Syntax.DSL));
            Compilation back = Compiler.compile(new SourceFile("imported.topo", printed));
            assertTrue(back.ok(), () -> printed + back.diagnostics().all());
            assertEquals(state.topology(), Canonical.of(back.model()), printed);
        }
    }
}
