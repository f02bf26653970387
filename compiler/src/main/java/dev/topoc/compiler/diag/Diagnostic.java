package dev.topoc.compiler.diag;

import java.util.List;

/**
 * One problem found in a topology. Notes point at the other places involved ("first assigned here"). Build one
 * with {@link Template#at} ({@code Msg.X.at(span, args)}), which takes the severity from the code.
 */
public record Diagnostic(Severity severity, DiagnosticCode code, Span span, String message, List<Note> notes) {
    public record Note(Span span, String message) {}

    /**
     * @deprecated the severity belongs to the code and the wording to a {@link Template}: use
     *     {@code template.at(span, args)} (then {@link #withNotes}); kept for callers on other branches.
     */
    @Deprecated
    public Diagnostic {
        notes = List.copyOf(notes);
    }

    @SuppressWarnings("deprecation")
    public Diagnostic withNote(Span where, String text) {
        var more = new java.util.ArrayList<>(notes);
        more.add(new Note(where, text));
        return new Diagnostic(severity, code, span, message, more);
    }

    /** This diagnostic with {@code more} notes appended. */
    @SuppressWarnings("deprecation")
    public Diagnostic withNotes(List<Note> more) {
        var all = new java.util.ArrayList<>(notes);
        all.addAll(more);
        return new Diagnostic(severity, code, span, message, all);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }
}
