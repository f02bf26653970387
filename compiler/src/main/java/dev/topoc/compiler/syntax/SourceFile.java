package dev.topoc.compiler.syntax;

import java.util.List;

/** A topology file's path (as the user named it, used in diagnostics) and its text. */
public record SourceFile(String path, String text) {
    /** Line {@code n} (1-based) without its line break, or "" past the end. */
    public String line(int n) {
        List<String> lines = text.lines().toList();
        return n >= 1 && n <= lines.size() ? lines.get(n - 1) : "";
    }
}
