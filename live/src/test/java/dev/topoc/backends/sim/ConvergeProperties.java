package dev.topoc.backends.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.topoc.backends.BackendOptions;
import dev.topoc.backends.lab.Lab;
import dev.topoc.compiler.ast.Syntax;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.model.Topology;
import dev.topoc.compiler.print.DslPrinter;
import dev.topoc.live.read.AstWriter;
import dev.topoc.live.read.Canonical;
import dev.topoc.live.read.Drift;
import dev.topoc.live.read.LiveReader;
import dev.topoc.live.read.LiveState;
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
import java.util.LinkedHashMap;
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
 * the simulator does for T2 ({@link Agreement#ask}), and {@code import} of the lab must write a file that resolves to
 * T2 (names aside); going back with {@code up T1} must leave {@code plan T1} empty.
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
        String t1 = ConnectedGen.generate(new Random(first ^ SALT));
        String t2 = ConnectedGen.generate(new Random(second ^ SALT));
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
            imported(lab.prefix, c2.model(), "after up T2" + context);
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

    /**
     * {@code import} of the converged lab: the file it writes validates and resolves to what was read, and what was read
     * is T2 as the sandbox builds it, names aside (node kinds and, for a node without IPv6, IPv4 forwarding read as
     * the language's {@code forwarding} are what the kernel cannot tell, taken from T2 as the scenario test does).
     */
    private static void imported(String prefix, Topology t2, String what) {
        Map<String, String> nodes = new LinkedHashMap<>();
        LiveReader.namespacesWithPrefix(prefix).forEach(ns -> nodes.put(ns.substring(prefix.length()), ns));
        LiveState state = LiveReader.read(t2.name(), nodes, true);
        String dsl = DslPrinter.print(AstWriter.write(state.topology(), Syntax.DSL));
        Compilation back = Compiler.compile(new SourceFile("imported.topo", dsl));
        assertTrue(back.ok(), () -> "import " + what + ":\n" + dsl + back.diagnostics().all());
        assertEquals(List.of(), Drift.between(state.topology(), Canonical.of(back.model())), () -> "import " + what + "\n" + dsl);
        Topology asT2 = withKnowledgeOf(Canonical.of(back.model()), t2);
        assertEquals(List.of(), Drift.between(Drift.expected(t2, new BackendOptions(prefix, true)), Canonical.of(asT2)),
                () -> "import " + what + ": imported\n" + dsl + "\nnot imported " + state.unexpressed());
    }

    private static Topology withKnowledgeOf(Topology imported, Topology t) {
        List<Node> nodes = imported.nodes().stream().map(n -> {
            Node s = t.node(n.name()).orElse(null);
            Map<String, String> sysctl = new LinkedHashMap<>(n.sysctl());
            boolean v6 = n.interfaces().stream().flatMap(i -> i.addresses().stream()).anyMatch(a -> !a.isIpv4());
            boolean forwarding = n.forwarding();
            if (!v6 && "1".equals(sysctl.get("net.ipv4.ip_forward")) && s != null && s.forwarding()) {
                sysctl.remove("net.ipv4.ip_forward");
                forwarding = true;
            }
            return new Node(n.name(), n.span(), s == null ? n.kind() : s.kind(), n.machine(), forwarding, n.interfaces(),
                    n.routes(), n.rules(), n.nat(), n.firewall(), sysctl, List.of(), List.of());
        }).toList();
        return new Topology(t.name(), imported.span(), nodes, imported.links(), List.of());
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
