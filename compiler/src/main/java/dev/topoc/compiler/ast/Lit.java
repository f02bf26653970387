package dev.topoc.compiler.ast;

import dev.topoc.compiler.diag.Span;

/** A value exactly as written (unquoted), with where it was written. */
public record Lit(String text, Span span) {
    public static Lit synthetic(String text) {
        return new Lit(text, Span.NONE);
    }

    @Override
    public String toString() {
        return text;
    }
}
