package dev.topoc.compiler.ast;

import dev.topoc.compiler.diag.Span;
import java.util.List;

/** A machine block (LANGUAGE.md §5): a host topoc deploys to; props: {@code ssh}, {@code underlay}, {@code mtu}. */
public record MachineAst(Span span, Lit name, List<Prop> props) implements Entry {
    public MachineAst {
        props = List.copyOf(props);
    }
}
