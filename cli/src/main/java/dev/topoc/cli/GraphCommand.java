package dev.topoc.cli;

import dev.topoc.backends.graph.DotWriter;
import dev.topoc.backends.graph.Graph;
import dev.topoc.backends.graph.GraphBuilder;
import dev.topoc.backends.graph.GraphOptions;
import dev.topoc.backends.graph.Graphviz;
import dev.topoc.backends.graph.MermaidWriter;
import dev.topoc.backends.graph.PathSource;
import dev.topoc.backends.graph.SimulatedPaths;
import dev.topoc.backends.graph.TracePath;
import dev.topoc.compiler.Compilation;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "graph", sortOptions = false, mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description = {"Draw the topology: nodes as boxes, interfaces with their addresses, bridges inside their node, "
                + "cables as lines (with their MTU), L2 domains in colour, external nodes apart.",
            "dot and mermaid are text; svg runs Graphviz `dot` (package " + Graphviz.PACKAGE + "). "
                + "The same input always gives the same bytes."},
        footer = {"", "Exit codes: 0 drawn, 1 invalid input (diagnostics printed), 2 usage error, "
                + "4 I/O failure, Graphviz missing (svg) or no path to highlight.",
            "Examples:", "  topoc graph samples/docker-bridge.topo --format svg -o docker-bridge.svg",
            "  topoc graph samples/star-1000.topo --collapse --format mermaid",
            "  topoc graph samples/docker-bridge.topo --highlight nginx 192.0.2.53", ""})
final class GraphCommand implements Callable<Integer> {
    enum Format { dot, mermaid, svg }

    /** Where {@code --highlight} gets its path; the simulator plugs in here (see PathSource). */
    static PathSource paths = new SimulatedPaths();

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The topology to draw (.topo, .yaml, .yml).")
    Path file;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "dot",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format = Format.dot;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "Write to OUT instead of standard output.")
    Path output;

    @Option(names = "--collapse", description = "Fold groups of " + GraphBuilder.COLLAPSE_MIN
            + " or more identical nodes (e.g. a range h[1..1000]) and the ports facing them into one labelled group.")
    boolean collapse;

    @Option(names = "--highlight", arity = "2", paramLabel = "A B", hideParamSyntax = true,
            description = "Draw the path a packet from node A to B (node, node:iface or address) takes, "
                    + "and where it is dropped, as the simulator traces it.")
    List<String> highlight;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        Compilation c = common.compileValid(file, spec.commandLine().getErr());
        if (c == null) {
            return Main.INVALID;
        }
        TracePath path = null;
        if (highlight != null) {
            path = trace(c, highlight.get(0), highlight.get(1));
        }
        Graph g;
        try {
            g = GraphBuilder.build(c.model(), new GraphOptions(collapse, path));
        } catch (IllegalArgumentException e) {
            throw new Main.CliFailure("cannot highlight the path: " + e.getMessage());
        }
        byte[] bytes = switch (format) {
            case dot -> DotWriter.write(g).getBytes(StandardCharsets.UTF_8);
            case mermaid -> MermaidWriter.write(g).getBytes(StandardCharsets.UTF_8);
            case svg -> svg(DotWriter.write(g));
        };
        emit(bytes);
        return Main.OK;
    }

    private TracePath trace(Compilation c, String from, String to) {
        if (c.model().node(from).isEmpty()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--highlight: `" + from + "` is not a node of " + c.model().name());
        }
        try {
            return paths.trace(c.model(), from, to);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--highlight: " + e.getMessage());
        } catch (UnsupportedOperationException e) {
            throw new Main.CliFailure(e.getMessage());
        }
    }

    private static byte[] svg(String dot) {
        try {
            return Graphviz.render(dot, "svg", 600);
        } catch (Graphviz.Missing e) {
            throw new Main.CliFailure("cannot draw svg: " + e.getMessage());
        } catch (IOException e) {
            throw new Main.CliFailure("cannot draw svg: " + e.getMessage());
        }
    }

    private void emit(byte[] bytes) {
        if (output != null) {
            try {
                Files.write(output, bytes);
            } catch (IOException e) {
                throw new Main.CliFailure("cannot write " + output + ": " + e.getMessage());
            }
            return;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(new String(bytes, StandardCharsets.UTF_8));
        out.flush();
    }
}
