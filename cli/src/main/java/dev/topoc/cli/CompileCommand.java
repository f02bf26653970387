package dev.topoc.cli;

import dev.topoc.backends.ArtifactWriter;
import dev.topoc.backends.Artifacts;
import dev.topoc.backends.BackendOptions;
import dev.topoc.backends.bash.BashBackend;
import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.diag.TextReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "compile", sortOptions = false, mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {"Generate provisioning artifacts for a topology.",
            "--target bash writes OUT/apply.sh (idempotent; rolls back on failure; --dry-run, -q) and OUT/destroy.sh "
                + "(removes only what apply.sh recorded). Invalid input is refused with its diagnostics and nothing "
                + "is written."},
        footer = {"", "Exit codes: 0 written, 1 invalid input (diagnostics printed), 2 usage error, 4 I/O failure.",
            "Example:", "  topoc compile samples/docker-bridge.topo --target bash --sandbox --prefix lab1- -o out",
            "  sudo out/apply.sh && sudo out/destroy.sh", ""})
final class CompileCommand implements Callable<Integer> {
    /** The accepted targets; networkd comes later. */
    static final String TARGETS = "bash";

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "Topology file (.topo, .yaml, .yml).")
    Path file;

    @Option(names = "--target", required = true, paramLabel = "TARGET", description = "What to generate: " + TARGETS + ".")
    String target;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", defaultValue = ".",
            description = "Folder to write into (created if needed; default: the current folder).")
    Path output;

    @Option(names = "--prefix", paramLabel = "P", defaultValue = "",
            description = "Prefix of every namespace name (namespace = P + node name); letters, digits, `_ . -`.")
    String prefix;

    @Option(names = "--sandbox", description = "Map root and external nodes into namespaces too and create the cables of "
            + "links with a physical end: the whole topology comes up without touching the machine's own namespace.")
    boolean sandbox;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        if (!target.equals("bash")) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "unknown target '" + target + "'; expected one of: " + TARGETS);
        }
        if (!prefix.matches("([A-Za-z0-9][A-Za-z0-9_.-]{0,31})?")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--prefix '" + prefix
                    + "' must be at most 32 letters, digits, `_`, `.` or `-`, starting with a letter or digit");
        }
        PrintWriter out = spec.commandLine().getOut();
        Compilation c = CommonOptions.compile(file);
        common.report(c, out);
        if (!c.ok()) {
            out.println(new TextReport(Map.of(), common.useColor()).summary(c.diagnostics().errorCount(),
                    c.diagnostics().warningCount()));
            out.flush();
            return Main.INVALID;
        }
        Diagnostics backend = new Diagnostics();
        Artifacts artifacts = new BashBackend().generate(c.model(), new BackendOptions(prefix, sandbox), backend);
        common.report(c, backend, out);
        if (backend.hasErrors()) {
            return Main.INVALID;
        }
        try {
            ArtifactWriter.write(artifacts, output);
        } catch (IOException e) {
            throw new Main.CliFailure("cannot write to " + output + ": " + e.getMessage());
        }
        out.println(file + ": wrote " + String.join(", ", artifacts.files().keySet().stream()
                .map(f -> output.resolve(f).toString()).toList()));
        out.flush();
        return Main.OK;
    }
}
