package dev.topoc.compiler.ast;

import dev.topoc.compiler.diag.Span;
import java.util.List;

/** An expectation: props {@code from}, {@code to}, {@code proto}, {@code port}, {@code reach} (true|false), {@code via} (several values), {@code lands}. */
public record ExpectAst(Span span, List<Prop> props) implements Entry {
    public ExpectAst {
        props = List.copyOf(props);
    }
}
