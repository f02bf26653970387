package dev.topoc.cli;

import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.diag.Json;
import dev.topoc.compiler.syntax.SourceFile;
import dev.topoc.live.diff.Change;
import dev.topoc.live.exec.Engine;
import dev.topoc.live.exec.MachineLab;
import dev.topoc.live.lab.LabId;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "plan", sortOptions = false, mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {"Show what `topoc up FILE` would change in the running lab, in the order it would run; change nothing.",
            "One line per change: `+` create, `-` remove, `~` change in place, then the object, how, and the line of FILE "
                + "that asks for it (for a removal: the lab record that owns what goes). Also names what up would refuse.",
            "Then the runs up would stop and start, each command verbatim: `- run web: OLD (stop pid N)`, "
                + "`+ run web: NEW`, `+ run web: CMD (restart: pid N is not running)`.",
            "A topology with machines: its playbook's dry run (ansible-playbook deploy.yml --check, in P+control for the "
                + "sandbox), one line per machine that would change, with why (its part changed, a namespace is missing, "
                + "not built) and its `machine` line; docs/machines.md, \"The live commands\"."},
        footer = {"", "Exit codes: 0 in sync, 5 changes pending (CI uses it to detect drift), 1 invalid file or up would refuse, "
                + "2 usage error, 4 I/O failure (not root, a namespace that cannot be read).",
            "Examples:", "  sudo topoc plan samples/docker-bridge.topo --sandbox --prefix lab1-",
            "  sudo topoc plan lab.topo --format json | jq '.changes[].object'", ""})
final class PlanCommand implements Callable<Integer> {
    static final int PENDING = 5;

    enum Format { text, json }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "Topology file (.topo, .yaml, .yml).")
    Path file;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "${COMPLETION-CANDIDATES} (default: text).")
    Format format;

    @Mixin
    LiveOptions live;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        dev.topoc.live.exec.Phases.mark("start");
        live.check(spec.commandLine());
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SourceFile source = CommonOptions.read(file);
        Compilation c = common.compileValid(file, err);
        if (c == null) {
            return Main.INVALID;
        }
        dev.topoc.live.exec.Phases.mark("compile");
        if (!c.model().machines().isEmpty()) {
            MachineLive.Deployment d = MachineLive.compile(c, live, common, err);
            if (d == null) {
                return Main.INVALID;
            }
            return LiveOptions.guarded(() -> machines(MachineLive.lab(err).plan(c.model(), d.parts(), d.artifacts(), file,
                    live.options(false)), Engine.at(c.model(), file), out, err));
        }
        return LiveOptions.guarded(() -> {
            Engine.Plan p = LiveOptions.engine(err).plan(c.model(), file, source.text(), live.options(false));
            if (format == Format.json) {
                out.print(Json.write(json(p)));
            } else {
                text(p, Engine.at(c.model(), file), out);
            }
            out.flush();
            if (!p.refusals().isEmpty()) {
                return Main.INVALID;
            }
            return p.changes().isEmpty() ? Main.OK : PENDING;
        });
    }

    /** A topology with machines: the verdict of its playbook's dry run ({@code deploy.yml --check}). */
    private int machines(MachineLab.Plan p, String at, PrintWriter out, PrintWriter err) {
        if (p.failure() != null) {
            err.println(p.failure());
            err.flush();
            return Main.FAILED;
        }
        if (format == Format.json) {
            Map<String, Object> m = header(p.id(), p.running(), p.inSync(), p.refusals());
            m.put("changes", p.changes().stream().map(ch -> {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("op", ch.op());
                x.put("object", ch.object());
                x.put("detail", ch.detail());
                x.put("source", ch.source());
                return x;
            }).toList());
            out.print(Json.write(m));
        } else {
            p.refusals().forEach(r -> out.println(r.diagnostic(file, at) + " (topoc up would refuse)"));
            if (p.refusals().isEmpty() && p.changes().isEmpty()) {
                out.println("lab " + p.id().name() + " is in sync with " + file + " (deploy.yml --check: nothing to change)");
            } else if (!p.changes().isEmpty()) {
                out.println("lab " + p.id().name() + (p.running() ? "" : " (not running)") + ": " + p.changes().size() + " change"
                        + (p.changes().size() == 1 ? "" : "s") + " to bring it to " + file);
                p.changes().forEach(ch -> out.println(ch.line()));
            }
        }
        out.flush();
        return !p.refusals().isEmpty() ? Main.INVALID : p.changes().isEmpty() ? Main.OK : PENDING;
    }

    private void text(Engine.Plan p, String at, PrintWriter out) {
        p.refusals().forEach(r -> out.println(r.diagnostic(file, at) + " (topoc up would refuse)"));
        if (p.changes().isEmpty()) {
            out.println("lab " + p.id().name() + " is in sync with " + file);
            return;
        }
        out.println("lab " + p.id().name() + (p.record() == null ? " (not running)" : "") + ": " + p.changes().size()
                + " change" + (p.changes().size() == 1 ? "" : "s") + " to bring it to " + file);
        p.changes().forEach(ch -> out.println(ch.line()));
    }

    /** What the JSON plan of a lab on one host and of one across machines share: the lab, and whether it can be brought up. */
    private Map<String, Object> header(LabId id, boolean running, boolean inSync, List<Engine.Refusal> refusals) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("lab", id.name());
        m.put("file", file.toString());
        m.put("running", running);
        m.put("inSync", inSync);
        m.put("refusals", refusals.stream().map(r -> {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("code", r.code().id());
            x.put("message", r.message());
            return x;
        }).toList());
        return m;
    }

    private Map<String, Object> json(Engine.Plan p) {
        Map<String, Object> m = header(p.id(), p.record() != null, p.inSync(), p.refusals());
        List<Object> changes = new ArrayList<>();
        for (Change ch : p.changes()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("op", ch.op().sign);
            c.put("node", ch.node());
            c.put("object", ch.object());
            c.put("detail", ch.detail());
            c.put("source", ch.source());
            changes.add(c);
        }
        m.put("changes", changes);
        return m;
    }
}
