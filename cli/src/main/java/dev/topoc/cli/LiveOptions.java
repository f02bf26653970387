package dev.topoc.cli;

import dev.topoc.live.exec.Engine;
import dev.topoc.live.exec.Observer;
import dev.topoc.live.lab.LabBusyException;
import dev.topoc.live.lab.LabStore;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** What {@code plan}, {@code up} and {@code down} share: {@code --prefix}, {@code --sandbox}, the root check, the engine. */
final class LiveOptions {
    @Option(names = "--prefix", paramLabel = "P", defaultValue = "",
            description = "Prefix of every namespace name (namespace = P + node name), as for compile.")
    String prefix;

    @Option(names = "--sandbox", description = "Every node in a namespace, root and external ones too, as for compile.")
    boolean sandbox;

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long to wait while another up or down of the same lab holds its lock (0: refuse at once; "
                    + "default: ${DEFAULT-VALUE}).")
    int waitSeconds;

    void check(CommandLine cmd) {
        if (!prefix.matches("([A-Za-z0-9][A-Za-z0-9_.-]{0,31})?")) {
            throw new CommandLine.ParameterException(cmd, "--prefix '" + prefix
                    + "' must be at most 32 letters, digits, `_`, `.` or `-`, starting with a letter or digit");
        }
        if (waitSeconds < 0) {
            throw new CommandLine.ParameterException(cmd, "--wait must be 0 or more seconds");
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new Main.CliFailure(cmd.getCommandName() + " needs root: it reads and changes network namespaces "
                    + "(run it with sudo)");
        }
    }

    Engine.Options options(boolean replace) {
        String hook = System.getenv("TOPOC_LIVE_FAIL_AFTER");
        int failAfter = hook == null || !hook.matches("\\d+") ? -1 : Integer.parseInt(hook);
        return new Engine.Options(prefix, sandbox, replace, Duration.ofSeconds(waitSeconds), failAfter);
    }

    static Engine engine(PrintWriter err) {
        return new Engine(LabStore.system(), new Observer(Observer.KERNEL), line -> {
            err.println(line);
            err.flush();
        });
    }

    /** Runs {@code body}, turning the live stage's expected failures into one-line messages (exit 4). */
    static int guarded(java.util.concurrent.Callable<Integer> body) throws Exception {
        return guarded(null, body);
    }

    /** {@link #guarded(java.util.concurrent.Callable)}; a busy lab is reported at {@code at} (FILE:LINE:COL). */
    static int guarded(String at, java.util.concurrent.Callable<Integer> body) throws Exception {
        try {
            return body.call();
        } catch (LabBusyException e) {
            throw new Main.CliFailure((at == null ? "topoc" : at) + ": error[" + LabBusyException.CODE.id() + "]: "
                    + e.getMessage(), true);
        } catch (java.io.IOException | java.io.UncheckedIOException | IllegalStateException e) {
            throw new Main.CliFailure(e.getMessage());
        } catch (RuntimeException e) {
            if (e.getClass().getName().endsWith("ReadException")) {
                throw new Main.CliFailure(e.getMessage());
            }
            throw e;
        }
    }
}
