package dev.topoc.compiler;

import dev.topoc.compiler.diag.Code;
import dev.topoc.compiler.diag.Diagnostic;
import dev.topoc.compiler.syntax.SourceFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Helpers shared by the compiler's tests. */
public final class TestSupport {
    private TestSupport() {}

    public static Compilation dsl(String text) {
        return Compiler.compile(new SourceFile("test.topo", text));
    }

    public static Compilation yaml(String text) {
        return Compiler.compile(new SourceFile("test.yaml", text));
    }

    /** The repository root (set by surefire; falls back to walking up from the working directory). */
    public static Path root() {
        String prop = System.getProperty("topoc.root");
        if (prop != null && Files.isDirectory(Path.of(prop, "samples"))) {
            return Path.of(prop);
        }
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("samples"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("cannot find the repository root (no samples/ folder above " + Path.of("").toAbsolutePath() + ")");
        }
        return p;
    }

    public static List<Path> samples(String glob) {
        try (Stream<Path> s = Files.list(root().resolve("samples"))) {
            var matcher = root().getFileSystem().getPathMatcher("glob:" + glob);
            return s.filter(p -> matcher.matches(p.getFileName())).sorted().toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static List<Diagnostic> withCode(Compilation c, Code code) {
        return c.diagnostics().all().stream().filter(d -> d.code() == code).toList();
    }

    public static String describe(Compilation c) {
        StringBuilder sb = new StringBuilder();
        c.diagnostics().sorted().forEach(d -> sb.append(d.span()).append(' ').append(d.code()).append(' ').append(d.message()).append('\n'));
        return sb.toString();
    }
}
