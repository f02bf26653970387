package dev.topoc.live.exec;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.topoc.backends.StandIn;
import dev.topoc.compiler.diag.Span;
import dev.topoc.compiler.model.Listen;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.model.Proto;
import dev.topoc.compiler.model.Run;
import dev.topoc.compiler.model.Topology;
import dev.topoc.live.diff.Change;
import dev.topoc.live.diff.Desired;
import dev.topoc.live.diff.Desired.DNode;
import dev.topoc.live.lab.LabId;
import dev.topoc.live.lab.LabStore;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The processes of a lab brought up by {@code topoc up}: each {@code run} of a node, and under {@code --sandbox} the
 * {@link StandIn stand-in listener} of a node whose listens no {@code run} serves. They are started and stopped as
 * {@code apply.sh} does: {@code setsid nsenter --net=/run/netns/NS bash -c COMMAND}, input from /dev/null, output
 * appended to {@code logs/NODE.log}, one line {@code PID NAMESPACE NODE} per process in {@code workloads} (the format
 * of apply.sh's record; {@code -} is the default namespace), both in the lab's folder {@code DIR/TOPOLOGY@PREFIX/}
 * beside its record. {@code workloads.json} adds what {@link #started} needs to tell a process from a reused pid:
 * the command, the namespace's inode and the process's start time.
 *
 * <p>{@code up} converges them after the network: a process whose node, namespace and command are still in the file
 * and that still runs is left alone (an edit elsewhere does not touch it); one whose command changed or whose node
 * went is stopped, and the new command started; one that died is started again. A process is stopped by its pid
 * only while that pid is still the process that was started (same start time) in the namespace it was started in:
 * TERM to its session's process group, KILL after two seconds. {@code down} stops them all before it deletes the
 * namespaces. The plan names every start and stop with the command verbatim.
 */
public final class Workloads {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * A process the file asks for.
     *
     * @param node its node
     * @param namespace the node's namespace ({@code ""}: the default one)
     * @param command the {@code run} command verbatim, or {@code stand-in listener: tcp/80 …}
     * @param argv what runs inside the namespace
     * @param source {@code FILE:LINE} of the {@code run} (of the node's first listen for a stand-in)
     * @param listens what the process should come to listen on (apply.sh waits for the same)
     */
    public record Wanted(String node, String namespace, String command, List<String> argv, String source, List<Listen> listens) {
        boolean standIn() {
            return argv.get(0).equals("python3");
        }
    }

    /**
     * A process the lab started, as {@code workloads.json} keeps it.
     *
     * @param pid its pid (the session leader: {@code setsid} execs it)
     * @param namespace where it was started ({@code ""}: the default namespace)
     * @param node its node
     * @param command what it runs (as {@link Wanted#command})
     * @param netns the namespace's identity when it started ({@code net:[INODE]})
     * @param startTime field 22 of {@code /proc/PID/stat}: tells the process from a later one with its pid
     */
    public record Started(long pid, String namespace, String node, String command, String netns, long startTime) {
        /** Still the process that was started, in the namespace it was started in. */
        public boolean alive() {
            return Workloads.startTime(pid) == startTime && netns.equals(netnsOf(pid));
        }
    }

    /** What {@code up} would do to the processes: stop some, start some, as plan lines. */
    public record Delta(List<Started> stop, List<Wanted> start, List<Started> keep, List<Change> changes) {
        public boolean isEmpty() {
            return stop.isEmpty() && start.isEmpty();
        }
    }

    private final Path folder;

    /** The processes of lab {@code id} in {@code store}. */
    public Workloads(LabStore store, LabId id) {
        this.folder = store.dir().resolve(id.name());
    }

    /** The lab's folder: {@code workloads}, {@code workloads.json} and {@code logs/}. */
    public Path folder() {
        return folder;
    }

    /** {@code logs/NODE.log} of the lab's folder. */
    public Path log(String node) {
        return folder.resolve("logs").resolve(node + ".log");
    }

    // ---- what the file asks for -----------------------------------------------------------------------------------

    /** Every process of the provisioned nodes, in node order and file order. */
    public static List<Wanted> wanted(Topology model, Desired desired, boolean sandbox) {
        List<Wanted> out = new ArrayList<>();
        for (DNode d : desired.nodes()) {
            Node n = d.node();
            for (Run r : n.runs()) {
                out.add(new Wanted(n.name(), d.namespace(), r.command(), List.of("bash", "-c", r.command()), source(r.span()),
                        n.listens()));
            }
            if (sandbox && StandIn.needed(n)) {
                List<String> argv = new ArrayList<>(List.of("python3", "-c", StandIn.script(), n.name()));
                argv.addAll(StandIn.words(n));
                out.add(new Wanted(n.name(), d.namespace(), "stand-in listener: " + String.join(" ", StandIn.words(n)), argv,
                        source(n.listens().get(0).span()), n.listens()));
            }
        }
        return out;
    }

    private static String source(Span s) {
        if (s == null) {
            return "<live>";
        }
        Path p = Path.of(s.file()).getFileName();
        return (p == null ? s.file() : p.toString()) + ":" + s.line();
    }

    // ---- what runs --------------------------------------------------------------------------------------------------

    /** The processes the lab started (alive or not), as last recorded. */
    public List<Started> started() {
        Path p = folder.resolve("workloads.json");
        if (!Files.exists(p)) {
            return List.of();
        }
        try {
            return JSON.readValue(Files.readString(p, StandardCharsets.UTF_8), new TypeReference<List<Started>>() { });
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    /**
     * What to stop and start so that exactly {@code wanted} runs: a live process of the same node, namespace and
     * command is kept (the n-th of several equal ones matches the n-th), everything else recorded is stopped (when it
     * still runs) and every wanted process without a match is started.
     */
    public Delta delta(List<Wanted> wanted, String lab) {
        List<Started> running = new ArrayList<>(started());
        Map<String, String> current = new HashMap<>();
        List<Started> keep = new ArrayList<>();
        List<Wanted> start = new ArrayList<>();
        List<Change> changes = new ArrayList<>();
        List<Started> dead = new ArrayList<>();
        for (Started s : running) {
            if (!s.alive()) {
                dead.add(s);
            }
        }
        running.removeAll(dead);
        List<Change> starts = new ArrayList<>();
        for (Wanted w : wanted) {
            String ns = current.computeIfAbsent(w.namespace(), Workloads::netnsOfNamespace);
            Started match = running.stream().filter(s -> s.node().equals(w.node()) && s.namespace().equals(w.namespace())
                    && s.command().equals(w.command()) && s.netns().equals(ns)).findFirst().orElse(null);
            if (match != null) {
                running.remove(match);
                keep.add(match);
                continue;
            }
            start.add(w);
            Started was = dead.stream().filter(s -> s.node().equals(w.node()) && s.command().equals(w.command())).findFirst().orElse(null);
            if (was != null) {
                dead.remove(was);
            }
            starts.add(new Change(Change.Op.CREATE, w.node(), object(w.node(), w.command()),
                    was != null ? "restart: pid " + was.pid() + " is not running" : "in " + where(w.namespace()), w.source(), List.of()));
        }
        for (Started s : running) {
            changes.add(new Change(Change.Op.REMOVE, s.node(), object(s.node(), s.command()), "stop pid " + s.pid(), "lab " + lab, List.of()));
        }
        changes.addAll(starts);
        return new Delta(List.copyOf(running), start, keep, changes);
    }

    private static String object(String node, String command) {
        return (command.startsWith("stand-in listener: ") ? "" : "run ") + node + ": " + command;
    }

    private static String where(String namespace) {
        return namespace.isEmpty() ? "the default namespace" : "netns " + namespace;
    }

    // ---- doing it ---------------------------------------------------------------------------------------------------

    /**
     * Converges the processes to {@code wanted}: stops what goes, starts what is missing, waits up to five seconds for
     * each started process to listen where its node listens, and records what runs. {@code say} hears one line per
     * process; the result is what did not work (empty: all did).
     */
    public List<String> converge(List<Wanted> wanted, String lab, Consumer<String> say) throws IOException {
        Delta d = delta(wanted, lab);
        List<String> problems = new ArrayList<>();
        stop(d.stop());
        List<Started> now = new ArrayList<>(d.keep());
        for (Wanted w : d.start()) {
            try {
                Started s = start(w);
                now.add(s);
                say.accept("  " + w.node() + ": started pid " + s.pid() + " (log " + log(w.node()) + ")");
                String late = waitListening(w, s);
                if (late != null && w.standIn()) {
                    problems.add(w.node() + ": " + late); // apply.sh fails the same way
                } else if (late != null) {
                    say.accept("  " + w.node() + ": " + late); // a run may bind later: only reported, as apply.sh does
                }
            } catch (IOException e) {
                problems.add(w.node() + ": cannot start `" + w.command() + "`: " + e.getMessage());
            }
        }
        record(now);
        return problems;
    }

    /** Stops every process the lab started (those still running), then removes the lab's folder. */
    public int stopAll(Consumer<String> say) throws IOException {
        List<Started> alive = started().stream().filter(Started::alive).toList();
        alive.forEach(s -> say.accept("- " + object(s.node(), s.command()) + " (stop pid " + s.pid() + ")"));
        stop(alive);
        if (Files.exists(folder)) {
            try (Stream<Path> walk = Files.walk(folder)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        return alive.size();
    }

    private Started start(Wanted w) throws IOException {
        Files.createDirectories(log(w.node()).getParent());
        List<String> cmd = new ArrayList<>(List.of("setsid"));
        if (!w.namespace().isEmpty()) {
            cmd.addAll(List.of("nsenter", "--net=/run/netns/" + w.namespace()));
        }
        cmd.addAll(w.argv());
        String netns = netnsOfNamespace(w.namespace());
        if (netns == null) {
            throw new IOException("namespace " + w.namespace() + " does not exist");
        }
        Process p = new ProcessBuilder(cmd).redirectInput(new File("/dev/null"))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log(w.node()).toFile())).redirectErrorStream(true).start();
        Started s = new Started(p.pid(), w.namespace(), w.node(), w.command(), netns, startTime(p.pid()));
        // nsenter enters the namespace right after it starts; until then the pid is in this namespace
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (!netns.equals(netnsOf(s.pid())) && p.isAlive() && System.nanoTime() < deadline) {
            sleep();
        }
        return s;
    }

    /**
     * Null when the process's namespace listens on the first port of each of its node's listens within five seconds,
     * else what is missing.
     */
    private static String waitListening(Wanted w, Started s) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (Listen l : w.listens()) {
            // until nsenter has entered the namespace, /proc/PID/net is the default namespace's
            while (!(s.netns().equals(netnsOf(s.pid())) && bound(s.pid(), l.proto(), l.ports().lo()))) {
                if (startTime(s.pid()) != s.startTime()) {
                    return (w.standIn() ? "the stand-in listener" : "the run") + " (pid " + s.pid() + ") stopped: see its log";
                }
                if (System.nanoTime() >= deadline) {
                    return "nothing listens on " + l.proto().word() + "/" + l.ports().lo() + " yet, 5 s after "
                            + (w.standIn() ? "the stand-in listener" : "its run") + " started (see its log)";
                }
                sleep();
            }
        }
        return null;
    }

    /**
     * Whether the namespace of {@code pid} has a socket listening on {@code proto} {@code port} (tcp: in state LISTEN;
     * udp: bound and not connected), from {@code /proc/PID/net/{tcp,tcp6,udp,udp6}}.
     */
    static boolean bound(long pid, Proto proto, int port) {
        String base = "/proc/" + pid + "/net/" + (proto == Proto.UDP ? "udp" : "tcp");
        String hex = String.format(":%04X ", port);
        for (String f : new String[] {base, base + "6"}) {
            try {
                List<String> lines = Files.readAllLines(Path.of(f));
                for (String line : lines.subList(1, lines.size())) {
                    String[] cols = line.trim().split("\\s+");
                    boolean listening = proto == Proto.UDP ? cols[3].equals("07") : cols[3].equals("0A");
                    if (listening && (cols[1] + " ").endsWith(hex)) {
                        return true;
                    }
                }
            } catch (IOException | RuntimeException e) {
                // gone, or no IPv6
            }
        }
        return false;
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** TERM to each process's group while it is still ours, KILL to those left after two seconds. */
    private static void stop(List<Started> processes) {
        for (String sig : new String[] {"TERM", "KILL"}) {
            List<Started> alive = processes.stream().filter(Started::alive).toList();
            if (alive.isEmpty()) {
                return;
            }
            for (Started s : alive) {
                signal(sig, s.pid());
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (System.nanoTime() < deadline && processes.stream().anyMatch(Started::alive)) {
                sleep();
            }
        }
    }

    private static void signal(String sig, long pid) {
        try {
            Process p = new ProcessBuilder("kill", "-" + sig, "--", "-" + pid).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
                ProcessHandle.of(pid).ifPresent(h -> {
                    if (sig.equals("KILL")) {
                        h.destroyForcibly();
                    } else {
                        h.destroy();
                    }
                });
            }
        } catch (IOException e) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes {@code workloads} (apply.sh's format) and {@code workloads.json}; removes both when nothing runs. */
    private void record(List<Started> now) throws IOException {
        Path lines = folder.resolve("workloads");
        Path json = folder.resolve("workloads.json");
        if (now.isEmpty()) {
            Files.deleteIfExists(lines);
            Files.deleteIfExists(json);
            return;
        }
        Files.createDirectories(folder);
        StringBuilder b = new StringBuilder();
        now.forEach(s -> b.append(s.pid()).append(' ').append(s.namespace().isEmpty() ? "-" : s.namespace()).append(' ')
                .append(s.node()).append('\n'));
        write(lines, b.toString());
        write(json, JSON.writeValueAsString(now) + "\n");
    }

    private static void write(Path target, String text) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    // ---- processes and namespaces ----------------------------------------------------------------------------------

    /** Field 22 of {@code /proc/PID/stat} (start time in clock ticks); -1 when there is no such process or it is a zombie. */
    static long startTime(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return f[0].equals("Z") || f[0].equals("X") ? -1 : Long.parseLong(f[19]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** {@code net:[INODE]} of a process, or null. */
    static String netnsOf(long pid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/net")).toString();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** {@code net:[INODE]} of a named namespace ({@code ""}: this process's), or null when it does not exist. */
    static String netnsOfNamespace(String namespace) {
        if (namespace.isEmpty()) {
            return netnsOf(ProcessHandle.current().pid());
        }
        try {
            return "net:[" + Files.getAttribute(Path.of("/run/netns", namespace), "unix:ino") + "]";
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The pids of node {@code node}'s processes that still run. */
    public List<Long> running(String node) {
        return started().stream().filter(s -> s.node().equals(node) && s.alive()).map(Started::pid).toList();
    }
}
