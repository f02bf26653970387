package dev.topoc.compiler.diag;

/**
 * A place in a source file: 1-based line and column of the first character, and the length of the
 * token on that line (at least 1) so a printer can draw a caret under the whole token.
 *
 * <p>Spans are provenance, not meaning: every span equals every other, so two ASTs or models written
 * differently (DSL and YAML, or formatted differently) are equal when they say the same thing. Compare
 * positions through {@link #file()}, {@link #line()}, {@link #column()} or {@link #sameAs(Span)}.
 */
public record Span(String file, int line, int column, int length) {
    public static final Span NONE = new Span("<none>", 0, 0, 0);

    public Span {
        if (length < 1 && line > 0) {
            length = 1;
        }
    }

    public static Span of(String file, int line, int column, int length) {
        return new Span(file, line, column, Math.max(1, length));
    }

    public boolean isKnown() {
        return line > 0;
    }

    /** Positional equality (what {@link #equals} deliberately is not). */
    public boolean sameAs(Span other) {
        return file.equals(other.file) && line == other.line && column == other.column && length == other.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Span;
    }

    @Override
    public int hashCode() {
        return 0;
    }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
