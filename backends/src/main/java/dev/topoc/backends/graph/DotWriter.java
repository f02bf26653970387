package dev.topoc.backends.graph;

import dev.topoc.backends.graph.Graph.BridgeBox;
import dev.topoc.backends.graph.Graph.Box;
import dev.topoc.backends.graph.Graph.Domain;
import dev.topoc.backends.graph.Graph.Edge;
import dev.topoc.backends.graph.Graph.Port;

/**
 * {@link Graph} → Graphviz DOT (an undirected graph laid out left to right). Nodes are clusters, bridges
 * clusters inside them, interfaces boxes; ids are the graph's ids, quoted. Colours: each L2 domain's
 * fill on its ports and bridge, its stroke on its cables; the highlighted path in red.
 */
public final class DotWriter {
    static final String PATH = "#dc2626";

    private final StringBuilder out = new StringBuilder();

    private DotWriter() {}

    public static String write(Graph g) {
        return new DotWriter().graph(g);
    }

    private String graph(Graph g) {
        line(0, "graph " + q(g.name()) + " {");
        line(1, "graph [rankdir=LR, compound=true, newrank=true, fontname=\"Helvetica\", fontsize=12, nodesep=0.2, ranksep=0.9, "
                + "labelloc=t, label=" + q(caption(g)) + "];");
        line(1, "node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", color=\"#64748b\", fontname=\"Helvetica\", fontsize=10];");
        line(1, "edge [fontname=\"Helvetica\", fontsize=9, color=\"#64748b\"];");
        java.util.Map<String, java.util.List<Box>> onMachine = new java.util.LinkedHashMap<>();
        for (Box b : g.inside()) {
            if (b.machine() == null) {
                box(1, b);
            } else {
                onMachine.computeIfAbsent(b.machine(), k -> new java.util.ArrayList<>()).add(b);
            }
        }
        for (var m : onMachine.entrySet()) { // a topology over machines: each machine a cluster of its nodes
            line(1, "subgraph " + q("cluster_machine:" + m.getKey()) + " {");
            line(2, "label=" + q("machine " + m.getKey()) + "; style=\"bold\"; color=\"#0f172a\"; fontcolor=\"#0f172a\";");
            m.getValue().forEach(b -> box(2, b));
            line(1, "}");
        }
        if (!g.outside().isEmpty()) {
            line(1, "subgraph \"cluster_#outside\" {");
            line(2, "label=\"outside (external nodes)\"; style=\"dashed\"; color=\"#94a3b8\"; fontcolor=\"#475569\";");
            for (Box b : g.outside()) {
                box(2, b);
            }
            line(1, "}");
        }
        if (!g.domains().isEmpty()) {
            line(1, "subgraph \"cluster_#legend\" {");
            line(2, "label=\"L2 domains\"; style=\"dotted\"; color=\"#94a3b8\";");
            for (Domain d : g.domains()) {
                line(2, q("#legend:" + d.number()) + " [label=" + q(d.title() + ": " + d.subnets() + "\n" + d.members()
                        + (d.members() == 1 ? " interface" : " interfaces")) + ", fillcolor=" + q(d.fill()) + ", color=" + q(d.stroke()) + "];");
            }
            line(1, "}");
        }
        for (Edge e : g.edges()) {
            edge(e);
        }
        line(0, "}");
        return out.toString();
    }

    static String caption(Graph g) {
        String s = "topology " + g.name();
        if (g.path() != null) {
            s += "\npath " + g.path().label() + ": "
                    + (g.path().delivered() ? "delivered" : "dropped at " + g.path().dropNode() + " (" + g.path().dropReason() + ")");
        }
        return s;
    }

    private void box(int depth, Box b) {
        line(depth, "subgraph " + q("cluster_node:" + b.id()) + " {");
        String style = b.external() ? "rounded,dashed" : "rounded";
        String colour = b.drop() != null ? PATH : b.external() ? "#64748b" : "#334155";
        line(depth + 1, "label=" + q(b.title() + "\n" + String.join("\n", b.lines())) + "; style=" + q(style + (b.collapsed() ? ",bold" : ""))
                + "; color=" + q(colour) + (b.drop() != null ? "; penwidth=2.5" : "") + ";");
        if (b.ports().isEmpty() && b.bridges().isEmpty() && b.drop() == null) {
            line(depth + 1, q(b.id() + "#empty") + " [label=\"(no interfaces)\", shape=plaintext, style=\"\"];");
        }
        for (Port p : b.ports()) {
            port(depth + 1, p, false);
        }
        for (BridgeBox br : b.bridges()) {
            line(depth + 1, "subgraph " + q("cluster_bridge:" + br.id()) + " {");
            Domain d = br.domain();
            line(depth + 2, "label=" + q(br.title()) + "; style=\"rounded,filled\"; fillcolor=" + q(d == null ? "#f1f5f9" : d.fill())
                    + "; color=" + q(d == null ? "#64748b" : d.stroke()) + ";");
            port(depth + 2, br.self(), true);
            for (Port p : br.ports()) {
                port(depth + 2, p, false);
            }
            line(depth + 1, "}");
        }
        if (b.drop() != null) {
            line(depth + 1, q(b.id() + "#drop") + " [label=" + q("✗ dropped\n" + b.drop()) + ", shape=note, style=\"filled\", fillcolor=\"#fee2e2\", color="
                    + q(PATH) + ", fontcolor=" + q(PATH) + "];");
        }
        line(depth, "}");
    }

    private void port(int depth, Port p, boolean bridgeSelf) {
        Domain d = p.domain();
        StringBuilder a = new StringBuilder();
        a.append("label=").append(q(String.join("\n", p.lines())));
        a.append(", fillcolor=").append(q(bridgeSelf ? "#ffffff" : d == null ? "#f8fafc" : d.fill()));
        if (bridgeSelf) {
            a.append(", shape=box, style=\"filled,bold\"");
        }
        if (p.onPath()) {
            a.append(", color=").append(q(PATH)).append(", penwidth=2.5");
        } else if (d != null) {
            a.append(", color=").append(q(d.stroke()));
        }
        line(depth, q(p.id()) + " [" + a + "];");
    }

    private void edge(Edge e) {
        StringBuilder a = new StringBuilder();
        if (!e.label().isEmpty()) {
            a.append("label=").append(q(e.label()));
        }
        switch (e.kind()) {
            case LINK -> attr(a, "penwidth=1.5");
            case TUNNEL -> attr(a, "style=dashed, penwidth=1.5");
            case PARENT -> attr(a, "style=dotted, arrowhead=none");
            case PATH -> attr(a, "style=dashed, constraint=false");
            case DROP -> attr(a, "style=dashed, constraint=false, arrowhead=tee");
            default -> { }
        }
        if (e.onPath()) {
            attr(a, "color=" + q(PATH) + ", fontcolor=" + q(PATH) + ", penwidth=3, dir=" + (e.forward() ? "forward" : "back"));
        } else if (e.domain() != null) {
            attr(a, "color=" + q(e.domain().stroke()));
        }
        line(1, q(e.from()) + " -- " + q(e.to()) + (a.length() == 0 ? "" : " [" + a + "]") + ";");
    }

    private static void attr(StringBuilder a, String s) {
        if (a.length() > 0) {
            a.append(", ");
        }
        a.append(s);
    }

    private void line(int depth, String s) {
        out.append("  ".repeat(depth)).append(s).append('\n');
    }

    /** A DOT quoted string; newlines become centred line breaks. */
    static String q(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> { }
                default -> b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
