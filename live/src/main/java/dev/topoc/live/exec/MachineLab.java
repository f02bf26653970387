package dev.topoc.live.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.topoc.backends.ArtifactWriter;
import dev.topoc.backends.Artifacts;
import dev.topoc.backends.ansible.MachineTarget;
import dev.topoc.compiler.diag.Span;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.model.NodeKind;
import dev.topoc.compiler.model.Topology;
import dev.topoc.live.exec.Engine.Options;
import dev.topoc.live.exec.Engine.Outcome;
import dev.topoc.live.exec.Engine.Refusal;
import dev.topoc.live.lab.LabId;
import dev.topoc.live.lab.LabLock;
import dev.topoc.live.lab.LabRecord;
import dev.topoc.live.lab.LabRecord.NodeRecord;
import dev.topoc.live.lab.LabStore;
import dev.topoc.live.probe.MachineCheck;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code plan}, {@code up} and {@code down} of a topology across machines: through its playbook, the one
 * {@code topoc compile --target ansible} writes, run by the real {@code ansible-playbook} on this host (the control
 * host), in the controller namespace of the sandbox with {@code --sandbox}.
 *
 * <p>The lab's record (same store, same identity, same lock as a lab on one host) names its machines and the folder
 * its playbook is compiled into, {@code DIR/TOPOLOGY@PREFIX/ansible/}: {@code up} compiles the file there again on
 * every run, brings the sandbox up when it is not (its {@code sandbox-up.sh}), and runs {@code deploy.yml}. The
 * playbook converges each machine on its own: a machine whose part did not change reports {@code changed=0}, its
 * apply.sh finds every step done and touches nothing; a machine whose part changed runs the destroy.sh of the
 * version it has, then the new apply.sh (deploy.yml's first tasks). A change to the set of machines (or, in the
 * sandbox, to their addresses) takes the old deployment down with the old playbook and deploys anew. {@code plan}
 * runs {@code deploy.yml --check}; {@code down} runs {@code teardown.yml} and, in the sandbox, {@code sandbox-down.sh}.
 */
public final class MachineLab {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TASK = Pattern.compile("^TASK \\[(.*)\\] \\*+$");
    private static final Pattern RESULT = Pattern.compile("^(changed|ok|fatal|failed|skipping): \\[([^\\]\\s]+)(?: -> [^\\]]+)?\\](.*)$");
    private static final Pattern RECAP = Pattern.compile(
            "^(\\S+)\\s+: ok=(\\d+)\\s+changed=(\\d+)\\s+unreachable=(\\d+)\\s+failed=(\\d+)");

    /** The tasks of deploy.yml whose {@code changed} in check mode {@link #explain explains} a plan line. */
    static final String COPY_TASK = "copy apply.sh and destroy.sh";
    static final String FOLDER_TASK = "the folder for the scripts";
    static final String PROBE_TASK = "would apply.sh change something?";

    private final LabStore store;
    private final Consumer<String> progress;

    /** {@code progress} hears what goes to standard error: waiting for the lock, refusals. */
    public MachineLab(LabStore store, Consumer<String> progress) {
        this.store = store;
        this.progress = progress;
    }

    /** One machine's counts in the PLAY RECAP. */
    public record Recap(int ok, int changed, int unreachable, int failed) {}

    /**
     * One run of a playbook: its exit code, the recap per machine, the tasks that reported changed per machine (in
     * order, short names), the last failure message per machine, its last lines of output, and per machine the lines
     * of its tasks' standard output that start with {@link MachineCheck#MARK} (printed with {@code -v}: check.yml's).
     */
    public record Run(int exit, Map<String, Recap> recap, Map<String, List<String>> changed, Map<String, String> failures,
            List<String> tail, Map<String, List<String>> said) {}

    /**
     * What {@code up} would do: one line per machine to change ({@code + machine NAME: …} to build, {@code ~ machine
     * NAME: …} to converge), the refusals, and a failure of the dry run itself (null when it ran).
     */
    public record Plan(LabId id, boolean running, List<Refusal> refusals, List<Item> changes, String failure) {
        public boolean inSync() {
            return refusals.isEmpty() && changes.isEmpty() && failure == null;
        }
    }

