package dev.topoc.compiler.ast;

/** The two spellings of a topology. */
public enum Syntax {
    DSL, YAML;

    public static Syntax ofPath(String path) {
        String p = path.toLowerCase(java.util.Locale.ROOT);
        return p.endsWith(".yaml") || p.endsWith(".yml") ? YAML : DSL;
    }
}
