package dev.topoc.cli;

import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.syntax.SourceFile;
import dev.topoc.live.exec.Engine;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "up", sortOptions = false, mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {"Converge the running lab to FILE: create what is missing, change in place what differs, remove what "
                + "the file no longer has, touching only what the lab owns and nothing that already matches.",
            "Prints the plan it runs (as `topoc plan`), progress on long runs on standard error. All or nothing: when a step "
                + "fails, the lab is rolled back to the state before the run and the step and its line of FILE are named. "
                + "A lab brought up from another file, or a namespace no lab owns, is refused (--replace takes it over).",
            "After the network, the file's `run`s (and with --sandbox a stand-in listener for listens no run serves) are "
                + "started as apply.sh starts them, output in logs/NODE.log of the lab's folder; a run whose command changed, "
                + "or that died, is restarted, and only that one (docs/live.md, \"Workloads\").",
            "A topology with machines goes through its playbook (docs/machines.md, \"The live commands\"): FILE compiled with "
                + "--target ansible into the lab's folder, with --sandbox the sandbox machines brought up (sandbox-up.sh) "
                + "when they are not, then ansible-playbook deploy.yml (in P+control for the sandbox), printing each machine "
                + "and task that changed and the recap. A machine whose part did not change reports changed=0 and is not "
                + "touched; one whose part changed runs its old destroy.sh, then the new apply.sh."},
        footer = {"", "Exit codes: 0 converged (or already in sync), 1 invalid file or refused (nothing changed), "
                + "2 usage error, 4 a step failed (rolled back) or I/O failure.",
            "Examples:", "  sudo topoc up samples/docker-bridge.topo --sandbox --prefix lab1-",
            "  sudo topoc up lab.topo --sandbox --prefix lab1- --replace    # take over what apply.sh built",
            "  sudo topoc up machines.topo --sandbox --prefix m1-    # a topology with machines: through its playbook",
            "  sudo topoc down lab.topo --prefix lab1-", ""})
final class UpCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "Topology file (.topo, .yaml, .yml).")
    Path file;

    @Option(names = "--replace", description = "Take over a lab running from another file, and adopt existing namespaces "
            + "that no lab owns.")
    boolean replace;

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
        MachineLive.Deployment machines = null;
        if (!c.model().machines().isEmpty()) {
            machines = MachineLive.compile(c, live, common, err);
            if (machines == null) {
                return Main.INVALID;
            }
        }
        MachineLive.Deployment deployment = machines;
        return LiveOptions.guarded(dev.topoc.live.exec.Engine.at(c.model(), file), () -> {
            Engine.Outcome o = deployment != null
                    ? MachineLive.lab(err).up(c.model(), deployment.parts(), deployment.artifacts(), file, source.text(),
                            live.options(replace), line -> {
                                out.println(line);
                                out.flush();
                            })
                    : LiveOptions.engine(err).up(c.model(), file, source.text(), live.options(replace), line -> {
                out.println(line);
                out.flush();
            });
            (o.exit() == Engine.OK ? out : err).println(o.exit() == Engine.OK ? o.message()
                    : o.code() != null ? o.diagnostic() : "topoc: " + o.message());
            out.flush();
            err.flush();
            return o.exit() == Engine.OK ? Main.OK : o.exit() == Engine.REFUSED ? Main.INVALID : Main.FAILED;
        });
    }
}
