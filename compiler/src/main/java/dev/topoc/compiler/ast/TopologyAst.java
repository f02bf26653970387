package dev.topoc.compiler.ast;

import dev.topoc.compiler.diag.Span;
import java.util.List;

/**
 * A topology as written, in either spelling. Lists keep source order; names may still hold ranges
 * ({@code web[1..50]}) and addresses may still be {@code auto}: the resolver gives them meaning.
 */
public record TopologyAst(
        Span span,
        Syntax syntax,
        Lit name,
        List<MachineAst> machines,
        List<NodeAst> nodes,
        List<LinkAst> links,
        List<ExpectAst> expects,
        List<Comment> comments) {
    public TopologyAst {
        machines = List.copyOf(machines);
        nodes = List.copyOf(nodes);
        links = List.copyOf(links);
        expects = List.copyOf(expects);
        comments = List.copyOf(comments);
    }

    /** A topology without machines. */
    public TopologyAst(Span span, Syntax syntax, Lit name, List<NodeAst> nodes, List<LinkAst> links,
            List<ExpectAst> expects, List<Comment> comments) {
        this(span, syntax, name, List.of(), nodes, links, expects, comments);
    }
}
