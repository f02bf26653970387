package dev.topoc.compiler;

import dev.topoc.compiler.ast.TopologyAst;
import dev.topoc.compiler.diag.Code;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.model.Topology;
import dev.topoc.compiler.resolve.Resolver;
import dev.topoc.compiler.syntax.FrontEnd;
import dev.topoc.compiler.syntax.SourceFile;
import dev.topoc.compiler.validate.Validator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The pipeline with its stage gates: parse (DSL or YAML) → resolve → validate. A stage runs only when
 * the ones before it added no error, so the user sees the first stage's problems without noise from
 * later stages reasoning about a broken input.
 */
public final class Compiler {
    private Compiler() {}

    public static Compilation compile(SourceFile source) {
        Diagnostics diagnostics = new Diagnostics();
        TopologyAst ast = FrontEnd.parse(source, diagnostics);
        if (unreadable(diagnostics)) {
            return new Compilation(source, ast, null, diagnostics);
        }
        Topology model = Resolver.resolve(ast, defaultName(source.path()), diagnostics);
        if (!diagnostics.hasErrors()) {
            Validator.validate(model, diagnostics);
        }
        return new Compilation(source, ast, model, diagnostics);
    }

    /**
     * True when the front end could not read the file's structure (syntax errors, safety limits). Schema
     * errors (an unknown or duplicate key, a value of the wrong shape) leave a sound AST behind, so the
     * resolver still runs and the user sees every problem at once.
     */
    private static boolean unreadable(Diagnostics diagnostics) {
        return diagnostics.all().stream().anyMatch(d -> d.isError()
                && (d.code() == Code.SYNTAX || d.code() == Code.YAML_SYNTAX || d.code() == Code.INPUT_LIMIT
                        || d.code() == Code.HIDDEN_CHARACTER));
    }

    /** Reads a file as UTF-8; the path is kept as given so diagnostics name it as the user did. */
    public static SourceFile read(Path path) throws IOException {
        return new SourceFile(path.toString(), Files.readString(path, StandardCharsets.UTF_8));
    }

    /** A topology with no {@code topology NAME} is named after its file. */
    public static String defaultName(String path) {
        String file = Path.of(path).getFileName() == null ? path : Path.of(path).getFileName().toString();
        int dot = file.lastIndexOf('.');
        String base = dot > 0 ? file.substring(0, dot) : file;
        String cleaned = base.replaceAll("[^A-Za-z0-9_.-]", "-");
        return cleaned.isEmpty() || !Character.isLetter(cleaned.charAt(0)) ? "t-" + cleaned : cleaned;
    }
}
