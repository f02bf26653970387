package dev.topoc.cli;

import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.model.NodeKind;
import dev.topoc.live.lab.LabRecord;
import dev.topoc.live.lab.LabStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
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

@Command(name = "exec", sortOptions = false, mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {"Run a command in a node's network namespace (as `ip netns exec` does); its exit code is passed through.",
            "The node is found in FILE (namespace: --prefix + node; a `root` node outside --sandbox runs in the default "
                + "namespace) or in the record of the running lab NAME (`topoc inspect` lists them)."},
        footer = {"", "Exit codes: the command's; 1 invalid FILE, 2 usage error (no such node), "
                + "4 the namespace does not exist or the command cannot be started.",
            "Examples:", "  topoc exec lab.topo nginx --prefix lab1- -- ping -c1 192.0.2.53",
            "  topoc exec --lab docker-bridge@lab1- nginx -- ip -br addr", ""})
final class ExecCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--lab", paramLabel = "NAME", description = "The running lab (TOPOLOGY or TOPOLOGY@PREFIX) instead of FILE.")
    String lab;

    @Option(names = "--prefix", paramLabel = "P", defaultValue = "", description = "With FILE: the namespace prefix the lab was built with.")
    String prefix;

    @Option(names = "--sandbox", description = "With FILE: the lab was built with --sandbox (every node in a namespace).")
    boolean sandbox;

    @Parameters(arity = "1..*", paramLabel = "ARGS", description = "FILE NODE -- CMD… (or NODE -- CMD… with --lab).")
    List<String> args;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        List<String> rest = new ArrayList<>(args);
        String where;
        if (lab != null) {
            if (rest.size() < 2) {
                throw usage("give NODE -- CMD…");
            }
            String node = rest.remove(0);
            where = fromRecord(node);
        } else {
            if (rest.size() < 3) {
                throw usage("give FILE NODE -- CMD…");
            }
            Path file = Path.of(rest.remove(0));
            String node = rest.remove(0);
            Compilation c = common.compileValid(file, spec.commandLine().getErr());
            if (c == null) {
                return Main.INVALID;
            }
            Node n = c.model().node(node).orElseThrow(() -> usage("node '" + node + "' is not in " + file));
            if (n.kind() == NodeKind.EXTERNAL && !sandbox) {
                throw usage("node '" + node + "' is external: it exists only with --sandbox");
            }
            where = n.kind() == NodeKind.ROOT && !sandbox ? "" : prefix + node;
        }
        if (rest.isEmpty()) {
            throw usage("no command given: put it after `--`");
        }
        if (!where.isEmpty() && !Files.exists(Path.of("/run/netns", where))) {
            throw new Main.CliFailure("namespace '" + where + "' does not exist: is the lab up?");
        }
        List<String> cmd = new ArrayList<>();
        if (!where.isEmpty()) {
            cmd.addAll(List.of("ip", "netns", "exec", where));
        }
        cmd.addAll(rest);
        return run(cmd);
    }

    private String fromRecord(String node) {
        LabRecord r = LabStore.system().find(lab).orElseThrow(() -> new Main.CliFailure("no running lab '" + lab
                + "' (topoc inspect lists them)"));
        return r.node(node).map(LabRecord.NodeRecord::where)
                .orElseThrow(() -> usage("lab '" + r.name() + "' has no node '" + node + "'"));
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /** Runs {@code cmd}: on a terminal with the terminal, otherwise with its output copied to ours. */
    private int run(List<String> cmd) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        out.flush();
        err.flush();
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.INHERIT);
        boolean terminal = System.console() != null;
        if (terminal) {
            pb.inheritIO();
        }
        try {
            Process p = pb.start();
            if (!terminal) {
                Thread o = copy(p.getInputStream(), out);
                Thread e = copy(p.getErrorStream(), err);
                o.join();
                e.join();
            }
            return p.waitFor();
        } catch (IOException e) {
            throw new Main.CliFailure("cannot run " + cmd.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Main.CliFailure("interrupted");
        }
    }

    private static Thread copy(InputStream from, PrintWriter to) {
        Thread t = new Thread(() -> {
            char[] buf = new char[8192];
            try (java.io.Reader r = new java.io.InputStreamReader(from, StandardCharsets.UTF_8)) {
                for (int n; (n = r.read(buf)) > 0; ) {
                    synchronized (to) {
                        to.write(buf, 0, n);
                        to.flush();
                    }
                }
            } catch (IOException ignored) {
                // the command closed its output
            }
        });
        t.start();
        return t;
    }
}
