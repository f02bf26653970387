package dev.topoc.compiler.syntax;

import dev.topoc.compiler.ast.Syntax;
import dev.topoc.compiler.ast.TopologyAst;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.syntax.dsl.DslFrontEnd;
import dev.topoc.compiler.syntax.yaml.YamlFrontEnd;

/**
 * Picks the front end by file name ({@code .yaml}/{@code .yml}: YAML, anything else: DSL). Front ends
 * never throw for bad input: they report diagnostics and return the part of the AST they could read.
 */
public final class FrontEnd {
    private FrontEnd() {}

    public static TopologyAst parse(SourceFile source, Diagnostics diagnostics) {
        return parse(source, Syntax.ofPath(source.path()), diagnostics);
    }

    public static TopologyAst parse(SourceFile source, Syntax syntax, Diagnostics diagnostics) {
        HiddenCharacters.check(source, diagnostics);
        return syntax == Syntax.YAML
                ? YamlFrontEnd.parse(source, diagnostics)
                : DslFrontEnd.parse(source, diagnostics);
    }
}
