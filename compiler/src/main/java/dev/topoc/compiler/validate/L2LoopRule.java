package dev.topoc.compiler.validate;

import dev.topoc.compiler.diag.Code;
import dev.topoc.compiler.diag.Diagnostic;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.model.IfRef;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.Link;
import java.util.ArrayList;
import java.util.List;
import org.jgrapht.Graph;
import org.jgrapht.GraphPath;
import org.jgrapht.alg.shortestpath.BFSShortestPath;
import org.jgrapht.alg.util.UnionFind;
import org.jgrapht.graph.Pseudograph;

/**
 * A loop of bridges and links with no STP: a broadcast frame circles forever and the bridges' MAC
 * tables flap (a broadcast storm). The L2 graph has a vertex per bridge without {@code stp} and an edge
 * per link whose two ends are ports of such bridges (a bridge with STP breaks every loop through it).
 * Links are taken in source order; one that joins two bridges already connected closes a loop, reported
 * at that link with the whole cycle: the path between its bridges over the earlier links (a spanning
 * forest, JGraphT), each link of it a note.
 */
final class L2LoopRule implements Validator.Rule {
    @Override
    public void check(Facts facts, Diagnostics diagnostics) {
        UnionFind<IfRef> components = new UnionFind<>(java.util.Set.of());
        Graph<IfRef, Link> forest = new Pseudograph<>(Link.class);
        for (Link l : facts.topology.links()) {
            IfRef a = bridgeOf(facts, l.a());
            IfRef b = bridgeOf(facts, l.b());
            if (a == null || b == null) {
                continue;
            }
            for (IfRef v : List.of(a, b)) {
                if (!forest.containsVertex(v)) {
                    forest.addVertex(v);
                    components.addElement(v);
                }
            }
            if (components.inSameSet(a, b)) {
                report(l, a, b, forest, diagnostics);
            } else {
                components.union(a, b);
                forest.addEdge(a, b, l);
            }
        }
    }

    /** The STP-less bridge an end of a link is a port of, or null. */
    private static IfRef bridgeOf(Facts facts, IfRef end) {
        Interface i = facts.iface(end);
        if (i == null || i.common().master() == null) {
            return null;
        }
        IfRef bridge = new IfRef(end.node(), i.common().master());
        Interface master = facts.iface(bridge);
        boolean stpLess = master != null && master.as(Interface.Bridge.class).map(br -> !br.stp()).orElse(false);
        return stpLess ? bridge : null;
    }

    private static void report(Link closing, IfRef a, IfRef b, Graph<IfRef, Link> forest, Diagnostics diagnostics) {
        List<Link> rest = new ArrayList<>();
        List<IfRef> bridges = new ArrayList<>(List.of(a));
        if (!a.equals(b)) {
            GraphPath<IfRef, Link> path = BFSShortestPath.findPathBetween(forest, b, a);
            rest.addAll(path.getEdgeList());
            bridges.addAll(path.getVertexList());
        } else {
            bridges.add(a);
        }
        StringBuilder cycle = new StringBuilder();
        for (int k = 0; k < bridges.size(); k++) {
            cycle.append(k == 0 ? "" : " → ").append('`').append(bridges.get(k)).append('`');
        }
        List<Diagnostic.Note> notes = new ArrayList<>();
        for (Link l : rest) {
            notes.add(new Diagnostic.Note(l.span(), "the loop continues over link `" + l.a() + " -- " + l.b() + "`"));
        }
        diagnostics.add(Code.L2_LOOP.at(closing.span(), closing.a(), closing.b(), cycle).withNotes(notes));
    }
}
