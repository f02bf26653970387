package dev.topoc.compiler.ast;

import dev.topoc.compiler.diag.Span;
import java.util.List;

/** A firewall chain ({@code input}, {@code forward}, {@code output}): prop {@code policy}, then ordered rules. */
public record ChainAst(Span span, Lit name, List<Prop> props, List<FwRuleAst> rules) implements Entry {
    public ChainAst {
        props = List.copyOf(props);
        rules = List.copyOf(rules);
    }
}
