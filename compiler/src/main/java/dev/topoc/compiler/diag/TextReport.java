package dev.topoc.compiler.diag;

import dev.topoc.compiler.syntax.SourceFile;
import java.util.List;
import java.util.Map;

/**
 * Renders diagnostics like a compiler: {@code FILE:LINE:COL: error[CODE]: message}, the source line,
 * a caret under the token, then the notes. ANSI colour only when asked (the CLI decides: terminal or
 * {@code --color always}).
 */
public final class TextReport {
    private static final String RESET = "\u001b[0m";
    private static final String BOLD = "\u001b[1m";
    private static final String RED = "\u001b[1;31m";
    private static final String YELLOW = "\u001b[1;33m";
    private static final String CYAN = "\u001b[1;36m";
    private static final String GREEN = "\u001b[1;32m";

    private final Map<String, SourceFile> sources;
    private final boolean color;

    public TextReport(Map<String, SourceFile> sources, boolean color) {
        this.sources = sources;
        this.color = color;
    }

    public String render(Diagnostic d) {
        StringBuilder sb = new StringBuilder();
        String sev = d.severity().word();
        String sevColour = d.severity() == Severity.ERROR ? RED : d.severity() == Severity.WARNING ? YELLOW : CYAN;
        sb.append(paint(BOLD, location(d.span()))).append(": ")
                .append(paint(sevColour, sev + "[" + d.code().id() + "]")).append(": ")
                .append(paint(BOLD, d.message())).append('\n');
        excerpt(sb, d.span(), sevColour);
        for (Diagnostic.Note n : d.notes()) {
            sb.append(paint(BOLD, location(n.span()))).append(": ").append(paint(CYAN, "note")).append(": ")
                    .append(n.message()).append('\n');
            excerpt(sb, n.span(), CYAN);
        }
        return sb.toString();
    }

    public String render(List<Diagnostic> diagnostics) {
        StringBuilder sb = new StringBuilder();
        diagnostics.forEach(d -> sb.append(render(d)));
        return sb.toString();
    }

    /** "2 errors, 1 warning" (or "no problems"). */
    public String summary(int errors, int warnings) {
        if (errors == 0 && warnings == 0) {
            return paint(GREEN, "no problems");
        }
        String text = plural(errors, "error") + ", " + plural(warnings, "warning");
        return paint(errors > 0 ? RED : YELLOW, text);
    }

    private static String plural(int n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }

    private static String location(Span s) {
        return s.isKnown() ? s.file() + ":" + s.line() + ":" + s.column() : s.file();
    }

    private void excerpt(StringBuilder sb, Span span, String colour) {
        SourceFile src = sources.get(span.file());
        if (src == null || !span.isKnown()) {
            return;
        }
        String line = src.line(span.line()).replace('\t', ' ');
        String gutter = Integer.toString(span.line());
        String pad = " ".repeat(gutter.length());
        sb.append(pad).append(" |\n");
        sb.append(gutter).append(" | ").append(line).append('\n');
        int col = Math.max(1, span.column());
        int len = Math.max(1, Math.min(span.length(), Math.max(1, line.length() - col + 1)));
        sb.append(pad).append(" | ").append(" ".repeat(col - 1)).append(paint(colour, "^".repeat(len))).append('\n');
    }

    private String paint(String code, String text) {
        return color ? code + text + RESET : text;
    }
}
