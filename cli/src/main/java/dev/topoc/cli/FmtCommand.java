package dev.topoc.cli;

import dev.topoc.compiler.ast.Syntax;
import dev.topoc.compiler.ast.TopologyAst;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.diag.TextReport;
import dev.topoc.compiler.print.AsWritten;
import dev.topoc.compiler.print.DslPrinter;
import dev.topoc.compiler.print.YamlPrinter;
import dev.topoc.compiler.syntax.FrontEnd;
import dev.topoc.compiler.syntax.SourceFile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "fmt", sortOptions = false, mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description = {"Lay topology files out canonically.",
            "Two-space indentation, canonical key order, one blank line between blocks; comments are kept (YAML "
                + "and DSL). Only the syntax must be valid. A YAML file with anchors and aliases is refused (E0010) "
                + "rather than expanded."},
        footer = {"", "Exit codes: 0 ok (with --check: already formatted), 1 syntax errors or (with --check) "
                + "a file would change, 2 usage error, 4 I/O failure.",
            "Examples:", "  topoc fmt lab.topo            # print the formatted file",
            "  topoc fmt -w lab.topo         # rewrite it in place",
            "  topoc fmt --check samples/*.topo   # in CI: fail when a file is not formatted", ""})
final class FmtCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Topology files (.topo, .yaml, .yml).")
    List<Path> files;

    @Option(names = "--check", description = "Change nothing; list the files that are not formatted and exit 1 if any.")
    boolean check;

    @Option(names = {"-w", "--write"}, description = "Rewrite the files in place.")
    boolean write;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int result = Main.OK;
        for (Path f : files) {
            SourceFile src = CommonOptions.read(f);
            Diagnostics d = new Diagnostics();
            TopologyAst ast = FrontEnd.parse(src, d);
            if (!d.hasErrors()) {
                AsWritten.check(src, ast.syntax(), d);
            }
            if (d.hasErrors()) {
                err.print(new TextReport(Map.of(src.path(), src), common.useColor()).render(d.sorted()));
                err.flush();
                result = Main.INVALID;
                continue;
            }
            String formatted = ast.syntax() == Syntax.YAML ? YamlPrinter.print(ast) : DslPrinter.print(ast);
            boolean same = formatted.equals(src.text());
            if (check) {
                if (!same) {
                    out.println(f + ": not formatted (run `topoc fmt -w " + f + "`)");
                    result = Main.INVALID;
                }
            } else if (write) {
                if (!same) {
                    ConvertCommand.write(f, formatted);
                }
            } else {
                out.print(formatted);
            }
        }
        out.flush();
        return result;
    }
}
