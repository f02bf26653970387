package dev.topoc.cli;

import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.diag.FileReport;
import dev.topoc.compiler.diag.JsonReport;
import dev.topoc.compiler.diag.SarifReport;
import dev.topoc.compiler.diag.TextReport;
import java.util.ArrayList;
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

@Command(name = "validate", sortOptions = false, mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description = {"Parse and validate topology files; print every problem.",
            "Each problem reads FILE:LINE:COL: error|warning[CODE]: message, followed by the source line and a "
                + "caret. All problems of a file are reported at once; a file with only warnings is valid. "
                + "The diagnostics are validate's result, so they go to standard output (other commands print them "
                + "on standard error).",
            "--format json writes one JSON document for all files (docs/diagnostics-json.md); --format sarif "
                + "writes one SARIF 2.1.0 log with one run, for GitHub code scanning."},
        footer = {"", "Exit codes: 0 valid (warnings allowed), 1 invalid, 2 usage error, 4 a file could not be read.",
            "Example:", "  topoc validate samples/docker-bridge.topo samples/docker-bridge.yaml",
            "  samples/docker-bridge.topo: ok (3 nodes, 5 interfaces besides lo, 2 links, 2 expectations)",
            "  topoc validate --format sarif samples/*.topo > topoc.sarif", ""})
final class ValidateCommand implements Callable<Integer> {
    enum Format { text, json, sarif }

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Topology files (.topo, .yaml, .yml).")
    List<Path> files;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format = Format.text;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (format != Format.text) {
            return machineReadable(out);
        }
        int errors = 0;
        int warnings = 0;
        for (Path f : files) {
            Compilation c = CommonOptions.compile(f);
            common.report(c, out);
            errors += c.diagnostics().errorCount();
            warnings += c.diagnostics().warningCount();
            if (c.ok()) {
                out.println(f + ": ok (" + summary(c.model()) + ")");
            }
        }
        if (errors > 0 || warnings > 0) {
            out.println(new TextReport(Map.of(), common.useColor()).summary(errors, warnings));
        }
        out.flush();
        return errors > 0 ? Main.INVALID : Main.OK;
    }

    /**
     * "3 nodes, 5 interfaces besides lo, 2 links, 2 expectations": every node has its loopback, declared or
     * not, so the count leaves the loopbacks out and says so.
     */
    static String summary(dev.topoc.compiler.model.Topology m) {
        int ifaces = m.nodes().stream().mapToInt(n -> (int) n.interfaces().stream()
                .filter(i -> !(i instanceof dev.topoc.compiler.model.Interface.Loopback)).count()).sum();
        return count(m.nodes().size(), "node") + ", " + count(ifaces, "interface") + " besides lo, "
                + count(m.links().size(), "link") + ", " + count(m.expectations().size(), "expectation");
    }

    static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** One JSON document or one SARIF run for all files; every file is read before anything is written. */
    private int machineReadable(PrintWriter out) {
        List<FileReport> reports = new ArrayList<>();
        for (Path f : files) {
            Compilation c = CommonOptions.compile(f);
            reports.add(FileReport.of(c.source().path(), c.diagnostics()));
        }
        out.print(format == Format.json ? JsonReport.render(reports) : SarifReport.render(reports, version()));
        out.flush();
        return reports.stream().allMatch(FileReport::ok) ? Main.OK : Main.INVALID;
    }

    private static String version() {
        try {
            String first = new Main.Version().getVersion()[0];
            return first.substring(first.indexOf(' ') + 1);
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
