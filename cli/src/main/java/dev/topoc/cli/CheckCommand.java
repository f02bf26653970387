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
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "check", sortOptions = false, mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {"Evaluate every `expect` of a topology with the simulator.",
            "Prints one line per expectation (PASS or FAIL) and the hop-by-hop trace of every failure. `reach` means "
                + "the request arrives and the reply comes back; tcp/udp expectations assume a listener on the port; "
                + "`via` nodes must be crossed in order and `lands` names the node that receives the request."},
        footer = {"", "Exit codes: 0 all hold, 1 invalid input, 2 usage error, 3 some expectation fails, 4 a file could not be read or written.",
            "Example:", "  topoc check samples/docker-bridge.topo --junit target/check.xml", ""})
final class CheckCommand implements Callable<Integer> {
    static final int FAILS = 3;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "Topology file (.topo, .yaml, .yml).")
    Path file;

    @Option(names = "--junit", paramLabel = "REPORT.xml", description = "Also write the results as a JUnit XML report.")
    Path junit;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Compilation c = common.compileValid(file, out);
        if (c == null) {
            return Main.INVALID;
        }
        common.report(c, spec.commandLine().getErr());
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
        out.println(checks.size() + " expectation" + (checks.size() == 1 ? "" : "s") + ": " + (checks.size() - failed)
                + " hold, " + failed + " fail");
        out.flush();
        if (junit != null) {
            writeJunit(c.model().name(), checks, failed);
        }
        return failed > 0 ? FAILS : Main.OK;
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

    private void writeJunit(String topology, List<Check> checks, int failed) {
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        x.append("<testsuite name=\"").append(xml("topoc check " + topology)).append("\" tests=\"").append(checks.size())
                .append("\" failures=\"").append(failed).append("\" errors=\"0\" skipped=\"0\">\n");
        for (Check k : checks) {
            x.append("  <testcase classname=\"").append(xml(file.toString())).append("\" name=\"")
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
        try {
            if (junit.getParent() != null) {
                Files.createDirectories(junit.getParent());
            }
            Files.writeString(junit, x, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new Main.CliFailure("cannot write " + junit + ": " + e.getMessage());
        }
    }

    static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

}
