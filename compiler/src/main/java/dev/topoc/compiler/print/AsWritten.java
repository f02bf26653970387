package dev.topoc.compiler.print;

import dev.topoc.compiler.ast.Syntax;
import dev.topoc.compiler.diag.Code;
import dev.topoc.compiler.diag.Msg;
import dev.topoc.compiler.diag.Diagnostic;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.diag.Span;
import dev.topoc.compiler.syntax.SourceFile;
import dev.topoc.compiler.syntax.yaml.YamlFrontEnd;
import java.util.List;

/**
 * What the printers cannot write back as it was written, checked before a file is rewritten in its own
 * spelling ({@code fmt}, {@code convert --to yaml} of a YAML file). YAML anchors and aliases are the one
 * case: the AST holds the aliased content, copied, so printing it would expand every alias. Such a file
 * is refused with {@link Code#YAML_ALIAS_NOT_KEPT} at each alias rather than silently expanded.
 */
public final class AsWritten {
    private AsWritten() {}

    /** Adds a diagnostic for each alias of {@code source} (a YAML file); nothing for the DSL. */
    public static void check(SourceFile source, Syntax syntax, Diagnostics diagnostics) {
        if (syntax != Syntax.YAML) {
            return;
        }
        YamlFrontEnd.Anchors found = YamlFrontEnd.anchors(source);
        List<Diagnostic.Note> anchors = found.anchors().stream().limit(1)
                .map(a -> new Diagnostic.Note(a, "the anchor is set here")).toList();
        for (Span alias : found.aliases()) {
            diagnostics.add(Msg.ALIAS_WOULD_EXPANDED_INTO.at(alias).withNotes(anchors));
        }
        if (found.commentsUnread() && found.aliases().isEmpty()) {
            diagnostics.add(Msg.YAML_READER_CANNOT_KEEP.at(found.anchors().isEmpty()
                    ? Span.of(source.path(), 1, 1, 1) : found.anchors().get(0)));
            return;
        }
        if (found.aliases().isEmpty() && !found.anchors().isEmpty()) {
            diagnostics.add(Msg.ANCHORS_KEPT_PRINTER_SO.at(found.anchors().get(0)));
        }
    }
}
