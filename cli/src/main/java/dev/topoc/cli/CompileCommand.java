package dev.topoc.cli;

import dev.topoc.backends.ArtifactWriter;
import dev.topoc.backends.Artifacts;
import dev.topoc.backends.Backend;
import dev.topoc.backends.BackendOptions;
import dev.topoc.backends.ansible.AnsibleBackend;
import dev.topoc.backends.bash.BashBackend;
import dev.topoc.backends.networkd.NetworkdBackend;
import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.diag.TextReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "compile", sortOptions = false, mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {"Generate provisioning artifacts for a topology.",
            "--target bash writes OUT/apply.sh (idempotent; rolls back on failure; --dry-run, -q) and OUT/destroy.sh "
                + "(removes only what apply.sh recorded). --target networkd writes OUT/NODE/, laid out as that "
                + "machine's /etc (systemd/network/*.netdev and *.network, nftables.conf, sysctl.d/); with --sandbox "
                + "also OUT/sandbox-up.sh and OUT/sandbox-down.sh, which run the real systemd-networkd per namespace. "
                + "--target ansible (a topology with machines) writes OUT/inventory.ini (one host per machine), "
                + "OUT/host_vars/, OUT/deploy.yml and OUT/teardown.yml, and each machine's part as "
                + "OUT/machines/NAME/apply.sh and destroy.sh; the playbook copies and runs them, reports changed only when "
                + "apply.sh changed something, supports --check, and rolls the machines it built back when one fails; "
                + "with --via networkd each machine's part is compiled by the networkd backend instead (OUT/machines/NAME/nodes/, "
                + "installed and run by OUT/machines/NAME/networkd.sh: a networkd per node namespace; the machine's own units "
                + "go to /etc/systemd/network, or in the sandbox to OUT/roots/NAME with a networkd of its own); "
                + "with --sandbox also OUT/sandbox-up.sh and OUT/sandbox-down.sh: the machines as namespaces P+machine, each "
                + "with its own sshd, and a controller namespace P+control (docs/machines.md). "
                + "Invalid input, or what a backend cannot express, is refused with diagnostics and nothing is written. "
                + "Files are written to a temporary file and renamed into place (scripts 0755, the rest 0644), never through "
                + "a link; an output folder owned by someone else or writable by others is refused (exit 4)."},
        footer = {"", "Exit codes: 0 written, 1 invalid input (diagnostics printed), 2 usage error, 4 I/O failure.",
            "Examples:", "  topoc compile samples/docker-bridge.topo --target bash --sandbox --prefix lab1- -o out",
            "  sudo out/apply.sh && sudo out/destroy.sh",
            "  topoc compile samples/docker-bridge.topo --target networkd --sandbox --prefix lab2- -o etc",
            "  sudo etc/sandbox-up.sh && sudo etc/sandbox-down.sh",
            "  topoc compile lab.topo --target ansible --sandbox --prefix m1- -o deploy",
            "  sudo deploy/sandbox-up.sh",
            "  sudo ip netns exec m1-control ansible-playbook -i deploy/inventory.ini deploy/deploy.yml",
            "  sudo ip netns exec m1-control ansible-playbook -i deploy/inventory.ini deploy/teardown.yml",
            "  sudo deploy/sandbox-down.sh", ""})
final class CompileCommand implements Callable<Integer> {
    /** The backends {@code --target} chooses from. */
    enum Target {
        bash, networkd, ansible;

        Backend backend() {
            return this == bash ? new BashBackend() : new NetworkdBackend();
        }
    }

    /** What each machine runs under --target ansible. */
    enum Via {
        bash, networkd
    }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "Topology file (.topo, .yaml, .yml).")
    Path file;

    @Option(names = "--target", required = true, paramLabel = "TARGET",
            description = "What to generate: ${COMPLETION-CANDIDATES}.")
    Target target;

    @Option(names = "--via", paramLabel = "HOW", defaultValue = "bash",
            description = "With --target ansible: what each machine runs, ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}; "
                    + "networkd: each machine's systemd-networkd trees, docs/machines.md).")
    Via via;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT",
            description = "Folder to write into (created if needed; it must be yours and writable by no one else). "
                    + "Default for bash: a folder named after the topology in the current folder; networkd needs it.")
    Path output;

    @Option(names = "--prefix", paramLabel = "P", defaultValue = "",
            description = "Prefix of every namespace name (namespace = P + node name); letters, digits, `_ . -`.")
    String prefix;

    @Option(names = "--sandbox", description = "Map root and external nodes into namespaces too and create the cables of "
            + "links with a physical end: the whole topology comes up without touching the machine's own namespace.")
    boolean sandbox;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        if (output == null && target == Target.networkd) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--target networkd writes one folder per node: give the output folder with -o DIR");
        }
        if (output == null && target == Target.ansible) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--target ansible writes an inventory, playbooks and one folder per machine: give the output folder with -o DIR");
        }
        if (target != Target.ansible && spec.commandLine().getParseResult().hasMatchedOption("--via")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--via chooses what each machine runs under --target ansible");
        }
        if (!prefix.matches("([A-Za-z0-9][A-Za-z0-9_.-]{0,31})?")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--prefix '" + prefix
                    + "' must be at most 32 letters, digits, `_`, `.` or `-`, starting with a letter or digit");
        }
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        Compilation c = CommonOptions.compile(file);
        common.report(c, stderr);
        if (!c.ok()) {
            stderr.println(new TextReport(Map.of(), common.useColor()).summary(c.diagnostics().errorCount(),
                    c.diagnostics().warningCount()));
            stderr.flush();
            return Main.INVALID;
        }
        // without -o, never the current folder itself: a folder named after the topology (issue 17, item 12)
        Path out = output == null ? Path.of(c.model().name()) : output;
        Diagnostics backend = new Diagnostics();
        Artifacts artifacts;
        if (target == Target.ansible) {
            MachineParts.Split split = MachineParts.of(c.model());
            if (split.error() != null) {
                stderr.println(file + ": " + split.error());
                stderr.flush();
                return Main.INVALID;
            }
            artifacts = new AnsibleBackend().generate(c.model().name(), split.parts(), new BackendOptions(prefix, sandbox),
                    via == Via.networkd ? AnsibleBackend.Via.NETWORKD : AnsibleBackend.Via.BASH, backend);
        } else {
            artifacts = target.backend().generate(c.model(), new BackendOptions(prefix, sandbox), backend);
        }
        common.report(c, backend, stderr);
        if (backend.hasErrors()) {
            return Main.INVALID;
        }
        try {
            ArtifactWriter.write(artifacts, out);
        } catch (IOException e) {
            throw new Main.CliFailure("cannot write to " + out + ": " + e.getMessage());
        }
        if (target == Target.bash) {
            stdout.println(file + ": wrote " + String.join(", ", artifacts.files().keySet().stream()
                    .map(f -> out.resolve(f).toString()).toList())
                    + (output == null ? " (no -o given: into ./" + out + ", named after the topology)" : ""));
        } else {
            stdout.println(file + ": wrote " + artifacts.files().size() + " files to " + out);
        }
        stdout.flush();
        return Main.OK;
    }
}
