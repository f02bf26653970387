package dev.topoc.compiler.ast;

import dev.topoc.compiler.diag.Span;

/**
 * A comment, kept so that {@code fmt} and {@code convert} can put it back. {@code text} includes the
 * marker ({@code #} or {@code //}). {@code afterContent}: written at the end of a line that holds something
 * else (YAML's in-line comments, e.g. after {@code routes:}), not on a line of its own.
 */
public record Comment(String text, Span span, boolean afterContent) {
    public Comment(String text, Span span) {
        this(text, span, false);
    }
}
