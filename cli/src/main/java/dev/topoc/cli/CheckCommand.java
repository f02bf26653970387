package dev.topoc.cli;

import dev.topoc.backends.sim.Check;
import dev.topoc.backends.sim.CheckQuestion;
import dev.topoc.backends.sim.CheckReport;
import dev.topoc.backends.sim.DataPlane;
import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.model.Expectation;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "check", sortOptions = false, mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {"Evaluate every `expect` of one or more topologies with the simulator.",
            "Prints one line per expectation (PASS or FAIL) and the hop-by-hop trace of every failure. `reach` means "
                + "the request arrives and the reply comes back; tcp/udp expectations reach only where the node the request lands on (after DNAT) has a `listen` for the port; "
                + "`via` nodes must be crossed in order and `lands` names the node that receives the request."},
        footer = {"", "Exit codes: 0 all hold, 1 some file is invalid (its diagnostics on standard error; the other files "
                + "are still checked), 2 usage error, 3 some expectation fails, 4 a file could not be read or written.",
            "Examples:", "  topoc check samples/docker-bridge.topo --junit target/check.xml",
            "  topoc check samples/*.topo", ""})
final class CheckCommand implements Callable<Integer> {
    static final int FAILS = 3;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Topology files (.topo, .yaml, .yml).")
    List<Path> files;

    @Option(names = "--junit", paramLabel = "REPORT.xml", description = "Also write the results as a JUnit XML report "
            + "(one testsuite per file).")
    Path junit;

    @Mixin
    CommonOptions common;

    /** One file's results, for the summary and the JUnit report. */
    private record Checked(Path file, String topology, List<Check> checks, int failed) {}

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        boolean invalid = false;
        List<Checked> results = new ArrayList<>();
        for (Path file : files) {
            Compilation c = common.compileValid(file, spec.commandLine().getErr());
            if (c == null) {
                invalid = true;
                continue;
            }
            results.add(check(file, c, out));
        }
        int failed = results.stream().mapToInt(Checked::failed).sum();
        if (files.size() > 1) {
            int total = results.stream().mapToInt(r -> r.checks().size()).sum();
            out.println(files.size() + " files" + (invalid ? " (" + (files.size() - results.size()) + " invalid)" : "")
                    + ", " + summary(total, failed));
        }
        out.flush();
        if (junit != null) {
            writeJunit(results);
        }
        return invalid ? Main.INVALID : failed > 0 ? FAILS : Main.OK;
    }

    private Checked check(Path file, Compilation c, PrintWriter out) {
        CheckReport report = DataPlane.of(c.model()).ask(CheckQuestion.all(c.model()));
        List<Check> checks = report.checks();
        int failed = report.failed();
        for (Check k : checks) {
            out.println((k.holds() ? "PASS " : "FAIL ") + k.expectation().span() + "  " + describe(k.expectation())
                    + (k.holds() ? "" : ": " + k.message()));
            if (!k.holds() && k.trace() != null) {
                TraceText.text(k.trace(), out, "    ");
            }
        }
        out.println((files.size() > 1 ? file + ": " : "") + summary(checks.size(), failed));
        return new Checked(file, c.model().name(), checks, failed);
    }

    private static String summary(int checks, int failed) {
        return checks + " expectation" + (checks == 1 ? "" : "s") + ": " + (checks - failed) + " hold, " + failed + " fail";
    }

    static String describe(Expectation e) {
        StringBuilder b = new StringBuilder(e.from() + " -> " + e.to());
        if (e.port() != null) {
            b.append(' ').append(e.proto().word()).append(' ').append(e.port());
        }
        b.append(e.reach() ? " reach" : " noreach");
        if (!e.via().isEmpty()) {
            b.append(" via ").append(String.join(" ", e.via()));
        }
        if (e.lands() != null) {
            b.append(" lands ").append(e.lands());
        }
        return b.toString();
    }

    /** One {@code testsuite} for one file; several files are wrapped in {@code testsuites}. */
    private void writeJunit(List<Checked> results) {
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        boolean several = results.size() != 1;
        if (several) {
            x.append("<testsuites>\n");
        }
        for (Checked r : results) {
            suite(x, r);
        }
        if (several) {
            x.append("</testsuites>\n");
        }
        try {
            if (junit.getParent() != null) {
                Files.createDirectories(junit.getParent());
            }
            Files.writeString(junit, x, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new Main.CliFailure("cannot write " + junit + ": " + e.getMessage());
        }
    }

    private static void suite(StringBuilder x, Checked r) {
        x.append("<testsuite name=\"").append(xml("topoc check " + r.topology())).append("\" tests=\"")
                .append(r.checks().size()).append("\" failures=\"").append(r.failed())
                .append("\" errors=\"0\" skipped=\"0\">\n");
        for (Check k : r.checks()) {
            x.append("  <testcase classname=\"").append(xml(r.file().toString())).append("\" name=\"")
                    .append(xml(k.expectation().span().line() + ":" + k.expectation().span().column() + " " + describe(k.expectation())))
                    .append("\"");
            if (k.holds()) {
                x.append("/>\n");
                continue;
            }
            StringWriter t = new StringWriter();
            if (k.trace() != null) {
                TraceText.text(k.trace(), new PrintWriter(t, true), "");
            }
            x.append(">\n    <failure message=\"").append(xml(k.message())).append("\">").append(xml(t.toString()))
                    .append("</failure>\n  </testcase>\n");
        }
        x.append("</testsuite>\n");
    }

    static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

}
