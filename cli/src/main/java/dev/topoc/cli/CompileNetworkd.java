package dev.topoc.cli;

import dev.topoc.backends.Artifacts;
import dev.topoc.backends.ArtifactWriter;
import dev.topoc.backends.BackendOptions;
import dev.topoc.backends.networkd.NetworkdBackend;
import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.diag.TextReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code topoc compile FILE --target networkd -o DIR [--prefix P] [--sandbox]}: compiles, refuses invalid
 * input with its diagnostics (exit 1), runs the networkd backend and writes its files only when the
 * backend reported no error either. Kept apart from the compile command so the bash and networkd
 * targets can be developed side by side; {@code compile --target networkd} calls {@link #run}.
 */
public final class CompileNetworkd {
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_.-]{0,32}");

    private CompileNetworkd() {}

    public static int run(Path file, Path outDir, String prefix, boolean sandbox, CommonOptions common,
            PrintWriter out, PrintWriter err) {
        if (outDir == null) {
            err.println("topoc: --target networkd needs an output folder: -o DIR");
            err.flush();
            return Main.USAGE;
        }
        if (prefix != null && !PREFIX.matcher(prefix).matches()) {
            err.println("topoc: --prefix `" + prefix + "` cannot start a namespace name: use up to 32 of A-Z a-z 0-9 _ . -");
            err.flush();
            return Main.USAGE;
        }
        Compilation c = CommonOptions.compile(file);
        common.report(c, out);
        if (!c.ok()) {
            return Main.INVALID;
        }
        Diagnostics diagnostics = new Diagnostics();
        Artifacts artifacts = new NetworkdBackend().generate(c.model(), new BackendOptions(prefix, sandbox), diagnostics);
        if (!diagnostics.isEmpty()) {
            out.print(new TextReport(Map.of(c.source().path(), c.source()), common.useColor()).render(diagnostics.sorted()));
        }
        if (diagnostics.hasErrors()) {
            out.println(new TextReport(Map.of(), common.useColor()).summary(diagnostics.errorCount(), diagnostics.warningCount()));
            out.flush();
            return Main.INVALID;
        }
        try {
            ArtifactWriter.write(artifacts, outDir);
        } catch (IOException e) {
            throw new Main.CliFailure("cannot write " + outDir + ": " + e.getMessage());
        }
        out.println(file + ": wrote " + artifacts.files().size() + " files to " + outDir);
        out.flush();
        return Main.OK;
    }
}
