package dev.topoc.compiler.ast;

import dev.topoc.compiler.diag.Span;
import java.util.List;

/** A route: props {@code to} (CIDR or {@code default}), {@code via}, {@code dev}, {@code metric}, {@code table}, {@code src}, {@code type}. */
public record RouteAst(Span span, List<Prop> props) implements Entry {
    public RouteAst {
        props = List.copyOf(props);
    }
}
