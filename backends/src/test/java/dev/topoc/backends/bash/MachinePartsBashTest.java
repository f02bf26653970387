package dev.topoc.backends.bash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.backends.ArtifactWriter;
import dev.topoc.backends.BackendOptions;
import dev.topoc.backends.lab.Lab;
import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.Compiler;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.machines.MachinePart;
import dev.topoc.compiler.machines.Stitched;
import dev.topoc.compiler.machines.Stitching;
import dev.topoc.compiler.machines.Tunnel;
import dev.topoc.compiler.validate.Validator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each machine's part of samples/three-machines.topo is a topology without errors the bash backend compiles (outside a
 * sandbox: the machine's default namespace is the real one), its scripts parse and are clean for shellcheck, and
 * its apply.sh creates each tunnel's VXLAN device with the machine's underlay as {@code local}, the other
 * machine's as {@code remote}, and no {@code dev}.
 */
class MachinePartsBashTest {
    @Test
    void everyPartCompilesWithTheBashBackend() throws Exception {
        Compilation c = Compiler.compile(Compiler.read(dev.topoc.compiler.TestSupport.root().resolve("samples/three-machines.topo")));
        assertTrue(c.ok(), () -> c.diagnostics().all().toString());
        Stitched s = Stitching.of(c.model());
        List<Tunnel> tunnels = Stitching.tunnels(c.model());
        assertEquals(5, tunnels.size(), "five links of the sample cross machines (a2, r and b2 to a switch on another machine, r to gw)");
        Path dir = Files.createTempDirectory("topoc-parts");
        List<String> scripts = new ArrayList<>();
        try {
            for (MachinePart part : s.parts()) {
                Diagnostics d = new Diagnostics();
                Validator.validate(part.topology(), d);
                // errors only: a part alone sees two tunnels to one remote segment as two L2 domains (W0300)
                assertFalse(d.hasErrors(), () -> part.machine().name() + ": " + d.all());
                Diagnostics b = new Diagnostics();
                Path out = dir.resolve(part.machine().name());
                ArtifactWriter.write(new BashBackend().generate(part.topology(), new BackendOptions("", false), b), out);
                assertFalse(b.hasErrors(), () -> part.machine().name() + ": " + b.all());
                String apply = Files.readString(out.resolve("apply.sh"));
                for (Tunnel x : tunnels) {
                    for (var side : List.of(List.of(x.ma(), x.mb()), List.of(x.mb(), x.ma()))) {
                        if (!side.get(0).equals(part.machine())) {
                            continue;
                        }
                        String local = side.get(0).underlay().orElseThrow().toCanonicalString();
                        String remote = side.get(1).underlay().orElseThrow().toCanonicalString();
                        String line = apply.lines().filter(l -> l.contains(" " + x.vxlan() + " ") && l.contains("type vxlan"))
                                .findFirst().orElseThrow(() -> new AssertionError(x.vxlan() + " not created on "
                                        + part.machine().name() + ":\n" + apply));
                        assertTrue(line.contains("id " + x.vni()) && line.contains("local " + local)
                                && line.contains("remote " + remote) && line.contains("dstport " + x.port())
                                && !line.contains(" dev "), line);
                    }
                }
                for (String f : List.of("apply.sh", "destroy.sh")) {
                    Lab.Result r = Lab.run(Map.of(), 30, "bash", "-n", out.resolve(f).toString());
                    assertEquals(0, r.code(), r.toString());
                    scripts.add(out.resolve(f).toString());
                }
            }
            if (Lab.onPath("shellcheck")) {
                List<String> cmd = new ArrayList<>(List.of("shellcheck"));
                cmd.addAll(scripts);
                Lab.Result r = Lab.run(Map.of(), 120, cmd.toArray(String[]::new));
                assertEquals(0, r.code(), r.toString());
            }
        } finally {
            Lab.run(Map.of(), 30, "rm", "-rf", dir.toString());
        }
    }
}
