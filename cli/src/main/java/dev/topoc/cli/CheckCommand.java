package dev.topoc.cli;

import dev.topoc.backends.sim.Check;
import dev.topoc.backends.sim.CheckQuestion;
import dev.topoc.backends.sim.CheckReport;
import dev.topoc.backends.sim.DataPlane;
import dev.topoc.backends.sim.Failures;
import dev.topoc.backends.sim.ResilienceQuestion;
import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.diag.Json;
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
import picocli.CommandLine;
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
            "  topoc check samples/*.topo",
            "  topoc check samples/router-forwarding.topo --fail ns1:my_veth0",
            "  topoc check samples/router-forwarding.topo --resilience --format json",
            "--fail and --resilience come after the files (--fail takes several values). --resilience asks every expect "
                + "again with each single link and each single node down (expects from the node that is down are left "
                + "out) and lists which break; exit 3 when any expect fails, with or without a failure.", ""})
final class CheckCommand implements Callable<Integer> {
    static final int FAILS = 3;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Topology files (.topo, .yaml, .yml).")
    List<Path> files;

    @Option(names = "--junit", paramLabel = "REPORT.xml", description = "Also write the results as a JUnit XML report "
            + "(one testsuite per file).")
    Path junit;

    @Option(names = "--fail", arity = "1..*", paramLabel = "L|N",
            description = "Check with these links (either end, node:if) or nodes down.")
    List<String> fail = new ArrayList<>();

    @Option(names = "--resilience", description = "For each single link and node failure, which expects break.")
    boolean resilience;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format = Format.text;

    @Mixin
    CommonOptions common;

    enum Format { text, json }

    /** The checks of one scenario, their JUnit names prefixed with it. */
    private record Suite(String prefix, List<Check> checks) {}

