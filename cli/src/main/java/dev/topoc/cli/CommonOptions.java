package dev.topoc.cli;

import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.Compiler;
import dev.topoc.compiler.diag.TextReport;
import dev.topoc.compiler.syntax.SourceFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options every command shares, and the helpers commands use to read files and report. */
final class CommonOptions {
    enum ColorMode { auto, always, never }

    @Option(names = "--color", paramLabel = "WHEN", defaultValue = "auto",
            description = "Colour the diagnostics: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}; auto = only on a terminal).")
    ColorMode color = ColorMode.auto;

    @Option(names = "--debug", description = "Show stack traces of internal failures.")
    boolean debug;

    boolean useColor() {
        return switch (color) {
            case always -> true;
            case never -> false;
            case auto -> System.console() != null && System.getenv("NO_COLOR") == null
                    && !"dumb".equals(System.getenv("TERM"));
        };
    }

    static SourceFile read(Path path) {
        try {
            return Compiler.read(path);
        } catch (NoSuchFileException e) {
            throw new Main.CliFailure("cannot read " + path + ": no such file");
        } catch (AccessDeniedException e) {
            throw new Main.CliFailure("cannot read " + path + ": permission denied");
        } catch (java.nio.charset.MalformedInputException e) {
            throw new Main.CliFailure("cannot read " + path + ": not UTF-8 text");
        } catch (IOException e) {
            throw new Main.CliFailure("cannot read " + path + ": " + e.getMessage());
        }
    }

    static Compilation compile(Path path) {
        return Compiler.compile(read(path));
    }

    /** Prints diagnostics of a later stage (a backend) about {@code c}'s source, with carets. */
    void report(Compilation c, dev.topoc.compiler.diag.Diagnostics later, PrintWriter to) {
        TextReport report = new TextReport(Map.of(c.source().path(), c.source()), useColor());
        to.print(report.render(later.sorted()));
        to.flush();
    }

    /**
     * Compiles {@code path} and prints its diagnostics to {@code errorsTo} (standard error): its warnings
     * when it is valid, which are never dropped, or its errors, and then returns null (the caller exits
     * with {@link Main#INVALID}). The refusal every command but validate shares; the streams rule is in
     * the README ("Commands"): a command's result on standard output, diagnostics on standard error.
     */
    Compilation compileValid(Path path, PrintWriter errorsTo) {
        Compilation c = compile(path);
        report(c, errorsTo);
        return c.ok() ? c : null;
    }

    /** Prints a compilation's diagnostics (with carets) to {@code to}. */
    void report(Compilation c, PrintWriter to) {
        TextReport report = new TextReport(Map.of(c.source().path(), c.source()), useColor());
        to.print(report.render(c.diagnostics().sorted()));
        if (c.diagnostics().dropped() > 0) {
            to.println("... and " + c.diagnostics().dropped() + " more");
        }
        to.flush();
    }
}
