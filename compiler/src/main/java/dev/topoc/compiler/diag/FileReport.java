package dev.topoc.compiler.diag;

import java.util.List;

/**
 * What the machine-readable printers need of one checked file: its path as the user named it, its
 * diagnostics sorted by position, how many were dropped beyond the cap, and whether it is valid.
 */
public record FileReport(String path, List<Diagnostic> diagnostics, int dropped, boolean ok) {
    public FileReport {
        diagnostics = List.copyOf(diagnostics);
    }

    public static FileReport of(String path, Diagnostics diagnostics) {
        return new FileReport(path, diagnostics.sorted(), diagnostics.dropped(), !diagnostics.hasErrors());
    }

    public int errors() {
        return (int) diagnostics.stream().filter(Diagnostic::isError).count();
    }

    public int warnings() {
        return (int) diagnostics.stream().filter(d -> d.severity() == Severity.WARNING).count();
    }
}
