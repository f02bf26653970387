package dev.topoc.compiler.syntax.dsl;

import dev.topoc.compiler.ast.Syntax;
import dev.topoc.compiler.ast.TopologyAst;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.diag.Span;
import dev.topoc.compiler.syntax.SourceFile;
import java.util.List;

/** Placeholder until the Dsl front end lands. */
public final class DslFrontEnd {
    private DslFrontEnd() {}

    public static TopologyAst parse(SourceFile source, Diagnostics diagnostics) {
        return new TopologyAst(Span.NONE, Syntax.DSL, null, List.of(), List.of(), List.of(), List.of());
    }
}
