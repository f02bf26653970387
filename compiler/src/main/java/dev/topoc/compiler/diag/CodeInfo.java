package dev.topoc.compiler.diag;

/**
 * What a code enum constant says about itself: its id ({@code E0402}), the severity it is always reported with,
 * its title (the heading in docs/diagnostics.md) and, for a code reported in one wording, that wording's
 * message and fix-hint templates (null when its wordings are separate {@link Template}s such as {@link Msg}).
 */
public record CodeInfo(String id, Severity severity, String title, String text, String hint) {}