    /** One file's results, for the summary and the JUnit report. */
    private record Checked(Path file, String topology, List<Suite> suites, int failed, boolean ok) {
        int count() {
            return suites.isEmpty() ? 0 : suites.get(0).checks().size();
        }
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (resilience && !fail.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--resilience takes every single failure in turn: drop --fail");
        }
        boolean invalid = false;
        List<Checked> results = new ArrayList<>();
        List<String> json = new ArrayList<>();
        for (Path file : files) {
            Compilation c = common.compileValid(file, spec.commandLine().getErr());
            if (c == null) {
                invalid = true;
                continue;
            }
            DataPlane plane;
            try {
                plane = DataPlane.of(c.model(), Failures.parse(fail));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        (files.size() > 1 ? file + ": " : "") + e.getMessage());
            }
            results.add(resilience ? resilience(file, c, plane, out, json) : check(file, c, plane, out, json));
        }
        if (format == Format.json) {
            out.println(files.size() == 1 && json.size() == 1 ? json.get(0) : "[" + String.join(",", json) + "]");
        }
        int failed = results.stream().mapToInt(Checked::failed).sum();
        boolean allOk = results.stream().allMatch(Checked::ok);
        if (files.size() > 1 && format == Format.text) {
            int total = results.stream().mapToInt(Checked::count).sum();
            out.println(files.size() + " files" + (invalid ? " (" + (files.size() - results.size()) + " invalid)" : "")
                    + ", " + (resilience ? (allOk ? "all resilient" : "some not resilient") : summary(total, failed)));
        }
        out.flush();
        if (junit != null) {
            writeJunit(results);
        }
        return invalid ? Main.INVALID : !allOk ? FAILS : Main.OK;
    }

    private Checked check(Path file, Compilation c, DataPlane plane, PrintWriter out, List<String> json) {
        CheckReport report = plane.ask(CheckQuestion.all(c.model()));
        List<Check> checks = report.checks();
        int failed = report.failed();
        if (format == Format.json) {
            json.add("{\"file\":" + Json.quote(file.toString()) + ",\"failures\":" + Json.quote(plane.failures().toString())
                    + ",\"checks\":" + checksJson(checks) + ",\"failed\":" + failed + "}");
        } else {
            if (!fail.isEmpty()) {
                out.println("with " + plane.failures() + " down");
            }
            for (Check k : checks) {
                out.println((k.holds() ? "PASS " : "FAIL ") + k.expectation().span() + "  " + describe(k.expectation())
                        + (k.holds() ? "" : ": " + k.message()));
                if (!k.holds() && k.trace() != null) {
                    TraceText.text(k.trace(), out, "    ");
                }
            }
            out.println((files.size() > 1 ? file + ": " : "") + summary(checks.size(), failed));
        }
        return new Checked(file, c.model().name(), List.of(new Suite("", checks)), failed, failed == 0);
    }

    private Checked resilience(Path file, Compilation c, DataPlane plane, PrintWriter out, List<String> json) {
        ResilienceQuestion.Report r = plane.ask(new ResilienceQuestion(c.model().expectations()));
        List<ResilienceQuestion.Scenario> breaking = r.scenarios().stream().filter(s -> s.report().failed() > 0).toList();
        if (format == Format.json) {
            StringBuilder b = new StringBuilder("{\"file\":").append(Json.quote(file.toString()))
                    .append(",\"baseline\":").append(checksJson(r.baseline().checks())).append(",\"scenarios\":[");
            for (int i = 0; i < r.scenarios().size(); i++) {
                ResilienceQuestion.Scenario s = r.scenarios().get(i);
                b.append(i == 0 ? "" : ",").append("{\"failure\":").append(Json.quote(s.description()))
                        .append(",\"asked\":").append(s.report().checks().size())
                        .append(",\"broken\":").append(checksJson(s.broken())).append('}');
            }
            json.add(b.append("],\"resilient\":").append(r.resilient()).append('}').toString());
        } else {
            if (files.size() > 1) {
                out.println(file + ":");
            }
            int base = r.baseline().failed();
            out.println("with nothing down: " + (r.baseline().checks().size() - base) + " of " + r.baseline().checks().size()
                    + " expectations hold");
            for (Check k : r.baseline().checks()) {
                if (!k.holds()) {
                    out.println("  FAIL " + k.expectation().span() + "  " + describe(k.expectation()) + ": " + k.message());
                }
            }
            for (ResilienceQuestion.Scenario s : r.scenarios()) {
                List<Check> broken = s.broken();
                out.println((broken.isEmpty() ? "ok    " : "BREAKS ") + s.description() + " down: "
                        + (broken.isEmpty() ? "all " + s.report().checks().size() + " hold" : broken.size() + " of "
                        + s.report().checks().size() + " fail"));
                for (Check k : broken) {
                    out.println("    FAIL " + k.expectation().span() + "  " + describe(k.expectation()) + ": " + k.message());
                }
            }
            out.println(r.scenarios().size() + " single failures: " + (r.scenarios().size() - breaking.size()) + " break nothing, "
                    + breaking.size() + " break some expectation");
        }
        List<Suite> suites = new ArrayList<>();
        suites.add(new Suite("", r.baseline().checks()));
        r.scenarios().forEach(s -> suites.add(new Suite(s.description() + " down: ", s.report().checks())));
        int failed = (int) suites.stream().flatMap(s -> s.checks().stream()).filter(k -> !k.holds()).count();
        return new Checked(file, c.model().name(), suites, failed, r.resilient());
    }

    private static String summary(int checks, int failed) {
        return checks + " expectation" + (checks == 1 ? "" : "s") + ": " + (checks - failed) + " hold, " + failed + " fail";
    }

    private static String checksJson(List<Check> checks) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < checks.size(); i++) {
            Check k = checks.get(i);
            b.append(i == 0 ? "" : ",").append("{\"line\":").append(k.expectation().span().line())
                    .append(",\"expect\":").append(Json.quote(describe(k.expectation())))
                    .append(",\"holds\":").append(k.holds()).append(",\"message\":").append(Json.quote(k.message())).append('}');
        }
        return b.append(']').toString();
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

    /** One {@code testsuite} per file; several files are wrapped in {@code testsuites}. */
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
        int tests = r.suites().stream().mapToInt(s -> s.checks().size()).sum();
        x.append("<testsuite name=\"").append(xml("topoc check " + r.topology())).append("\" tests=\"").append(tests)
                .append("\" failures=\"").append(r.failed()).append("\" errors=\"0\" skipped=\"0\">\n");
        for (Suite s : r.suites()) {
            for (Check k : s.checks()) {
                x.append("  <testcase classname=\"").append(xml(r.file().toString())).append("\" name=\"")
                        .append(xml(s.prefix() + k.expectation().span().line() + ":" + k.expectation().span().column() + " "
                                + describe(k.expectation())))
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
        }
        x.append("</testsuite>\n");
    }

    static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
