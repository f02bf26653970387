package dev.topoc.compiler.ast;

import dev.topoc.compiler.diag.Span;
import java.util.List;

/** A cable between two endpoints written {@code node:if} (either may hold ranges); props: {@code mtu}, {@code subnet}. */
public record LinkAst(Span span, Lit a, Lit b, List<Prop> props) implements Entry {
    public LinkAst {
        props = List.copyOf(props);
    }
}
