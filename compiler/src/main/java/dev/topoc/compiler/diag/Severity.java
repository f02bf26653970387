package dev.topoc.compiler.diag;

public enum Severity {
    ERROR, WARNING, NOTE;

    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
