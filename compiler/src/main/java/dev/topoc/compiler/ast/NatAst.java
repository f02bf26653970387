package dev.topoc.compiler.ast;

import dev.topoc.compiler.diag.Span;
import java.util.List;

/** A NAT entry: props {@code type}, {@code from}, {@code to}, {@code out}, {@code in}, {@code proto}, {@code port}, {@code dst}. */
public record NatAst(Span span, List<Prop> props) implements Entry {
    public NatAst {
        props = List.copyOf(props);
    }
}