    /**
     * One line of a plan: {@code op} {@code +} (build) or {@code ~} (converge), the object ({@code machine hv2},
     * {@code sandbox}, {@code machines}), what and why, and the line of the file that asks for it.
     */
    public record Item(String op, String object, String detail, String source) {
        public String line() {
            return op + " " + object + ": " + detail + "   " + source;
        }
    }

    /** The folder a lab's playbook is compiled into, beside its record. */
    public Path folder(LabId id) {
        return store.dir().resolve(id.name()).resolve("ansible");
    }

    /** The namespaces of the nodes of machine {@code m}'s part in the sandbox ({@code P}+node). */
    static List<String> nodeNamespaces(MachineTarget m, Options o) {
        List<String> out = new ArrayList<>();
        for (Node n : m.part().nodes()) {
            if (n.kind() == NodeKind.NETNS) {
                out.add(o.backend().namespace(n.name()));
            }
        }
        return out;
    }

    /** The sandbox's own namespaces: one per machine, the controller's and the fabric's. */
    private static List<String> sandboxNamespaces(List<MachineTarget> parts, Options o) {
        List<String> out = new ArrayList<>();
        parts.forEach(m -> out.add(o.backend().namespace(m.name())));
        out.add(o.backend().namespace("control"));
        out.add(o.backend().namespace("fabric"));
        return out;
    }

    // ---- refusals ----------------------------------------------------------------------------------------------

    List<Refusal> refusals(Topology model, List<MachineTarget> parts, LabId id, LabRecord record, Path file, Options o) {
        List<Refusal> out = new ArrayList<>();
        String abs = file.toAbsolutePath().normalize().toString();
        if (record != null && !record.acrossMachines()) {
            out.add(Refusal.of(LiveCode.LIVE_OTHER_KIND, model.span(), id.name(), "on this host", file, "across machines"));
            return out;
        }
        if (record != null && !record.file().equals(abs) && !o.replace()) {
            out.add(Refusal.of(LiveCode.LIVE_OTHER_FILE, model.span(), id.name(), record.file(), abs));
        }
        if (record != null && record.sandbox() != o.sandbox() && !o.replace()) {
            out.add(Refusal.of(LiveCode.LIVE_OTHER_SANDBOX, model.span(), id.name(), record.sandbox() ? "with" : "without"));
        }
        if (!o.sandbox()) {
            return out;
        }
        Map<String, LabRecord> owners = new LinkedHashMap<>();
        for (LabRecord r : store.list()) {
            r.namespaces().forEach(ns -> owners.put(ns, r));
        }
        Map<String, Span> wanted = new LinkedHashMap<>();
        Map<String, String> what = new LinkedHashMap<>();
        for (MachineTarget m : parts) {
            for (Node n : m.part().nodes()) {
                if (n.kind() == NodeKind.NETNS) {
                    wanted.put(o.backend().namespace(n.name()), n.span());
                    what.put(o.backend().namespace(n.name()), "node " + n.name());
                }
            }
        }
        for (MachineTarget m : parts) {
            wanted.putIfAbsent(o.backend().namespace(m.name()), m.span());
            what.putIfAbsent(o.backend().namespace(m.name()), "machine " + m.name());
        }
        boolean sandboxUp = record != null && record.sandbox();
        for (String ns : sandboxNamespaces(parts, o).subList(parts.size(), parts.size() + 2)) {
            wanted.putIfAbsent(ns, model.span());
            what.putIfAbsent(ns, "the sandbox's " + ns.substring(o.prefix().length()));
        }
        for (var e : wanted.entrySet()) {
            String ns = e.getKey();
            if (!Observer.namespaceExists(ns)) {
                continue;
            }
            LabRecord owner = owners.get(ns);
            if (owner != null && !owner.id().equals(id)) {
                out.add(Refusal.of(LiveCode.LIVE_OTHER_LABS_NAMESPACE, e.getValue(), ns, what.get(ns), owner.name(), owner.file()));
            } else if (owner == null && !sandboxUp) {
                out.add(Refusal.of(LiveMsg.UNOWNED_SANDBOX_NAMESPACE, e.getValue(), ns, what.get(ns)));
            }
        }
        return out;
    }

