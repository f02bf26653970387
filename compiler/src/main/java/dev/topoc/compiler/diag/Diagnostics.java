package dev.topoc.compiler.diag;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Collects diagnostics of every stage; nothing in the compiler throws for bad input. A cap keeps a
 * pathological file from producing millions of lines (the count beyond it is still reported).
 */
public final class Diagnostics {
    public static final int DEFAULT_CAP = 1000;

    private final List<Diagnostic> items = new ArrayList<>();
    private final java.util.Set<String> seen = new java.util.HashSet<>();
    private final int cap;
    private int dropped;
    private int errors;

    public Diagnostics() {
        this(DEFAULT_CAP);
    }

    public Diagnostics(int cap) {
        this.cap = cap;
    }

    /**
     * Adds a diagnostic unless the same code, place and message was already reported (a ranged node
     * such as {@code h[1..1000]} would otherwise repeat one mistake a thousand times).
     */
    public void add(Diagnostic d) {
        Span s = d.span();
        if (!seen.add(d.code().id() + '|' + s.file() + '|' + s.line() + '|' + s.column() + '|' + d.message())) {
            return;
        }
        if (d.isError()) {
            errors++;
        }
        if (items.size() >= cap) {
            dropped++;
            return;
        }
        items.add(d);
    }

    /** Reports {@code template} at {@code span}: the code's severity, the template's wording filled with {@code args}. */
    public Diagnostic report(Template template, Span span, Object... args) {
        var d = template.at(span, args);
        add(d);
        return d;
    }

    /** @deprecated free-text wording at the call site: use {@link #report(Template, Span, Object...)}. */
    @Deprecated
    @SuppressWarnings("deprecation")
    public Diagnostic error(Code code, Span span, String message) {
        var d = new Diagnostic(Severity.ERROR, code, span, message, List.of());
        add(d);
        return d;
    }

    /** @deprecated free-text wording at the call site: use {@link #report(Template, Span, Object...)}. */
    @Deprecated
    @SuppressWarnings("deprecation")
    public Diagnostic warning(Code code, Span span, String message) {
        var d = new Diagnostic(Severity.WARNING, code, span, message, List.of());
        add(d);
        return d;
    }

    public void addAll(Diagnostics other) {
        other.items.forEach(this::add);
        this.dropped += other.dropped;
    }

    public boolean hasErrors() {
        return errors > 0;
    }

    public int errorCount() {
        return errors;
    }

    public int warningCount() {
        return (int) items.stream().filter(d -> d.severity() == Severity.WARNING).count();
    }

    public int dropped() {
        return dropped;
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }

    /** Sorted by file, line, column, then code, so output is stable. */
    public List<Diagnostic> sorted() {
        var copy = new ArrayList<>(items);
        copy.sort(Comparator.comparing((Diagnostic d) -> d.span().file())
                .thenComparingInt(d -> d.span().line())
                .thenComparingInt(d -> d.span().column())
                .thenComparing(d -> d.code().id()));
        return copy;
    }

    public List<Diagnostic> all() {
        return List.copyOf(items);
    }
}
