package dev.topoc.backends.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.topoc.backends.lab.Lab;
import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.Compiler;
import dev.topoc.compiler.syntax.SourceFile;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Random small topologies ({@link ConnectedGen}: kernel-supported features only, valid by construction) are
 * built for real with the bash backend, every node pings every address of every other node, and each answer
 * must equal the simulator's, both one walk per question and the {@code --matrix} cell for a node's first
 * address. Tries are few (each builds a lab; a failing one prints its topology to keep as a regression case);
 * shrinking is off, since every shrink step is another real build.
 *
 * <p>The seeds are fixed so that CI is repeatable: a disagreement found once is fixed and kept as a regression
 * test in {@link KernelAgreementTest}, not left to fail a later, unrelated run. To explore new topologies, run
 * with {@code -Dtopoc.agreement.salt=N} (any number): it changes every generated topology.
 *
 * <p>The two lab properties are JUnit dynamic tests over the seeds jqwik drew for them (tries 30, seed
 * "20261126"; tries 6, seed "20261202"; recorded below, so the topologies are the ones earlier runs checked; a seed jqwik drew twice runs once):
 * JUnit runs them beside the other real-namespace classes (junit-platform.properties), where jqwik's engine
 * would run them alone after every other class, 16 minutes of CI spent waiting on pings one lab at a time.
 */
class KernelAgreementProperties {
    @Property(tries = 2000)
    void generatedTopologiesAreValid(@ForAll long seed) {
        String text = ConnectedGen.generate(new Random(seed));
        Compilation c = Compiler.compile(new SourceFile("gen.topo", text));
        assertTrue(c.ok(), () -> c.diagnostics().all() + "\n" + text);
    }

    private static final long SALT = Long.getLong("topoc.agreement.salt", 0L);

    /** What {@code @ForAll long} gave with tries 30 and seed "20261126", in its order. */
    static final long[] AGREEMENT_SEEDS = {
            87L, -3772250L, -2L, 1L, -7L, -28L, -251982L, 2L, -1L, 678396L, 4877014L, 5112L, -16L, -3700292199747L,
            855387L, 0L, 6L, 190057L, -1L, 2L, -23465802340932L, 1011866723L, 0L, 1L, 93523L, 10857L, -1177850015L,
            -9223372036854775808L, -9223372036854775808L, -9223372036854775807L
    };

    /** What {@code @ForAll long} gave with tries 6 and seed "20261202", in its order. */
    static final long[] TRACEROUTE_SEEDS = {
            -1930927474637L, 9223372036854775806L, -2L, 97455L, 207154L, 1183667576762383691L
    };

    @TestFactory
    Stream<DynamicTest> simulatorAgreesWithTheKernel() {
        return Arrays.stream(AGREEMENT_SEEDS).distinct().map(g -> g ^ SALT)
                .mapToObj(seed -> DynamicTest.dynamicTest("seed " + seed, () -> agreesWithTheKernel(seed)));
    }

    private static void agreesWithTheKernel(long seed) throws Exception {
        Lab.assumeMachine();
        assumeTrue(Lab.onPath("ping"), "needs ping (iputils-ping, installed by .ci/run)");
        String text = withListens(ConnectedGen.generate(new Random(seed)), new Random(seed ^ 0x7cb));
        Compilation c = Compiler.compile(new SourceFile("gen.topo", text));
        assertTrue(c.ok(), () -> c.diagnostics().all() + "\n" + text);
        List<String> missing = Lab.missingFeatures(c.model());
        assumeTrue(missing.isEmpty(), "this kernel lacks " + String.join(", ", missing));
        DataPlane plane = DataPlane.of(c.model());
        List<Agreement.Question> questions = Agreement.questions(c.model(), plane);
        Agreement.Report report;
        Agreement.Report transport;
        try (Lab lab = Lab.of("gen.topo", text)) {
            Lab.Result applied = lab.apply("-q");
            assertTrue(applied.code() == 0, applied::toString);
            report = Agreement.ask(lab, plane, questions, Map.of(), true);
            transport = Agreement.transport(lab, plane, c.model());
            Lab.Result destroyed = lab.destroy();
            assertTrue(destroyed.code() == 0, destroyed::toString);
            assertTrue(lab.namespaces().isEmpty(), "namespaces left after destroy.sh");
        }
        long v6 = questions.stream().filter(q -> q.address().isIPv6()).count();
        System.out.printf("kernel agreement gen (seed %d): %d pings (%d IPv6), %d disagreements, %d asked again%n", seed,
                report.asked(), v6, report.disagreements().size(), report.history().size());
        report.history().stream().filter(h -> h.contains("unstable")).forEach(h -> System.out.println("  " + h));
        assertTrue(report.disagreements().isEmpty(), () -> report.disagreements().size() + " of "
                + report.asked() + " answers differ (seed " + seed + ")\n  " + String.join("\n  ", report.disagreements())
                + "\n--- topology\n" + text);
        assertTrue(transport.disagreements().isEmpty(), () -> transport.disagreements().size() + " of "
                + transport.asked() + " tcp/udp answers differ (seed " + seed + ")\n  " + String.join("\n  ", transport.disagreements())
                + "\n--- topology\n" + text);
    }

    /**
     * The generated topology with random workloads: each node listens on tcp 8080, udp 5353, both or neither (a
     * sandboxed lab answers them with stand-in listeners), so the tcp/udp questions meet open and closed ports.
     */
    static String withListens(String text, Random random) {
        StringBuilder out = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            out.append(line).append('\n');
            if (line.startsWith("node ") && line.endsWith(" {")) {
                int pick = random.nextInt(4);
                if ((pick & 1) != 0) {
                    out.append("  listen tcp 8080\n");
                }
                if ((pick & 2) != 0) {
                    out.append("  listen udp 5353\n");
                }
            }
        }
        return out.substring(0, out.length() - 1);
    }

    /**
     * ICMP errors on traceroute paths: the same generator (its routers sometimes hold unreachable, prohibit and
     * blackhole routes for {@link ConnectedGen#ERROR_TARGETS}, and their IPv6 twins in a topology with IPv6), each traced
     * from every node to every other node (both families of a dual-stack one) and to those targets, UDP and {@code -I},
     * against the real traceroute ({@link KernelTracerouteTest}).
     */
    @TestFactory
    Stream<DynamicTest> tracerouteAgreesWithTheKernel() {
        return Arrays.stream(TRACEROUTE_SEEDS).distinct().map(g -> g ^ SALT)
                .mapToObj(seed -> DynamicTest.dynamicTest("seed " + seed, () -> tracesAgreeWithTheKernel(seed)));
    }

    private static void tracesAgreeWithTheKernel(long seed) throws Exception {
        Lab.assumeMachine();
        assumeTrue(Lab.onPath("traceroute"), "needs traceroute (the Debian package, installed by .ci/run)");
        String text = ConnectedGen.generate(new Random(seed));
        try {
            KernelTracerouteTest.agree("gen.topo", text, text.contains("fd00:") ? ConnectedGen.ERROR_TARGETS_DUAL : ConnectedGen.ERROR_TARGETS);
        } catch (AssertionError e) {
            throw new AssertionError("seed " + seed + ": " + e.getMessage() + "\n--- topology\n" + text, e);
        }
    }
}
