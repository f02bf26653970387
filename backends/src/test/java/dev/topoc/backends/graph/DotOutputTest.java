package dev.topoc.backends.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.Link;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.model.Topology;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every sample's DOT goes through the real Graphviz: laid out by {@code dot} without a warning, and what
 * {@code dot} read back ({@code -Tcanon}) has a node for every drawn interface and an edge for every cable.
 */
class DotOutputTest {
    private static final Pattern EDGE = Pattern.compile("^\\s*\"([^\"]+)\" -- \"([^\"]+)\"", Pattern.MULTILINE);
    private static final Pattern NODE = Pattern.compile("^\\t+\"([^\"]+)\"\\t\\[", Pattern.MULTILINE);

    @TempDir
    Path dir;

    record Run(int exit, String out, String err, long millis) {}

    static Run run(Path input, String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(command));
        cmd.add(input.toString());
        long start = System.nanoTime();
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            fail("Graphviz is not installed (" + command[0] + "): install the graphviz package (.ci/run does)");
            throw e;
        }
        var out = p.getInputStream().readAllBytes();
        var err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "graphviz timed out");
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8),
                (System.nanoTime() - start) / 1_000_000);
    }

    @Test
    void everySampleIsLaidOutByDotWithoutAWarning() throws Exception {
        List<Path> samples = GraphSupport.samples();
        assertTrue(samples.size() >= 30, "samples found: " + samples);
        for (Path sample : samples) {
            Topology model = GraphSupport.model(sample);
            GraphOptions options = GraphSupport.optionsFor(sample);
            String dot = GraphBackend.dot(model, options);
            Path file = dir.resolve(model.name() + ".dot");
            Files.writeString(file, dot);
            Run r = run(file, "dot", "-Tcanon");
            assertEquals(0, r.exit(), sample + ": " + r.err());
            assertEquals("", r.err(), sample + ": dot warned");
            if (!options.collapse()) {
                assertEverythingDrawn(sample, model, r.out());
            }
        }
    }

    /** Each interface but a bare lo is a node; each cable an edge between its two ends, as dot read them. */
    private static void assertEverythingDrawn(Path sample, Topology model, String canon) {
        Set<String> nodes = new HashSet<>();
        Matcher n = NODE.matcher(canon);
        while (n.find()) {
            nodes.add(n.group(1));
        }
        for (Node node : model.nodes()) {
            for (Interface i : node.interfaces()) {
                if (i instanceof Interface.Loopback && i.addresses().isEmpty()) {
                    continue;
                }
                assertTrue(nodes.contains(node.name() + ":" + i.name()), sample + ": no node for " + i.ref() + " in\n" + canon);
            }
        }
        Set<String> edges = new HashSet<>();
        Matcher e = EDGE.matcher(canon);
        while (e.find()) {
            edges.add(e.group(1) + " -- " + e.group(2));
        }
        for (Link l : model.links()) {
            assertTrue(edges.contains(l.a() + " -- " + l.b()), sample + ": no edge for link " + l.a() + " -- " + l.b() + " in " + edges);
        }
    }

    @Test
    void theThousandHostSampleCollapsedRendersToSvgQuickly() throws Exception {
        Topology model = GraphSupport.sample("star-1000");
        long start = System.nanoTime();
        String dot = GraphBackend.dot(model, new GraphOptions(true, null));
        long buildMillis = (System.nanoTime() - start) / 1_000_000;
        Path file = dir.resolve("star.dot");
        Files.writeString(file, dot);
        Run r = run(file, "dot", "-Tsvg");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("h[1..1000]"), "the group is labelled with its range");
        assertTrue(r.out().contains("p[1..1000] ×1000"), "the switch ports facing the group are one port");
        System.out.println("star-1000 --collapse: graph built in " + buildMillis + " ms, dot -Tsvg in " + r.millis() + " ms");
        assertTrue(r.millis() < 10_000, "dot took " + r.millis() + " ms");
    }

    @Test
    void theThousandHostSampleUncollapsedIsReadByGraphviz() throws Exception {
        // Laying it out takes dot about 50 s on this machine, so only Graphviz's parser (gc) reads it here.
        Topology model = GraphSupport.sample("star-1000");
        Path file = dir.resolve("star-full.dot");
        Files.writeString(file, GraphBackend.dot(model, GraphOptions.DEFAULT));
        Run r = run(file, "gc", "-n", "-e");
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.err());
        // 1,000 host ends + 1,000 switch ports + br0 + one legend entry; 1,000 cables
        assertTrue(r.out().matches("(?s)\\s*2002\\s+1000\\s+star-1000.*"), r.out());
    }
}
