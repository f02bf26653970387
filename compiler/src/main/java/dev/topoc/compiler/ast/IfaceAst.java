package dev.topoc.compiler.ast;

import dev.topoc.compiler.diag.Span;
import java.util.List;

/**
 * An interface of a node. Its kind is the {@code kind} prop (absent: veth, or loopback for
 * {@code lo}); the other props are the interface keys of LANGUAGE.md §2 ({@code addresses},
 * {@code mtu}, {@code master}, {@code parent}, {@code vni}, ...).
 */
public record IfaceAst(Span span, Lit name, List<Prop> props) implements Entry {
    public IfaceAst {
        props = List.copyOf(props);
    }
}
