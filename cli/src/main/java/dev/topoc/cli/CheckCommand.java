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
import dev.topoc.live.exec.Engine;
import dev.topoc.live.exec.MachineLab;
import dev.topoc.live.probe.LiveCheck;
import dev.topoc.live.probe.MachineCheck;
import java.time.Duration;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
            "  sudo topoc check samples/docker-bridge.topo --live --sandbox --prefix lab1- --junit target/live.xml",
            "--fail and --resilience come after the files (--fail takes several values). --resilience asks every expect "
                + "again with each single link and each single node down (expects from the node that is down are left "
                + "out) and lists which break; exit 3 when any expect fails, with or without a failure.",
            "--live (root) probes each expect for real on the lab `topoc up FILE` brought up (give the same --prefix and "
                + "--sandbox): ping for icmp, a real TCP connect or UDP exchange from inside the source node's namespace "
                + "(python3), `lands` and `via` from the namespaces' own counters; each result is printed beside the "
                + "simulator's answer, and a disagreement with the simulator's trace. A topology with machines is probed on "
                + "the machines through the lab's check.yml (ansible-playbook; in the sandbox from P+control), the same "
                + "counters read on every machine around each probe. Exit 0 all hold live, 3 some fail live, "
                + "4 the lab is not running, is out of sync with FILE (run `topoc plan FILE`) or cannot be probed.", ""})
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

    @Option(names = "--live", description = "Probe every expect for real on the running lab (see below); needs root.")
    boolean live;

    @Option(names = "--prefix", paramLabel = "P", defaultValue = "", description = "With --live: the lab's prefix, as given to up.")
    String prefix = "";

    @Option(names = "--sandbox", description = "With --live: the lab was brought up with --sandbox.")
    boolean sandbox;

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
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (resilience && !fail.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--resilience takes every single failure in turn: drop --fail");
        }
        if (live) {
            return live(out);
        }
        if (!prefix.isEmpty() || sandbox) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--prefix and --sandbox name a running lab: they go with --live");
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

    // ---- --live ------------------------------------------------------------------------------------------------

    private int live(PrintWriter out) throws Exception {
        CommandLine cmd = spec.commandLine();
        if (files.size() != 1) {
            throw new CommandLine.ParameterException(cmd, "--live probes one running lab: give one FILE");
        }
        if (resilience || !fail.isEmpty()) {
            throw new CommandLine.ParameterException(cmd, "--live probes the lab as it runs: drop --fail and --resilience");
        }
        if (format != Format.text) {
            throw new CommandLine.ParameterException(cmd, "--live prints text (and --junit REPORT.xml): drop --format json");
        }
        if (!prefix.matches("([A-Za-z0-9][A-Za-z0-9_.-]{0,31})?")) {
            throw new CommandLine.ParameterException(cmd, "--prefix '" + prefix
                    + "' must be at most 32 letters, digits, `_`, `.` or `-`, starting with a letter or digit");
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new Main.CliFailure("check --live needs root: it enters the lab's namespaces (run it with sudo)");
        }
        Path file = files.get(0);
        PrintWriter err = cmd.getErr();
        Compilation c = common.compileValid(file, err);
        if (c == null) {
            return Main.INVALID;
        }
        if (!c.model().machines().isEmpty()) {
            return machines(file, c, out, err);
        }
        String options = (prefix.isEmpty() ? "" : " --prefix " + prefix) + (sandbox ? " --sandbox" : "");
        return LiveOptions.guarded(() -> {
            Engine.Plan p = LiveOptions.engine(err).plan(c.model(), file, c.source().text(),
                    new Engine.Options(prefix, sandbox, false, Duration.ZERO, -1));
            String lab = p.id().name();
            if (p.record() == null) {
                throw new Main.CliFailure("lab " + lab + " is not running: `topoc up " + file + options
                        + "` first (check --live probes a lab topoc up brought up)");
            }
            if (!p.refusals().isEmpty()) {
                p.refusals().forEach(r -> err.println(r.diagnostic(file, Engine.at(c.model(), file))));
                throw new Main.CliFailure("lab " + lab + " is not the lab " + file + options + " describes: nothing was probed");
            }
            if (!p.changes().isEmpty()) {
                throw new Main.CliFailure("lab " + lab + " is out of sync with " + file + ": " + p.changes().size() + " change"
                        + (p.changes().size() == 1 ? "" : "s") + " pending (`topoc plan " + file + options + "` lists them, `topoc up "
                        + file + options + "` converges); check --live probes only a lab in sync with its file");
            }
            LiveCheck probes = new LiveCheck(DataPlane.of(c.model()), c.model(), p.record().nodeToNamespace());
            List<LiveCheck.Result> results = new ArrayList<>();
            for (Expectation e : c.model().expectations()) {
                LiveCheck.Result r = probes.check(e);
                results.add(r);
                printLive(r, out);
                out.flush();
            }
            return liveSummary(file, c, lab, results, out);
        });
    }

    /** The summary line and the JUnit report of {@code --live}; its exit code. */
    private int liveSummary(Path file, Compilation c, String lab, List<LiveCheck.Result> results, PrintWriter out) {
        int failed = (int) results.stream().filter(r -> !r.holds()).count();
        int disagree = (int) results.stream().filter(r -> r.disagreement() != null).count();
        out.println("lab " + lab + ": " + summary(results.size(), failed) + " live; " + (disagree == 0
                ? "the simulator agrees on every one" : disagree + " disagreement" + (disagree == 1 ? "" : "s") + " with the simulator"));
        out.flush();
        if (junit != null) {
            writeLiveJunit(file, c.model().name(), results);
        }
        return failed == 0 ? Main.OK : FAILS;
    }

    /**
     * {@code --live} of a topology across machines: refused as on one host when the lab is not running, is another
     * file's or is out of sync (what {@code topoc plan} sees: its playbook's dry run), else every expect probed on the
     * machines by the lab's {@code check.yml} ({@link MachineCheck}).
     */
    private int machines(Path file, Compilation c, PrintWriter out, PrintWriter err) throws Exception {
        LiveOptions naming = new LiveOptions();
        naming.prefix = prefix;
        naming.sandbox = sandbox;
        MachineLive.Deployment d = MachineLive.compile(c, naming, common, err);
        if (d == null) {
            return Main.INVALID;
        }
        String options = (prefix.isEmpty() ? "" : " --prefix " + prefix) + (sandbox ? " --sandbox" : "");
        Engine.Options o = new Engine.Options(prefix, sandbox, false, Duration.ofSeconds(60), -1);
        String at = Engine.at(c.model(), file);
        return LiveOptions.guarded(at, () -> {
            MachineLab machines = MachineLive.lab(err);
            try (MachineLab.Connections ssh = machines.connections(o)) {
                dev.topoc.live.exec.Phases.mark("compile");
                MachineLab.Plan p = machines.plan(c.model(), d.parts(), d.artifacts(), file, o, ssh);
                dev.topoc.live.exec.Phases.mark("dry run");
                String lab = p.id().name();
                if (!p.running()) {
                    throw new Main.CliFailure("lab " + lab + " is not running: `topoc up " + file + options
                            + "` first (check --live probes a lab topoc up brought up)");
                }
                if (!p.refusals().isEmpty()) {
                    p.refusals().forEach(r -> err.println(r.diagnostic(file, at)));
                    throw new Main.CliFailure("lab " + lab + " is not the lab " + file + options + " describes: nothing was probed");
                }
                if (p.failure() != null) {
                    throw new Main.CliFailure(p.failure(), true);
                }
                if (!p.changes().isEmpty()) {
                    throw new Main.CliFailure("lab " + lab + " is out of sync with " + file + ": " + p.changes().size() + " change"
                            + (p.changes().size() == 1 ? "" : "s") + " pending (`topoc plan " + file + options + "` lists them, `topoc up "
                            + file + options + "` converges); check --live probes only a lab in sync with its file");
                }
                MachineCheck check = new MachineCheck(DataPlane.of(c.model()), d.parts(), o.backend());
                List<MachineCheck.Planned> planned = check.plan(c.model().expectations());
                Map<String, List<String>> said = Map.of();
                if (!MachineCheck.probed(planned).isEmpty()) {
                    MachineLab.Probed probed = machines.probe(c.model(), d.artifacts(), file, MachineCheck.vars(planned), o, ssh);
                    if (probed.failure() != null) {
                        throw new Main.CliFailure(probed.failure().diagnostic(), true);
                    }
                    said = probed.said();
                    dev.topoc.live.exec.Phases.mark("check.yml");
                }
                List<LiveCheck.Result> results = check.results(planned, said);
                results.forEach(r -> printLive(r, out));
                return liveSummary(file, c, lab, results, out);
            }
        });
    }

    private static void printLive(LiveCheck.Result r, PrintWriter out) {
        Expectation e = r.expectation();
        out.println((r.holds() ? "PASS " : "FAIL ") + e.span() + "  " + describe(e) + (r.holds() ? "" : ": " + r.message()));
        out.println("    live:      " + (r.live() == null ? "not probed: " + r.message() : r.live().text()));
        out.println("    simulator: " + (r.simulated().trace() == null ? r.simulated().message() : r.simulated().trace().summary()));
        if (r.disagreement() != null) {
            out.println("    DISAGREEMENT: " + r.disagreement() + "; the simulator's trace:");
            TraceText.text(r.simulated().trace(), out, "      ");
        }
    }

    private void writeLiveJunit(Path file, String topology, List<LiveCheck.Result> results) {
        int failed = (int) results.stream().filter(r -> !r.holds()).count();
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        x.append("<testsuite name=\"").append(xml("topoc check --live " + topology)).append("\" tests=\"").append(results.size())
                .append("\" failures=\"").append(failed).append("\" errors=\"0\" skipped=\"0\">\n");
        for (LiveCheck.Result r : results) {
            Expectation e = r.expectation();
            x.append("  <testcase classname=\"").append(xml(file.toString())).append("\" name=\"")
                    .append(xml(e.span().line() + ":" + e.span().column() + " " + describe(e))).append("\"");
            StringWriter t = new StringWriter();
            PrintWriter w = new PrintWriter(t, true);
            printLive(r, w);
            if (r.holds()) {
                x.append(">\n    <system-out>").append(xml(t.toString())).append("</system-out>\n  </testcase>\n");
            } else {
                x.append(">\n    <failure message=\"").append(xml(r.message())).append("\">").append(xml(t.toString()))
                        .append("</failure>\n  </testcase>\n");
            }
        }
        x.append("</testsuite>\n");
        try {
            if (junit.getParent() != null) {
                Files.createDirectories(junit.getParent());
            }
            Files.writeString(junit, x, StandardCharsets.UTF_8);
        } catch (IOException ex) {
            throw new Main.CliFailure("cannot write " + junit + ": " + ex.getMessage());
        }
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
        } else if (e.size() != Expectation.DEFAULT_SIZE || e.df()) {
            b.append(" icmp").append(e.size() != Expectation.DEFAULT_SIZE ? " size " + e.size() : "").append(e.df() ? " df" : "");
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
