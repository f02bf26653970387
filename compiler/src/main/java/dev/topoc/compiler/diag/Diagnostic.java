package dev.topoc.compiler.diag;

import java.util.List;

/** One problem found in a topology. Notes point at the other places involved ("first assigned here"). */
public record Diagnostic(Severity severity, Code code, Span span, String message, List<Note> notes) {
    public record Note(Span span, String message) {}

    public Diagnostic {
        notes = List.copyOf(notes);
    }

    public Diagnostic withNote(Span where, String text) {
        var more = new java.util.ArrayList<>(notes);
        more.add(new Note(where, text));
        return new Diagnostic(severity, code, span, message, more);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }
}
