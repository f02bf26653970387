package dev.topoc.compiler;

import dev.topoc.compiler.ast.TopologyAst;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.model.Topology;
import dev.topoc.compiler.syntax.SourceFile;

/**
 * The result of running the front end, the resolver and validation on one file. {@code model} is
 * null when the file could not be read into an AST; when {@link #ok()} is false the model may be partial
 * and must not be handed to a backend.
 */
public record Compilation(SourceFile source, TopologyAst ast, Topology model, Diagnostics diagnostics) {
    public boolean ok() {
        return !diagnostics.hasErrors();
    }
}
