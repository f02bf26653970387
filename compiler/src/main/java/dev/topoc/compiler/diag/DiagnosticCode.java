package dev.topoc.compiler.diag;

/**
 * A stable diagnostic code: its id ({@code E0402}), the severity it is always reported with, and its title
 * (the heading in docs/diagnostics.md). The compiler's codes are {@link Code}; a backend or the live stage
 * contributes its own codes through a {@link CodeSet} (see {@link Codes}). Ids are unique across all sets.
 */
public interface DiagnosticCode {
    String id();

    Severity severity();

    String title();

    /** The constant's name ({@code ROUTING_LOOP}); SARIF derives the rule name from it. */
    String name();

    /** The id's number: {@code E0402} → 402. */
    default int number() {
        return Integer.parseInt(id().substring(1));
    }

    /**
     * Codes E0010–E0019 are reported by the printers ({@code fmt}, {@code convert}) about a file they cannot
     * rewrite as written; their test cases live beside the printers (CommentsKeptProperties).
     */
    default boolean isPrinterCode() {
        return number() >= 10 && number() <= 19;
    }

    /**
     * Codes E0800–E0999 (except the live codes) are reported by a backend (bash, networkd, simulator, graph) about a
     * valid topology it cannot express; their test cases live beside the backends.
     */
    default boolean isBackendCode() {
        return number() >= 800 && number() <= 999 && !isLiveCode();
    }

    /**
     * Codes E0900–E0929 are reported by the live commands ({@code up}, {@code plan}, {@code down}) about a running
     * lab, not about the file; their test cases live in live/ (LiveDiagnosticCodesTest) against real namespaces.
     */
    default boolean isLiveCode() {
        return number() >= 900 && number() <= 929;
    }
}
