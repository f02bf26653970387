package dev.topoc.compiler.ast;

import dev.topoc.compiler.diag.Span;
import java.util.List;

/** A policy rule: props {@code priority}, {@code from}, {@code to}, {@code iif}, {@code oif}, {@code fwmark}, {@code table}. */
public record RuleAst(Span span, List<Prop> props) implements Entry {
    public RuleAst {
        props = List.copyOf(props);
    }
}
