package dev.topoc.backends.graph;

import dev.topoc.backends.graph.Graph.BridgeBox;
import dev.topoc.backends.graph.Graph.Box;
import dev.topoc.backends.graph.Graph.Domain;
import dev.topoc.backends.graph.Graph.Edge;
import dev.topoc.backends.graph.Graph.Port;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link Graph} → a Mermaid flowchart, the same drawing as {@link DotWriter}: nodes and bridges as
 * subgraphs, interfaces as boxes, L2 domains as classes, the path as thick red links. Mermaid ids must be
 * plain words, so boxes are {@code n1, n2…}, their ports {@code n1_p1…}, bridges {@code n1_b1…}, numbered
 * in drawing order; the labels carry the names.
 */
public final class MermaidWriter {
    private final StringBuilder out = new StringBuilder();
    private final Map<String, String> ids = new HashMap<>();
    private final Map<String, List<String>> classMembers = new LinkedHashMap<>();
    private final List<String> styles = new ArrayList<>();

    private MermaidWriter() {}

    public static String write(Graph g) {
        return new MermaidWriter().graph(g);
    }

    private String graph(Graph g) {
        line(0, "---");
        line(0, "title: " + title(DotWriter.caption(g).replace("\n", " — ")));
        line(0, "---");
        line(0, "flowchart LR");
        int n = 0;
        java.util.Map<String, java.util.List<Box>> onMachine = new java.util.LinkedHashMap<>();
        for (Box b : g.inside()) {
            if (b.machine() == null) {
                box(1, b, "n" + ++n);
            } else {
                onMachine.computeIfAbsent(b.machine(), k -> new java.util.ArrayList<>()).add(b);
            }
        }
        int m = 0;
        for (var e : onMachine.entrySet()) { // a topology over machines: each machine a subgraph of its nodes
            String id = "m" + ++m;
            line(1, "subgraph " + id + label("machine " + e.getKey()));
            for (Box b : e.getValue()) {
                box(2, b, "n" + ++n);
            }
            line(1, "end");
            styles.add("style " + id + " fill:#ffffff,stroke:#0f172a,stroke-width:2px");
        }
        if (!g.outside().isEmpty()) {
            line(1, "subgraph outside[\"outside (external nodes)\"]");
            for (Box b : g.outside()) {
                box(2, b, "n" + ++n);
            }
            line(1, "end");
            styles.add("style outside fill:#ffffff,stroke:#94a3b8,stroke-dasharray:5 5");
        }
        if (!g.domains().isEmpty()) {
            line(1, "subgraph legend[\"L2 domains\"]");
            for (Domain d : g.domains()) {
                String id = "d" + d.number();
                line(2, id + label(d.title() + ": " + d.subnets() + "\n" + d.members() + (d.members() == 1 ? " interface" : " interfaces")));
                member("dom" + d.number(), id);
            }
            line(1, "end");
        }
        List<String> linkStyles = new ArrayList<>();
        int index = 0;
        for (Edge e : g.edges()) {
            edge(e);
            String colour = e.onPath() ? DotWriter.PATH : e.domain() != null ? e.domain().stroke() : null;
            if (colour != null) {
                linkStyles.add("linkStyle " + index + " stroke:" + colour + (e.onPath() ? ",stroke-width:3px" : ""));
            }
            index++;
        }
        for (Domain d : g.domains()) {
            line(1, "classDef dom" + d.number() + " fill:" + d.fill() + ",stroke:" + d.stroke());
        }
        line(1, "classDef plain fill:#f8fafc,stroke:#64748b");
        line(1, "classDef path stroke:" + DotWriter.PATH + ",stroke-width:3px");
        line(1, "classDef drop fill:#fee2e2,stroke:" + DotWriter.PATH + ",color:" + DotWriter.PATH);
        for (var e : classMembers.entrySet()) {
            line(1, "class " + String.join(",", e.getValue()) + " " + e.getKey());
        }
        styles.forEach(s -> line(1, s));
        linkStyles.forEach(s -> line(1, s));
        return out.toString();
    }

    private void box(int depth, Box b, String id) {
        ids.put(b.id(), id);
        line(depth, "subgraph " + id + label(b.title() + "\n" + String.join("\n", b.lines())));
        int p = 0;
        for (Port port : b.ports()) {
            port(depth + 1, port, id + "_p" + ++p);
        }
        int k = 0;
        for (BridgeBox br : b.bridges()) {
            String bid = id + "_b" + ++k;
            line(depth + 1, "subgraph " + bid + label(br.title()));
            port(depth + 2, br.self(), bid + "_self");
            for (Port port : br.ports()) {
                port(depth + 2, port, id + "_p" + ++p);
            }
            line(depth + 1, "end");
            Domain d = br.domain();
            styles.add("style " + bid + " fill:" + (d == null ? "#f1f5f9" : d.fill()) + ",stroke:" + (d == null ? "#64748b" : d.stroke()));
        }
        if (b.drop() != null) {
            String did = id + "_drop";
            ids.put(b.id() + "#drop", did);
            line(depth + 1, did + label("✗ dropped\n" + b.drop()));
            member("drop", did);
        }
        if (b.ports().isEmpty() && b.bridges().isEmpty() && b.drop() == null) {
            line(depth + 1, id + "_empty" + label("(no interfaces)"));
        }
        line(depth, "end");
        String stroke = b.drop() != null ? DotWriter.PATH : "#334155";
        styles.add("style " + id + " fill:#ffffff,stroke:" + stroke + (b.external() ? ",stroke-dasharray:5 5" : "")
                + (b.collapsed() || b.drop() != null ? ",stroke-width:3px" : ""));
    }

    private void port(int depth, Port p, String id) {
        ids.put(p.id(), id);
        line(depth, id + label(String.join("\n", p.lines())));
        member(p.domain() == null ? "plain" : "dom" + p.domain().number(), id);
        if (p.onPath()) {
            member("path", id);
        }
    }

    private void member(String cls, String id) {
        classMembers.computeIfAbsent(cls, k -> new ArrayList<>()).add(id);
    }

    private void edge(Edge e) {
        String from = ids.get(e.from());
        String to = ids.get(e.to());
        if (from == null || to == null) {
            throw new IllegalStateException("edge to an undrawn port: " + e);
        }
        if (e.onPath() && !e.forward()) {
            String t = from;
            from = to;
            to = t;
        }
        String text = e.label().isEmpty() ? "" : "|" + quoted(e.label()) + "|";
        String arrow;
        if (e.onPath()) {
            arrow = "==>";
        } else {
            arrow = switch (e.kind()) {
                case TUNNEL, PARENT -> "-.-";
                default -> "---";
            };
        }
        line(1, from + " " + arrow + text + " " + to);
    }

    private static String label(String text) {
        return "[" + quoted(text) + "]";
    }

    /** A Mermaid quoted string: line breaks as {@code <br/>}, quotes and angle brackets as entities. */
    static String quoted(String text) {
        String s = text.replace("#", "#35;").replace("\"", "#quot;").replace("<", "#lt;").replace(">", "#gt;")
                .replace("\n", "<br/>");
        return "\"" + s + "\"";
    }

    private static String title(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", " ") + "\"";
    }

    private void line(int depth, String s) {
        out.append("  ".repeat(depth)).append(s).append('\n');
    }
}
