package dev.topoc.cli;

import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.print.AsWritten;
import dev.topoc.compiler.print.DslPrinter;
import dev.topoc.compiler.print.YamlPrinter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "convert", sortOptions = false, mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description = {"Turn a topology into the other spelling (DSL <-> YAML).",
            "Ranges, `auto` addresses and comments are kept as written; both spellings resolve to the same model. "
                + "Invalid input is refused with its diagnostics. YAML aliases are expanded into the DSL (which has "
                + "none); a YAML file with aliases is not rewritten as YAML (E0010)."},
        footer = {"", "Exit codes: 0 converted, 1 invalid input, 2 usage error, 4 I/O failure.",
            "Examples:", "  topoc convert samples/docker-bridge.topo --to yaml",
            "  topoc convert lab.yaml --to dsl -o lab.topo", ""})
final class ConvertCommand implements Callable<Integer> {
    enum Target { yaml, dsl }

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The topology to convert (.topo, .yaml, .yml).")
    Path file;

    @Option(names = "--to", required = true, paramLabel = "SPELLING", description = "Target spelling: ${COMPLETION-CANDIDATES}.")
    Target to;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "Write to OUT instead of standard output.")
    Path output;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        Compilation c = common.compileValid(file, spec.commandLine().getErr());
        if (c == null) {
            return Main.INVALID;
        }
        if (to == Target.yaml) {
            dev.topoc.compiler.diag.Diagnostics kept = new dev.topoc.compiler.diag.Diagnostics();
            AsWritten.check(c.source(), c.ast().syntax(), kept);
            if (kept.hasErrors()) {
                common.report(c, kept, spec.commandLine().getErr());
                return Main.INVALID;
            }
        }
        String text = to == Target.yaml ? YamlPrinter.print(c.ast()) : DslPrinter.print(c.ast());
        if (output == null) {
            spec.commandLine().getOut().print(text);
            spec.commandLine().getOut().flush();
        } else {
            write(output, text);
        }
        return Main.OK;
    }

    static void write(Path path, String text) {
        try {
            Files.writeString(path, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new Main.CliFailure("cannot write " + path + ": " + e.getMessage());
        }
    }
}
