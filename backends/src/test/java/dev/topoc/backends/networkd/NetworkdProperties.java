package dev.topoc.backends.networkd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.backends.Artifacts;
import dev.topoc.backends.BackendOptions;
import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.Compiler;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.syntax.SourceFile;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** For any valid generated topology the networkd backend generates, every interface in exactly one .network. */
class NetworkdProperties {
    // the compiler's generator: valid topologies by construction (its own properties check they give no diagnostic)
    @Property(tries = 300)
    void validTopologiesGenerateWithoutError(@ForAll long seed) {
        String text = dev.topoc.compiler.TopologyGen.generate(new Random(seed));
        Compilation c = Compiler.compile(new SourceFile("gen.topo", text));
        assertTrue(c.ok(), () -> c.diagnostics().all() + "\n" + text);
        for (boolean sandbox : new boolean[] {false, true}) {
            Diagnostics d = new Diagnostics();
            Artifacts a = new NetworkdBackend().generate(c.model(), new BackendOptions("p", sandbox), d);
            assertFalse(d.hasErrors(), () -> d.all() + "\n" + text);
            GeneratedTree.assertEveryInterfaceInExactlyOneNetwork(c.model(), a, sandbox);
            Artifacts again = new NetworkdBackend().generate(c.model(), new BackendOptions("p", sandbox), new Diagnostics());
            assertEquals(a.files(), again.files(), "deterministic");
        }
    }
}
