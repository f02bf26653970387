package dev.topoc.backends.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.compiler.model.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Mermaid output: golden files (reviewed by a person) for a few samples, and for every sample a
 * structural check of the flowchart grammar we use: each line is one known statement, subgraphs are
 * balanced, ids are declared once and before use, links, classes and linkStyle indices refer to
 * existing things.
 */
class MermaidOutputTest {
    private static final boolean UPDATE = Boolean.getBoolean("topoc.golden.update");
    private static final String ID = "[A-Za-z][A-Za-z0-9_]*";
    private static final String TEXT = "\"[^\"]*\"";
    private static final Pattern SUBGRAPH = Pattern.compile("subgraph (" + ID + ")\\[" + TEXT + "\\]");
    private static final Pattern BOX = Pattern.compile("(" + ID + ")\\[" + TEXT + "\\]");
    private static final Pattern LINK = Pattern.compile("(" + ID + ") (---|-\\.-|==>)(\\|" + TEXT + "\\|)? (" + ID + ")");
    private static final Pattern CLASSDEF = Pattern.compile("classDef (" + ID + ") [a-z-]+:[^ ]+");
    private static final Pattern CLASS = Pattern.compile("class (" + ID + "(?:," + ID + ")*) (" + ID + ")");
    private static final Pattern STYLE = Pattern.compile("style (" + ID + ") [a-z-]+:[^ ]+(?: [^ ]+)?");
    private static final Pattern LINKSTYLE = Pattern.compile("linkStyle (\\d+) stroke:#[0-9a-f]{6}(,stroke-width:3px)?");

    /** Checks {@code text} against the grammar above; returns the number of links. */
    static int checkStructure(String name, String text) {
        List<String> lines = text.lines().toList();
        assertEquals("---", lines.get(0), name);
        assertTrue(lines.get(1).matches("title: \"[^\"]*\""), name + ": " + lines.get(1));
        assertEquals("---", lines.get(2), name);
        assertEquals("flowchart LR", lines.get(3), name);
        Set<String> ids = new HashSet<>();
        Set<String> subgraphs = new HashSet<>();
        Set<String> classes = new HashSet<>();
        List<String[]> classUses = new ArrayList<>();
        int depth = 0;
        int links = 0;
        for (String raw : lines.subList(4, lines.size())) {
            String line = raw.strip();
            assertTrue(raw.startsWith("  ".repeat(Math.max(depth, 1))) || line.equals("end"), name + ": indentation of `" + raw + "`");
            assertTrue(!line.contains("\n") && !line.isEmpty(), name + ": empty line");
            Matcher m;
            if ((m = SUBGRAPH.matcher(line)).matches()) {
                assertTrue(ids.add(m.group(1)), name + ": id declared twice: " + m.group(1));
                subgraphs.add(m.group(1));
                depth++;
            } else if (line.equals("end")) {
                depth--;
                assertTrue(depth >= 0, name + ": `end` without subgraph");
            } else if ((m = BOX.matcher(line)).matches()) {
                assertTrue(ids.add(m.group(1)), name + ": id declared twice: " + m.group(1));
            } else if ((m = LINK.matcher(line)).matches()) {
                assertEquals(0, depth, name + ": links come after every subgraph");
                assertTrue(ids.contains(m.group(1)) && ids.contains(m.group(4)), name + ": link to an undeclared id: " + line);
                links++;
            } else if ((m = CLASSDEF.matcher(line)).matches()) {
                classes.add(m.group(1));
            } else if ((m = CLASS.matcher(line)).matches()) {
                classUses.add(new String[] {m.group(1), m.group(2)});
            } else if ((m = STYLE.matcher(line)).matches()) {
                assertTrue(subgraphs.contains(m.group(1)), name + ": style of a non-subgraph: " + line);
            } else if ((m = LINKSTYLE.matcher(line)).matches()) {
                assertTrue(Integer.parseInt(m.group(1)) < links, name + ": linkStyle past the last link: " + line);
            } else {
                throw new AssertionError(name + ": not a statement of the flowchart grammar: `" + raw + "`");
            }
            assertTrue(!line.contains("\"") || line.chars().filter(c -> c == '"').count() % 2 == 0, name + ": unbalanced quotes: " + line);
        }
        assertEquals(0, depth, name + ": unclosed subgraph");
        for (String[] use : classUses) {
            assertTrue(classes.contains(use[1]), name + ": class " + use[1] + " is not defined");
            for (String id : use[0].split(",")) {
                assertTrue(ids.contains(id), name + ": class on an undeclared id " + id);
            }
        }
        return links;
    }

    @Test
    void everySampleIsAWellFormedFlowchart() {
        for (Path sample : GraphSupport.samples()) {
            Topology model = GraphSupport.model(sample);
            String text = GraphBackend.mermaid(model, GraphSupport.optionsFor(sample));
            int links = checkStructure(sample.getFileName().toString(), text);
            if (!GraphSupport.optionsFor(sample).collapse()) {
                assertTrue(links >= model.links().size(), sample + ": one line per cable at least");
            }
        }
    }

    @Test
    void goldenDockerBridge() throws IOException {
        golden("docker-bridge.mmd", GraphBackend.mermaid(GraphSupport.sample("docker-bridge"), GraphOptions.DEFAULT));
    }

    @Test
    void goldenVlanTrunk() throws IOException {
        golden("vlan-trunk.mmd", GraphBackend.mermaid(GraphSupport.sample("vlan-trunk"), GraphOptions.DEFAULT));
    }

    @Test
    void goldenVxlanOverlay() throws IOException {
        golden("vxlan-overlay.mmd", GraphBackend.mermaid(GraphSupport.sample("vxlan-overlay"), GraphOptions.DEFAULT));
    }

    @Test
    void goldenStarCollapsed() throws IOException {
        golden("star-1000-collapsed.mmd", GraphBackend.mermaid(GraphSupport.sample("star-1000"), new GraphOptions(true, null)));
    }

    @Test
    void goldenHighlightedDrop() throws IOException {
        String text = GraphBackend.mermaid(GraphSupport.sample("docker-bridge-no-nat"), new GraphOptions(false, GraphBuilderTest.NO_NAT_PATH));
        checkStructure("highlighted", text);
        golden("docker-bridge-no-nat-highlight.mmd", text);
    }

    private static void golden(String name, String actual) throws IOException {
        Path file = GraphSupport.root().resolve("backends/src/test/resources/graph").resolve(name);
        if (UPDATE) {
            Files.writeString(file, actual);
            return;
        }
        assertTrue(Files.exists(file), "missing golden file " + file + " (run with -Dtopoc.golden.update=true and review)");
        assertEquals(Files.readString(file), actual, "golden " + name);
    }
}
