package dev.topoc.compiler.print;

import dev.topoc.compiler.ast.TopologyAst;

/** Placeholder until the printer lands. */
public final class DslPrinter {
    private DslPrinter() {}

    public static String print(TopologyAst ast) {
        throw new UnsupportedOperationException("Dsl printer not built yet");
    }
}