    /** The tools a run needs, or the outcome that names the first one missing. */
    private static Outcome tools(Options o, String at) {
        return tools(o, at, System.getenv("PATH"));
    }

    /** {@link #tools(Options, String)} with the search path {@code path}. */
    static Outcome tools(Options o, String at, String path) {
        if (!onPath("ansible-playbook", path)) {
            return Outcome.failed(Engine.FAILED, at, LiveCode.LIVE_NO_ANSIBLE, "ansible-playbook", "ansible-core");
        }
        if (o.sandbox() && !Files.isExecutable(Path.of("/usr/sbin/sshd"))) {
            return Outcome.failed(Engine.FAILED, at, LiveCode.LIVE_NO_ANSIBLE, "/usr/sbin/sshd", "openssh-server");
        }
        if (o.sandbox() && !(onPath("ssh", path) && onPath("ssh-keygen", path))) {
            return Outcome.failed(Engine.FAILED, at, LiveCode.LIVE_NO_ANSIBLE, "ssh and ssh-keygen", "openssh-client");
        }
        return null;
    }

    private static boolean onPath(String program, String path) {
        return path != null && Stream.of(path.split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, program)));
    }

    // ---- plan --------------------------------------------------------------------------------------------------

    /** What {@code up} would change: {@code deploy.yml --check} of the file's playbook against the machines. */
    public Plan plan(Topology model, List<MachineTarget> parts, Artifacts artifacts, Path file, Options o) throws IOException {
        return plan(model, parts, artifacts, file, o, Connections.NONE);
    }

    /** {@link #plan(Topology, List, Artifacts, Path, Options)}, its dry run over {@code ssh}'s connections. */
    public Plan plan(Topology model, List<MachineTarget> parts, Artifacts artifacts, Path file, Options o, Connections ssh)
            throws IOException {
        LabId id = new LabId(o.prefix(), model.name());
        LabRecord record = store.find(id).orElse(null);
        List<Refusal> refusals = refusals(model, parts, id, record, file, o);
        if (!refusals.isEmpty()) {
            return new Plan(id, record != null, refusals, List.of(), null);
        }
        String at = Engine.at(model, file);
        List<Item> changes = new ArrayList<>();
        String name = file.getFileName().toString();
        boolean sandboxUp = o.sandbox() && Observer.namespaceExists(o.backend().namespace("fabric"));
        if (record == null || o.sandbox() && !sandboxUp) {
            if (o.sandbox()) {
                changes.add(new Item("+", "sandbox", "namespaces " + String.join(", ", sandboxNamespaces(parts, o))
                        + ", an sshd per machine", source(name, model.span())));
            }
            for (MachineTarget m : parts) {
                changes.add(new Item("+", "machine " + m.name(), "build its part (" + nodes(m) + ")", source(name, m.span())));
            }
            return new Plan(id, record != null, List.of(), changes, null);
        }
        if (redeploy(record, parts, artifacts, o)) {
            changes.add(new Item("~", "machines", String.join(", ", record.machines()) + " become " + String.join(", ", names(parts))
                    + " (up takes the deployment down and deploys it anew)", source(name, model.span())));
            return new Plan(id, true, List.of(), changes, null);
        }
        Outcome missing = tools(o, at);
        if (missing != null) {
            return new Plan(id, true, List.of(), List.of(), missing.diagnostic());
        }
        Path dir = scratch(id, "ansible-plan", artifacts, o);
        try {
            List<String> args = new ArrayList<>(List.of("--check"));
            args.addAll(ssh.args());
            Run r = playbook(dir, o, "deploy.yml", args, line -> { }, ssh.env());
            if (r.exit() != 0 || r.recap().isEmpty()) {
                return new Plan(id, true, List.of(), List.of(), failure("deploy.yml --check", r));
            }
            for (MachineTarget m : parts) {
                List<String> tasks = r.changed().getOrDefault(m.name(), List.of());
                Recap c = r.recap().get(m.name());
                if (c != null && c.changed() > 0 || !tasks.isEmpty()) {
                    changes.add(new Item("~", "machine " + m.name(), explain(m, tasks, o), source(name, m.span())));
                }
            }
            return new Plan(id, true, List.of(), changes, null);
        } finally {
            deleteTree(dir);
        }
    }

    private static String source(String file, Span at) {
        return at == null || at.line() <= 0 ? file : file + ":" + at.line();
    }

    private static String nodes(MachineTarget m) {
        List<String> n = m.part().nodes().stream().filter(x -> x.kind() == NodeKind.NETNS).map(Node::name).toList();
        return n.isEmpty() ? "its default namespace" : "node" + (n.size() == 1 ? " " : "s ") + String.join(", ", n)
                + " and its default namespace";
    }

    /** A check-mode change of machine {@code m} in words: which of deploy.yml's verdicts said changed, and why. */
    static String explain(MachineTarget m, List<String> tasks, Options o) {
        Set<String> out = new LinkedHashSet<>();
        for (String t : tasks) {
            if (t.equals(COPY_TASK)) {
                out.add("its part changed (apply.sh and destroy.sh differ from the ones on the machine: the old version's "
                        + "destroy.sh, then the new apply.sh)");
            } else if (t.equals(FOLDER_TASK)) {
                out.add("its scripts' folder is missing");
            } else if (t.equals(PROBE_TASK)) {
                List<String> gone = o.sandbox() ? nodeNamespaces(m, o).stream().filter(ns -> !Observer.namespaceExists(ns)).toList()
                        : List.of();
                out.add(!gone.isEmpty() ? "namespace" + (gone.size() == 1 ? " " : "s ") + String.join(", ", gone)
                        + (gone.size() == 1 ? " is" : " are") + " missing (apply.sh rebuilds its part)"
                        : "apply.sh would run a step (its part is not built, or a namespace of it is missing)");
            } else {
                out.add(t);
            }
        }
        return out.isEmpty() ? "the playbook reports a change" : String.join("; ", out);
    }

    // ---- up ----------------------------------------------------------------------------------------------------

    /** Deploys the file's playbook; {@code out} hears the playbook's progress, a line per machine and task that changed. */
    public Outcome up(Topology model, List<MachineTarget> parts, Artifacts artifacts, Path file, String text, Options o,
            Consumer<String> out) throws IOException {
        LabId id = new LabId(o.prefix(), model.name());
        String at = Engine.at(model, file);
        Outcome missing = tools(o, at);
        if (missing != null) {
            return missing;
        }
        try (LabLock lock = store.lock(id, o.lockWait(), progress)) {
            LabRecord record = store.find(id).orElse(null);
            List<Refusal> refusals = refusals(model, parts, id, record, file, o);
            if (!refusals.isEmpty()) {
                refusals.forEach(r -> progress.accept(r.diagnostic(file, at)));
                if (record == null) {
                    lock.retire();
                }
                return new Outcome(Engine.REFUSED, "refused " + refusals.size() + " conflict" + (refusals.size() == 1 ? "" : "s")
                        + " with what runs: nothing was changed");
            }
            if (record != null && redeploy(record, parts, artifacts, o)) {
                out.accept("lab " + id.name() + ": the machines changed (" + String.join(", ", record.machines()) + " -> "
                        + String.join(", ", names(parts)) + "): taking the old deployment down first");
                Outcome down = takeDown(record, out);
                if (down != null) {
                    return down;
                }
                store.delete(id);
                record = null;
            }
            boolean fresh = record == null;
            Path dir = folder(id);
            // the record first: a killed run leaves what it builds owned, and `down` able to remove it
            store.write(new LabRecord(LabRecord.VERSION, id.prefix(), id.topology(), o.sandbox(),
                    file.toAbsolutePath().normalize().toString(), LabStore.sha256(text), nodeRecords(parts, o), names(parts),
                    dir.toString()));
            ArtifactWriter.write(artifacts, dir);
            long t0 = System.nanoTime();
            if (o.sandbox() && !Observer.namespaceExists(o.backend().namespace("fabric"))) {
                out.accept("sandbox: bringing up " + parts.size() + " machines (" + String.join(", ", names(parts)) + ") and "
                        + o.backend().namespace("control"));
                Run sb = script(dir.resolve("sandbox-up.sh"));
                if (sb.exit() != 0) {
                    if (fresh) {
                        forget(id, dir, o, lock);
                    }
                    return Outcome.failed(Engine.FAILED, at, LiveMsg.PLAYBOOK_EXIT, "sandbox-up.sh", sb.exit(), String.join(" | ", sb.tail()));
                }
            }
            out.accept("lab " + id.name() + ": ansible-playbook deploy.yml on " + parts.size() + " machine"
                    + (parts.size() == 1 ? "" : "s"));
            Run r = playbook(dir, o, "deploy.yml", List.of(), out);
            if (r.exit() != 0) {
                if (fresh) {
                    forget(id, dir, o, lock);
                }
                return failed(at, "deploy.yml", r);
            }
            double s = (System.nanoTime() - t0) / 1e9;
            List<String> counts = new ArrayList<>();
            r.recap().forEach((h, c) -> counts.add(h + " changed=" + c.changed()));
            return new Outcome(Engine.OK, "lab " + id.name() + " is up on " + parts.size() + " machine" + (parts.size() == 1 ? "" : "s")
                    + ": " + String.join(", ", counts) + String.format(Locale.ROOT, " in %.1f s", s));
        }
    }

    /** A failed first {@code up}: the playbook rolled the machines back; remove the sandbox, the folder and the record. */
    private void forget(LabId id, Path dir, Options o, LabLock lock) throws IOException {
        if (o.sandbox() && Files.exists(dir.resolve("sandbox-down.sh"))) {
            script(dir.resolve("sandbox-down.sh"), "-q");
        }
        deleteTree(dir.getParent());
        store.delete(id);
        lock.retire();
    }

    /** Whether the deployment must go down before the new one: other machines, the other --sandbox, another sandbox. */
    private boolean redeploy(LabRecord record, List<MachineTarget> parts, Artifacts artifacts, Options o) throws IOException {
        if (!record.machines().equals(names(parts)) || record.sandbox() != o.sandbox()) {
            return true;
        }
        if (!o.sandbox() || record.artifacts() == null) {
            return false;
        }
        Path old = Path.of(record.artifacts()).resolve("sandbox-up.sh");
        return !Files.exists(old) || !Files.readString(old).equals(artifacts.content("sandbox-up.sh"));
    }

    private static List<String> names(List<MachineTarget> parts) {
        return parts.stream().map(MachineTarget::name).toList();
    }

    private static List<NodeRecord> nodeRecords(List<MachineTarget> parts, Options o) {
        List<NodeRecord> out = new ArrayList<>();
        if (!o.sandbox()) {
            return out; // the nodes live on the machines, not here
        }
        for (MachineTarget m : parts) {
            for (Node n : m.part().nodes()) {
                if (n.kind() == NodeKind.NETNS) {
                    out.add(new NodeRecord(n.name(), o.backend().namespace(n.name()), true, List.of(), List.of(), List.of(),
                            List.of(), Map.of(), null, null));
                }
            }
        }
        return out;
    }

    static Outcome failed(String at, String book, Run r) {
        if (!r.failures().isEmpty()) {
            var first = r.failures().entrySet().iterator().next();
            return Outcome.failed(Engine.FAILED, at, LiveMsg.PLAYBOOK_FAILED, book, first.getKey(), first.getValue());
        }
        return Outcome.failed(Engine.FAILED, at, LiveMsg.PLAYBOOK_EXIT, book, r.exit(), String.join(" | ", r.tail()));
    }

    private static String failure(String book, Run r) {
        return failed(null, book, r).diagnostic();
    }

    // ---- check --live -------------------------------------------------------------------------------------------

    /**
     * The ssh connections of several playbook runs in a row ({@code check --live}: the dry run, then check.yml): in the
     * sandbox, one connection per machine kept open across them ({@code ControlPersist}, its sockets in a fresh folder
     * of their own, not ~/.ansible), closed by {@link #close} ({@code ssh -O exit}); on real hosts, Ansible's own.
     */
    public static final class Connections implements AutoCloseable {
        static final Connections NONE = new Connections(null, null);
        private final Path sockets;
        private final Options options;

        private Connections(Path sockets, Options options) {
            this.sockets = sockets;
            this.options = options;
        }

        Map<String, String> env() {
            return sockets == null ? Map.of() : Map.of("ANSIBLE_SSH_CONTROL_PATH_DIR", sockets.toString());
        }

        /** The sandbox inventory opens one connection per task: these extra vars keep one per machine instead. */
        List<String> args() {
            return sockets == null ? List.of()
                    : List.of("-e", "{\"ansible_ssh_args\": \"-o ControlMaster=auto -o ControlPersist=60s\"}");
        }

        @Override
        public void close() throws IOException {
            if (sockets == null) {
                return;
            }
            try (Stream<Path> s = Files.list(sockets)) {
                for (Path socket : s.toList()) {
                    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", options.backend().namespace("control")));
                    cmd.addAll(List.of("ssh", "-F", "/dev/null", "-o", "ControlPath=" + socket, "-O", "exit", "topoc"));
                    run(new ProcessBuilder(cmd).redirectErrorStream(true), line -> { });
                }
            }
            deleteTree(sockets);
        }
    }

    /** Connections for the playbook runs of lab {@code o} (see {@link Connections}). */
    public Connections connections(Options o) throws IOException {
        return o.sandbox() ? new Connections(Files.createTempDirectory("topoc-ssh"), o) : Connections.NONE;
    }

    /**
     * What {@code check.yml} printed, per machine ({@link Run#said}), or why it could not run ({@code failure}).
     */
    public record Probed(Map<String, List<String>> said, Outcome failure) {}

    /**
     * Runs {@code check.yml} of the file's playbook with the vars file {@code probes} ({@link MachineCheck#vars}) over
     * {@code ssh}'s connections, holding the lab's lock: compiled into a scratch folder beside the lab's (as
     * {@link #plan}; the sandbox's keys linked in).
     */
    /**
     * A fresh folder {@code name} beside the lab's record holding the playbook compiled from the file, for a run that
     * must not touch the deployed one ({@code plan}'s dry run, {@code check --live}'s probes); in the sandbox it uses
     * the keys of the sandbox that is up.
     */
    private Path scratch(LabId id, String name, Artifacts artifacts, Options o) throws IOException {
        Path dir = store.dir().resolve(id.name()).resolve(name);
        deleteTree(dir);
        ArtifactWriter.write(artifacts, dir);
        Path keys = folder(id).resolve("ssh");
        if (o.sandbox() && Files.isDirectory(keys)) {
            Files.createSymbolicLink(dir.resolve("ssh"), keys);
        }
        return dir;
    }

    public Probed probe(Topology model, Artifacts artifacts, Path file, String probes, Options o, Connections ssh)
            throws IOException {
        LabId id = new LabId(o.prefix(), model.name());
        String at = Engine.at(model, file);
        Outcome missing = tools(o, at);
        if (missing != null) {
            return new Probed(Map.of(), missing);
        }
        try (LabLock lock = store.lock(id, o.lockWait(), progress)) {
            Path dir = scratch(id, "ansible-check", artifacts, o);
            try {
                Files.writeString(dir.resolve("probes.json"), probes);
                List<String> args = new ArrayList<>(List.of("-v", "-e", "@" + dir.resolve("probes.json")));
                args.addAll(ssh.args());
                Run r = playbook(dir, o, "check.yml", args, line -> { }, ssh.env());
                return new Probed(r.said(), r.exit() != 0 ? failed(at, "check.yml", r) : null);
            } finally {
                deleteTree(dir);
            }
        }
    }

    // ---- down --------------------------------------------------------------------------------------------------

    /** Removes lab {@code id}, a lab across machines: {@code teardown.yml}, then the sandbox; idempotent. */
    public Outcome down(LabId id, Options o, Consumer<String> out) throws IOException {
        if (store.find(id).isEmpty()) {
            return new Outcome(Engine.OK, "lab " + id.name() + " is not running: nothing to do");
        }
        try (LabLock lock = store.lock(id, o.lockWait(), progress)) {
            LabRecord record = store.find(id).orElse(null);
            if (record == null) {
                return new Outcome(Engine.OK, "lab " + id.name() + " is not running: nothing to do");
            }
            Outcome failed = takeDown(record, out);
            if (failed != null) {
                return failed;
            }
            store.delete(id);
            lock.retire();
            return new Outcome(Engine.OK, "lab " + id.name() + " is down: torn down on " + record.machines().size() + " machine"
                    + (record.machines().size() == 1 ? "" : "s") + (record.sandbox() ? ", sandbox removed" : ""));
        }
    }

    /** teardown.yml, then (sandbox) sandbox-down.sh, then the folder; null when done, else the failure. */
    private Outcome takeDown(LabRecord record, Consumer<String> out) throws IOException {
        Path dir = Path.of(record.artifacts());
        Options o = new Options(record.prefix(), record.sandbox(), false, java.time.Duration.ZERO, -1);
        String at = record.file();
        if (!Files.exists(dir.resolve("teardown.yml"))) {
            return Outcome.failed(Engine.FAILED, at, LiveMsg.FOLDER_GONE, dir, store.recordPath(record.id()));
        }
        boolean sandboxUp = o.sandbox() && Observer.namespaceExists(o.backend().namespace("control"));
        Run r = null;
        if (!o.sandbox() || sandboxUp) {
            Outcome missing = tools(o, at);
            if (missing != null) {
                return missing;
            }
            out.accept("lab " + record.name() + ": ansible-playbook teardown.yml on " + record.machines().size() + " machine"
                    + (record.machines().size() == 1 ? "" : "s"));
            r = playbook(dir, o, "teardown.yml", List.of(), out);
        }
        if (o.sandbox()) {
            // removes what a failed teardown left as well: each machine's destroy.sh, the sshd processes, the namespaces
            Run sb = script(dir.resolve("sandbox-down.sh"), "-q");
            if (sb.exit() != 0) {
                return Outcome.failed(Engine.FAILED, at, LiveMsg.PLAYBOOK_EXIT, "sandbox-down.sh", sb.exit(), String.join(" | ", sb.tail()));
            }
            out.accept("sandbox: removed");
        } else if (r != null && r.exit() != 0) {
            return failed(at, "teardown.yml", r);
        }
        deleteTree(dir.getParent());
        return null;
    }

    // ---- running the playbook ------------------------------------------------------------------------------------

    /** {@code ansible-playbook -i DIR/inventory.ini DIR/BOOK ARGS}, in the controller namespace with --sandbox. */
    Run playbook(Path dir, Options o, String book, List<String> args, Consumer<String> out) throws IOException {
        return playbook(dir, o, book, args, out, Map.of());
    }

    /** {@link #playbook(Path, Options, String, List, Consumer)} with more of ansible's environment. */
    Run playbook(Path dir, Options o, String book, List<String> args, Consumer<String> out, Map<String, String> more)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        if (o.sandbox()) {
            cmd.addAll(List.of("ip", "netns", "exec", o.backend().namespace("control")));
        }
        cmd.addAll(List.of("ansible-playbook", "-i", dir.resolve("inventory.ini").toString(), dir.resolve(book).toString()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).directory(dir.toFile());
        Map<String, String> env = pb.environment();
        env.put("ANSIBLE_NOCOLOR", "1");
        // what the lines are read as: the default callback, each result as one line of JSON (a user's ansible.cfg with
        // stdout_callback=yaml or callback_result_format=yaml would otherwise hide every answer)
        env.put("ANSIBLE_STDOUT_CALLBACK", "default");
        env.put("ANSIBLE_CALLBACK_RESULT_FORMAT", "json");
        env.remove("ANSIBLE_FORCE_COLOR");
        env.put("ANSIBLE_RETRY_FILES_ENABLED", "false");
        env.put("ANSIBLE_LOCAL_TEMP", dir.resolve(".ansible-tmp").toString());
        if (o.sandbox()) {
            // the sandbox is the lab's own: nothing of it in ~/.ansible
            env.put("ANSIBLE_HOME", dir.resolve(".ansible").toString());
        }
        env.putAll(more);
        return run(pb, out);
    }

    private static Run script(Path script, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("bash", script.toString()));
        cmd.addAll(List.of(args));
        return run(new ProcessBuilder(cmd).redirectErrorStream(true), line -> { });
    }

    /** Runs {@code pb}, following the default callback's output: tasks, results, the recap. */
    static Run run(ProcessBuilder pb, Consumer<String> out) throws IOException {
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        Map<String, Recap> recap = new LinkedHashMap<>();
        Map<String, List<String>> changed = new LinkedHashMap<>();
        Map<String, String> failures = new LinkedHashMap<>();
        Map<String, List<String>> said = new LinkedHashMap<>();
        Deque<String> tail = new ArrayDeque<>();
        String task = "";
        boolean inRecap = false;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (!line.isBlank()) {
                    tail.addLast(line.strip());
                    if (tail.size() > 3) {
                        tail.removeFirst();
                    }
                }
                Matcher t = TASK.matcher(line);
                if (t.matches()) {
                    task = shortName(t.group(1));
                    continue;
                }
                if (line.startsWith("PLAY RECAP")) {
                    inRecap = true;
                    continue;
                }
                if (inRecap) {
                    Matcher m = RECAP.matcher(line);
                    if (m.find()) {
                        Recap c = new Recap(Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                                Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)));
                        recap.put(m.group(1), c);
                        out.accept("  " + m.group(1) + ": ok=" + c.ok() + " changed=" + c.changed()
                                + (c.unreachable() > 0 ? " unreachable=" + c.unreachable() : "") + " failed=" + c.failed());
                    }
                    continue;
                }
                Matcher r = RESULT.matcher(line);
                if (!r.matches()) {
                    continue;
                }
                String host = r.group(2);
                if (r.group(1).equals("ok") || r.group(1).equals("changed")) {
                    said(r.group(3), said.computeIfAbsent(host, h -> new ArrayList<>()));
                }
                if (r.group(1).equals("changed")) {
                    List<String> tasks = changed.computeIfAbsent(host, h -> new ArrayList<>());
                    if (!tasks.contains(task)) {
                        tasks.add(task);
                        out.accept("  " + host + ": changed: " + task);
                    }
                } else if (r.group(1).equals("fatal") || r.group(1).equals("failed")) {
                    String msg = message(r.group(3));
                    failures.remove(host);
                    failures.put(host, msg); // the last failure of a machine is its verdict (the play's own `fail`)
                    out.accept("  " + host + ": failed: " + task + ": " + msg);
                }
            }
        }
        int exit;
        try {
            exit = p.waitFor();
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while " + pb.command().get(0) + " ran", e);
        }
        Map<String, String> ordered = new LinkedHashMap<>();
        failures.entrySet().stream().sorted(Comparator.comparing(e -> e.getKey())).forEach(e -> ordered.put(e.getKey(), e.getValue()));
        said.values().removeIf(List::isEmpty);
        return new Run(exit, recap, changed, ordered, List.copyOf(tail), said);
    }

    /** The lines of a result's {@code stdout} ({@code rest}: {@code  => {…}}, the callback's -v form) that start with the mark. */
    static void said(String rest, List<String> out) {
        int arrow = rest.indexOf("=> {");
        if (arrow < 0 || !rest.contains(MachineCheck.MARK)) {
            return;
        }
        try {
            JsonNode stdout = JSON.readTree(rest.substring(arrow + 3)).get("stdout");
            if (stdout != null && stdout.isTextual()) {
                stdout.asText().lines().map(String::strip).filter(l -> l.startsWith(MachineCheck.MARK)).forEach(out::add);
            }
        } catch (IOException e) {
            // not JSON: nothing said
        }
    }

    /** A task's name without the playbook's explanations: {@code (check) X (why)} is {@code X}. */
    static String shortName(String task) {
        String s = task.startsWith("(check) ") ? task.substring(8) : task;
        int paren = s.indexOf(" (");
        return paren > 0 ? s.substring(0, paren) : s;
    }

    /** The message of a failed result: {@code stderr}, else {@code msg}, else the text after {@code =>}. */
    static String message(String rest) {
        int arrow = rest.indexOf("=> ");
        String body = arrow < 0 ? rest.strip() : rest.substring(arrow + 3).strip();
        try {
            JsonNode j = JSON.readTree(body);
            for (String key : List.of("stderr", "msg")) { // a command's own words before Ansible's "non-zero return code"
                JsonNode v = j.get(key);
                if (v != null && v.isTextual() && !v.asText().isBlank()) {
                    return v.asText().strip().replace('\n', ' ');
                }
            }
        } catch (IOException e) {
            // not JSON: the text itself
        }
        return body.isEmpty() ? "failed" : body;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
