package dev.topoc.compiler.ast;

import java.util.List;

/**
 * One attribute of an AST entry: a canonical key (the YAML key of LANGUAGE.md §2, e.g. {@code mtu},
 * {@code addresses}, {@code iif}) and its values as written. A flag written without a value (DSL
 * {@code stp}, {@code forwarding}) has no values and means true. {@code key.span()} is where the key
 * (or the DSL word standing for it) was written.
 */
public record Prop(Lit key, List<Lit> values) {
    public Prop {
        values = List.copyOf(values);
    }

    public String name() {
        return key.text();
    }

    /** The single value, or null for a bare flag. */
    public Lit value() {
        return values.isEmpty() ? null : values.get(0);
    }
}
