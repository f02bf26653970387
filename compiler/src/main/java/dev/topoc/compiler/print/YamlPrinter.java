package dev.topoc.compiler.print;

import dev.topoc.compiler.ast.TopologyAst;

/** Placeholder until the printer lands. */
public final class YamlPrinter {
    private YamlPrinter() {}

    public static String print(TopologyAst ast) {
        throw new UnsupportedOperationException("Yaml printer not built yet");
    }
}
