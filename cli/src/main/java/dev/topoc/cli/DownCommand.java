package dev.topoc.cli;

import dev.topoc.compiler.Compilation;
import dev.topoc.live.exec.Engine;
import dev.topoc.live.lab.LabId;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "down", sortOptions = false, mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {"Remove a running lab: stop its runs (by pid, checked in their namespace), delete every namespace it "
                + "created (and everything in them), then its record.",
            "Name the lab by its file (with the --prefix it runs under) or by its name, TOPOLOGY or TOPOLOGY@PREFIX "
                + "(`topoc inspect` lists them). Idempotent: a lab that is not running is not an error.",
            "A topology with machines: its playbook's teardown.yml (in P+control for the sandbox), then with --sandbox its "
                + "sandbox-down.sh (the machines' namespaces and sshd processes), then the lab's folder and record."},
        footer = {"", "Exit codes: 0 removed or not running, 1 invalid file, 2 usage error, 4 I/O failure.",
            "Examples:", "  sudo topoc down samples/docker-bridge.topo --prefix lab1-",
            "  sudo topoc down --lab docker-bridge@lab1-", ""})
final class DownCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "Topology file of the lab.")
    Path file;

    @Option(names = "--lab", paramLabel = "NAME", description = "The lab's name instead of its file: TOPOLOGY or TOPOLOGY@PREFIX.")
    String lab;

    @Mixin
    LiveOptions live;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        if ((file == null) == (lab == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give the lab's FILE or --lab NAME (one of them)");
        }
        live.check(spec.commandLine());
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LabId id;
        if (lab != null) {
            id = LabId.parse(lab).orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(),
                    "--lab '" + lab + "' is not a lab name: TOPOLOGY or TOPOLOGY@PREFIX"));
        } else {
            Compilation c = common.compileValid(file, err);
            if (c == null) {
                return Main.INVALID;
            }
            id = new LabId(live.prefix, c.model().name());
        }
        return LiveOptions.guarded(() -> {
            Engine.Outcome o = LiveOptions.engine(err).down(id, live.options(false), line -> {
                out.println(line);
                out.flush();
            });
            (o.exit() == Engine.OK ? out : err).println((o.exit() == Engine.OK ? "" : "topoc: ") + o.message());
            out.flush();
            err.flush();
            return o.exit() == Engine.OK ? Main.OK : Main.FAILED;
        });
    }
}
