package dev.topoc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.backends.graph.PathSource;
import dev.topoc.backends.graph.TracePath;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code topoc graph}, run in-process: formats, files, Graphviz missing, --highlight, exit codes. */
class GraphCommandTest {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    static String sample(String name) {
        String root = System.getProperty("topoc.root", "..");
        return Path.of(root, "samples", name).toString();
    }

    @Test
    void dotIsTheDefaultAndGoesToStandardOutput() {
        Run r = run("graph", sample("docker-bridge.topo"));
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("graph \"docker-bridge\" {\n"), r.out());
        assertTrue(r.out().contains("\"nginx:eth0\" -- \"docker:veth-nginx\""), r.out());
        assertEquals(r.out(), run("graph", sample("docker-bridge.topo")).out(), "deterministic");
    }

    @Test
    void mermaidAndSvgToAFile() throws IOException {
        Run m = run("graph", sample("vxlan-overlay.topo"), "--format", "mermaid");
        assertEquals(0, m.exit(), m.err());
        assertTrue(m.out().contains("flowchart LR\n"), m.out());
        Path svg = dir.resolve("x.svg");
        Run s = run("graph", sample("docker-bridge.topo"), "--format", "svg", "-o", svg.toString());
        assertEquals(0, s.exit(), s.err());
        assertEquals("", s.out());
        String text = Files.readString(svg);
        assertTrue(text.contains("<svg") && text.contains(">172.17.0.1/16<") && text.trim().endsWith("</svg>"), text);
    }

    @Test
    void svgWithoutGraphvizSaysWhichPackageToInstall() {
        System.setProperty("topoc.graphviz.dot", dir.resolve("no-such-dot").toString());
        try {
            Run r = run("graph", sample("docker-bridge.topo"), "--format", "svg");
            assertEquals(4, r.exit());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().startsWith("topoc: cannot draw svg: "), r.err());
            assertTrue(r.err().contains("install the `graphviz` package"), r.err());
        } finally {
            System.clearProperty("topoc.graphviz.dot");
        }
    }

    @Test
    void collapseMakesTheThousandHostsOneGroup() {
        Run r = run("graph", sample("star-1000.topo"), "--collapse");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("h[1..1000]\\n1000 identical netns nodes"), r.out());
        assertTrue(r.out().lines().count() < 40, "a handful of lines, not thousands");
    }

    @Test
    void invalidInputIsRefusedWithItsDiagnostics() throws IOException {
        Path bad = dir.resolve("bad.topo");
        Files.writeString(bad, "node a { iface eth0 { address 10.0.0.300/24 } }\n");
        Run r = run("graph", "--color", "never", bad.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("error[E0200]"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void highlightDrawsTheSimulatorsPathAndDrop() {
        Run ok = run("graph", sample("docker-bridge.topo"), "--format", "dot", "--highlight", "nginx", "192.0.2.53");
        assertEquals(0, ok.exit(), ok.err());
        assertTrue(ok.out().contains("nginx → 192.0.2.53"), ok.out());
        assertFalse(ok.out().contains("dropped"), "the ping reaches: nothing is dropped\n" + ok.out());
        Run dropped = run("graph", sample("docker-bridge-no-nat.topo"), "--format", "dot", "--highlight", "nginx",
                "192.0.2.53");
        assertEquals(0, dropped.exit(), dropped.err());
        assertTrue(dropped.out().contains("dropped"), dropped.out());
        Run unknown = run("graph", sample("docker-bridge.topo"), "--highlight", "nginx", "nosuchnode");
        assertEquals(2, unknown.exit(), unknown.err());
    }

    @Test
    void highlightDrawsThePathTheSourceGives() {
        PathSource saved = GraphCommand.paths;
        GraphCommand.paths = (model, from, to) -> new TracePath(from + " → " + to,
                List.of(new TracePath.Hop("nginx", "eth0"), new TracePath.Hop("docker", "veth-nginx")),
                new TracePath.Drop("docker", "forward policy drop"));
        try {
            Run r = run("graph", sample("docker-bridge.topo"), "--highlight", "nginx", "192.0.2.53");
            assertEquals(0, r.exit(), r.err());
            assertTrue(r.out().contains("path nginx → 192.0.2.53: dropped at docker (forward policy drop)"), r.out());
            assertTrue(r.out().contains("\"nginx:eth0\" -- \"docker:veth-nginx\" [label=\"1\""), r.out());
            Run unknown = run("graph", sample("docker-bridge.topo"), "--highlight", "nobody", "nginx");
            assertEquals(2, unknown.exit());
            assertTrue(unknown.err().startsWith("topoc: --highlight: `nobody` is not a node of docker-bridge"), unknown.err());
        } finally {
            GraphCommand.paths = saved;
        }
    }
}
