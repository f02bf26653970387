package dev.topoc.compiler.ast;

import dev.topoc.compiler.diag.Span;
import java.util.List;

/** A firewall rule: props {@code action}, {@code proto}, {@code from}, {@code to}, {@code sport}, {@code dport}, {@code iif}, {@code oif}, {@code state} (several values). */
public record FwRuleAst(Span span, List<Prop> props) implements Entry {
    public FwRuleAst {
        props = List.copyOf(props);
    }
}
