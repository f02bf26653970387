package dev.topoc.compiler.ast;

import dev.topoc.compiler.diag.Span;
import java.util.List;
import java.util.Optional;

/** Shared behaviour of AST entries that carry properties. */
public interface Entry {
    Span span();

    List<Prop> props();

    default Optional<Prop> prop(String key) {
        for (Prop p : props()) {
            if (p.name().equals(key)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The first value of a key, if given. */
    default Optional<Lit> value(String key) {
        return prop(key).map(Prop::value);
    }

    /** All values of every occurrence of a key (e.g. repeated {@code address} statements). */
    default List<Lit> values(String key) {
        return props().stream().filter(p -> p.name().equals(key)).flatMap(p -> p.values().stream()).toList();
    }
}
