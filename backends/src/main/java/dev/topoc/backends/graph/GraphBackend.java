package dev.topoc.backends.graph;

import dev.topoc.backends.Artifacts;
import dev.topoc.backends.Backend;
import dev.topoc.backends.BackendOptions;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.model.Topology;

/**
 * The topology as a picture: {@code NAME.dot} (Graphviz) and {@code NAME.mmd} (Mermaid), both drawn from
 * one {@link Graph} built by {@link GraphBuilder}. Rendering to SVG is {@link Graphviz}'s job.
 */
public final class GraphBackend implements Backend {
    private final GraphOptions graphOptions;

    public GraphBackend(GraphOptions graphOptions) {
        this.graphOptions = graphOptions;
    }

    @Override
    public Artifacts generate(Topology model, BackendOptions options, Diagnostics diagnostics) {
        Graph g = GraphBuilder.build(model, graphOptions);
        return new Artifacts().add(model.name() + ".dot", DotWriter.write(g)).add(model.name() + ".mmd", MermaidWriter.write(g));
    }

    public static String dot(Topology model, GraphOptions options) {
        return DotWriter.write(GraphBuilder.build(model, options));
    }

    public static String mermaid(Topology model, GraphOptions options) {
        return MermaidWriter.write(GraphBuilder.build(model, options));
    }
}
