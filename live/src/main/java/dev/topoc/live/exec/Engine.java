package dev.topoc.live.exec;

import dev.topoc.backends.BackendOptions;
import dev.topoc.compiler.diag.Span;
import dev.topoc.compiler.diag.DiagnosticCode;
import dev.topoc.compiler.diag.Template;
import dev.topoc.compiler.model.Cidr;
import dev.topoc.compiler.model.Topology;
import dev.topoc.live.diff.Change;
import dev.topoc.live.diff.Desired;
import dev.topoc.live.diff.Desired.DIface;
import dev.topoc.live.diff.Desired.DNode;
import dev.topoc.live.diff.Differ;
import dev.topoc.backends.IpArgs;
import dev.topoc.live.diff.Observed;
import dev.topoc.live.lab.LabId;
import dev.topoc.live.lab.LabLock;
import dev.topoc.live.lab.LabRecord;
import dev.topoc.live.lab.LabRecord.NodeRecord;
import dev.topoc.live.lab.LabStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code plan}, {@code up} and {@code down}: reader, differ and executor put together around a lab's record and lock.
 *
 * <p>{@code up} takes the lab's lock, reads the live state, refuses what is not its own (a running lab brought up
 * from another file, a namespace no lab owns, another lab's namespace), records the union of what it owns and what
 * it is about to create (so a killed run leaves nothing unowned), runs the plan, and writes the new record. When a
 * step fails, it rolls back by converging to the state it read before the run: the same differ, with that snapshot
 * as the desired state and the union record as the owner, run with {@code ip -force}; then it reads again and says
 * whether anything is left over. Objects the run did not touch are never part of the rollback.
 */
public final class Engine {
    /**
     * @param prefix {@code --prefix}
     * @param sandbox {@code --sandbox}
     * @param replace {@code --replace}: take over a lab brought up from another file, adopt unowned namespaces
     * @param lockWait how long to wait for another {@code up}/{@code down} of the same lab
     * @param failAfter the test hook: fail on purpose after this many changes (-1: never)
     */
    public record Options(String prefix, boolean sandbox, boolean replace, Duration lockWait, int failAfter) {
        public BackendOptions backend() {
            return new BackendOptions(prefix, sandbox);
        }
    }

    /**
     * What {@code up} would do, or why it would refuse. {@code changes} lists the network's changes and then the
     * processes' ({@code workloads}: runs and stand-ins to stop and start, see {@link Workloads}).
     */
    public record Plan(LabId id, LabRecord record, Desired desired, Observed observed, List<Change> changes, List<Refusal> refusals,
            Workloads.Delta workloads) {
        public boolean inSync() {
            return changes.isEmpty() && refusals.isEmpty();
        }

        /** The changes to the kernel's network objects (what the executor runs). */
        public List<Change> network() {
            return changes.subList(0, changes.size() - workloads.changes().size());
        }
    }

    /**
     * Why {@code up} would refuse, at the line of the file that asks for the conflicting object: the node whose
     * namespace is taken, or the topology line for the lab as a whole (null: no line known).
     */
    public record Refusal(DiagnosticCode code, Span at, String message) {
        /** A refusal in {@code template}'s wording. */
        public static Refusal of(Template template, Span at, Object... args) {
            return new Refusal(template.code(), at, template.format(args));
        }

        /** {@code FILE:LINE:COL: error[CODE]: MESSAGE} at the refusal's line, or at {@code fallback} without one. */
        public String diagnostic(Path file, String fallback) {
            String where = at == null || at.line() <= 0 ? fallback : file + ":" + at.line() + ":" + at.column();
            return where + ": error[" + code.id() + "]: " + message;
        }
    }

    /** The end of {@code up} or {@code down}: the exit code and its one-line summary. */
    /**
     * How a run ended: the exit code, a one-line message and, for a refusal or a failure, its stable code
     * ({@code E09xx}, docs/diagnostics.md) and where in the file it points ({@code FILE:LINE:COL}; null for none).
     */
    public record Outcome(int exit, String message, DiagnosticCode code, String at) {
        public Outcome(int exit, String message) {
            this(exit, message, null, null);
        }

        /** A run that ended with {@code exit} under {@code template}'s code and wording, pointing at {@code at}. */
        public static Outcome failed(int exit, String at, Template template, Object... args) {
            return new Outcome(exit, template.format(args), template.code(), at);
        }

        /** {@code AT: error[CODE]: MESSAGE}, or the message alone when there is no code. */
        public String diagnostic() {
            return code == null ? message : (at == null ? "topoc" : at) + ": error[" + code.id() + "]: " + message;
        }
    }

    public static final int OK = 0;
    public static final int REFUSED = 1;
    public static final int FAILED = 4;

    private final LabStore store;
    private final Observer observer;
    private final Consumer<String> progress;

    /** {@code progress} hears the lines meant for standard error: waiting, progress of long runs, rollback. */
    public Engine(LabStore store, Observer observer, Consumer<String> progress) {
        this.store = store;
        this.observer = observer;
        this.progress = progress;
    }

    // ---- plan --------------------------------------------------------------------------------------------------

    public Plan plan(Topology model, Path file, String text, Options o) {
        LabId id = new LabId(o.prefix(), model.name());
        LabRecord record = store.find(id).orElse(null);
        Phases.mark("record");
        Desired desired = Desired.of(model, o.backend());
        Phases.mark("desired");
        List<Refusal> refusals = refusals(model.span(), id, record, desired, file, o);
        Phases.mark("refusals");
        Observed observed = observer.observe(desired, record);
        Phases.mark("observe");
        List<Change> changes = new ArrayList<>(Differ.diff(desired, observed, record));
        Phases.mark("diff");
        Workloads.Delta workloads = new Workloads(store, id).delta(Workloads.wanted(model, desired, o.sandbox()), id.name());
        changes.addAll(workloads.changes());
        Phases.mark("workloads");
        return new Plan(id, record, desired, observed, List.copyOf(changes), refusals, workloads);
    }

    private List<Refusal> refusals(Span topology, LabId id, LabRecord record, Desired desired, Path file, Options o) {
        List<Refusal> out = new ArrayList<>();
        String abs = file.toAbsolutePath().normalize().toString();
        if (record != null && record.acrossMachines()) {
            out.add(Refusal.of(LiveCode.LIVE_OTHER_KIND, topology, id.name(), "across machines (through its playbook)", file,
                    "on one host"));
            return out;
        }
        if (record != null && !record.file().equals(abs) && !o.replace()) {
            out.add(Refusal.of(LiveCode.LIVE_OTHER_FILE, topology, id.name(), record.file(), abs));
        }
        if (record != null && record.sandbox() != o.sandbox() && !o.replace()) {
            out.add(Refusal.of(LiveCode.LIVE_OTHER_SANDBOX, topology, id.name(),
                    record.sandbox() ? "with" : "without"));
        }
        Map<String, LabRecord> owners = new HashMap<>();
        for (LabRecord r : store.list()) {
            r.namespaces().forEach(ns -> owners.put(ns, r));
        }
        for (DNode d : desired.nodes()) {
            String ns = d.namespace();
            if (ns.isEmpty() || !Observer.namespaceExists(ns)) {
                continue;
            }
            LabRecord owner = owners.get(ns);
            if (owner != null && !owner.id().equals(id)) {
                out.add(Refusal.of(LiveCode.LIVE_OTHER_LABS_NAMESPACE, d.span(), ns, d.name(), owner.name(),
                        owner.file()));
            } else if (owner == null && !o.replace()) {
                out.add(Refusal.of(LiveMsg.UNOWNED_NAMESPACE, d.span(), ns, d.name()));
            }
        }
        return out;
    }

    // ---- up ----------------------------------------------------------------------------------------------------

    /** Converges the lab to {@code model}; {@code out} hears the plan it runs. */
    public Outcome up(Topology model, Path file, String text, Options o, Consumer<String> out) throws IOException {
        LabId id = new LabId(o.prefix(), model.name());
        String at = at(model, file);
        try (LabLock lock = store.lock(id, o.lockWait(), progress)) {
            Phases.mark("lock");
            Plan p = plan(model, file, text, o);
            if (!p.refusals().isEmpty()) {
                p.refusals().forEach(r -> progress.accept(r.diagnostic(file, at)));
                if (p.record() == null) {
                    lock.retire(); // no lab runs under this name: leave no lock file behind
                }
                return new Outcome(REFUSED, "refused " + p.refusals().size() + " conflict" + (p.refusals().size() == 1 ? "" : "s")
                        + " with what runs: nothing was changed");
            }
            LabRecord before = p.record();
            if (p.changes().isEmpty()) {
                store.write(newRecord(p, file, text, o));
                return new Outcome(OK, "lab " + id.name() + " is in sync with " + file + ": nothing to do");
            }
            out.accept("lab " + id.name() + ": " + p.changes().size() + " change" + (p.changes().size() == 1 ? "" : "s"));
            p.changes().forEach(c -> out.accept(c.line()));
            LabRecord union = union(before, p, file, text, o);
            Phases.mark("union record");
            store.write(union);
            Phases.mark("write union record");
            long t0 = System.nanoTime();
            Throttle throttle = new Throttle(p.changes().size(), t0);
            Optional<Executor.Failure> failure = new Executor(false, o.failAfter()).run(p.network(), throttle::done);
            Phases.mark("execute");
            if (failure.isPresent()) {
                Executor.Failure f = failure.get();
                String step = "step " + (f.index() + 1) + "/" + p.changes().size() + " failed: " + f.change().op().sign + " "
                        + f.change().object() + " (" + f.change().source() + "): " + f.message();
                progress.accept("topoc: " + step);
                String left = rollback(p, union, o);
                if (left != null) {
                    // keep owning what the run created: `down` must still be able to remove it
                    return Outcome.failed(FAILED, stepAt(f.change(), file, at), LiveMsg.ROLLBACK_LEFT, step, left,
                            store.recordPath(id), id.name());
                }
                if (before == null) {
                    store.delete(id);
                    lock.retire();
                } else {
                    store.write(before);
                }
                return Outcome.failed(FAILED, stepAt(f.change(), file, at), LiveMsg.ROLLED_BACK, step);
            }
            LabRecord done = newRecord(p, file, text, o);
            Phases.mark("new record");
            store.write(done);
            Phases.mark("write new record");
            List<String> stuck = new Workloads(store, id).converge(Workloads.wanted(model, p.desired(), o.sandbox()), id.name(), progress);
            Phases.mark("converge workloads");
            if (!stuck.isEmpty()) {
                return new Outcome(FAILED, "lab " + id.name() + " is up, but " + String.join("; ", stuck));
            }
            double s = (System.nanoTime() - t0) / 1e9;
            return new Outcome(OK, "lab " + id.name() + " is up: " + p.changes().size() + " change"
                    + (p.changes().size() == 1 ? "" : "s") + String.format(java.util.Locale.ROOT, " in %.1f s", s));
        }
    }

    /** {@code FILE:LINE:COL} of the topology statement (where refusals point), or FILE alone. */
    public static String at(Topology model, Path file) {
        return model.span() == null || model.span().line() <= 0 ? file.toString()
                : file + ":" + model.span().line() + ":" + model.span().column();
    }

    /** {@code FILE:LINE:1} of the statement a failed change came from, or {@code fallback} (a removal has none). */
    private static String stepAt(Change c, Path file, String fallback) {
        String name = file.getFileName().toString();
        String src = c.source();
        if (src.startsWith(name + ":") && src.substring(name.length() + 1).matches("\\d+")) {
            return file + ":" + src.substring(name.length() + 1) + ":1";
        }
        return fallback;
    }

    /** Prints progress at most once a second, only on runs longer than a second. */
    private final class Throttle {
        private final int total;
        private long last;

        Throttle(int total, long start) {
            this.total = total;
            this.last = start;
        }

        void done(int n) {
            long now = System.nanoTime();
            if (now - last >= 1_000_000_000L && n < total) {
                last = now;
                progress.accept("topoc: " + n + "/" + total + " changes done");
            }
        }
    }

    /** Converges back to the snapshot the plan was made from; null when nothing is left over, else what is. */
    private String rollback(Plan p, LabRecord union, Options o) {
        Observed snapshot = p.observed();
        Map<String, String> listings = snapshot.nft();
        Desired back = Desired.of(snapshot.live(), o.backend(), "the state before this run",
                n -> listings.containsKey(n.name()) ? "table inet topoc\ndelete table inet topoc\n" + listings.get(n.name()) : null,
                n -> listings.get(n.name()), snapshot.sysctl());
        Observed now = observer.observe(back, union);
        List<Change> undo = Differ.diff(back, now, union);
        progress.accept("topoc: rolling back (" + undo.size() + " change" + (undo.size() == 1 ? "" : "s") + ")");
        new Executor(true, -1).run(undo, n -> { });
        List<Change> left = Differ.diff(back, observer.observe(back, union), union);
        if (left.isEmpty()) {
            return null;
        }
        return "rolled back, but " + left.size() + " difference" + (left.size() == 1 ? " is" : "s are") + " left: "
                + String.join("; ", left.stream().limit(5).map(Change::line).toList());
    }

    // ---- records -----------------------------------------------------------------------------------------------

    private static LabRecord base(LabId id, Path file, String text, Options o, List<NodeRecord> nodes) {
        return new LabRecord(LabRecord.VERSION, id.prefix(), id.topology(), o.sandbox(),
                file.toAbsolutePath().normalize().toString(), LabStore.sha256(text), nodes);
    }

    /** What the lab owns while a run is under way: what it owned, and what the run will create. */
    private static LabRecord union(LabRecord before, Plan p, Path file, String text, Options o) {
        Map<String, NodeRecord> nodes = new LinkedHashMap<>();
        if (before != null) {
            before.nodes().forEach(n -> nodes.put(n.node(), n));
        }
        for (NodeRecord n : nodeRecords(p, before)) {
            nodes.putIfAbsent(n.node(), n);
        }
        return base(p.id(), file, text, o, List.copyOf(nodes.values()));
    }

    private static LabRecord newRecord(Plan p, Path file, String text, Options o) {
        return base(p.id(), file, text, o, nodeRecords(p, p.record()));
    }

    private static List<NodeRecord> nodeRecords(Plan p, LabRecord before) {
        // a sysctl of a namespace the lab creates was, before the lab set it, what a new namespace has
        java.util.Set<String> freshKeys = new java.util.LinkedHashSet<>();
        for (DNode d : p.desired().nodes()) {
            if (!d.namespace().isEmpty() && p.observed().node(d.name()) == null) {
                freshKeys.addAll(d.sysctl().keySet());
            }
        }
        Map<String, String> fresh = Observer.freshDefaults(freshKeys);
        List<NodeRecord> out = new ArrayList<>();
        Map<String, NodeRecord> old = new HashMap<>();
        if (before != null) {
            before.nodes().forEach(n -> old.putIfAbsent(n.node(), n));
        }
        for (DNode d : p.desired().nodes()) {
            List<String> ifaces = new ArrayList<>();
            List<String> addresses = new ArrayList<>();
            for (DIface i : d.ifaces().values()) {
                if (!i.preexisting()) {
                    ifaces.add(i.name());
                }
                for (Cidr a : i.model().addresses()) {
                    addresses.add(i.name() + " " + a);
                }
            }
            ifaces.addAll(d.stubs());
            NodeRecord was = old.get(d.name());
            Map<String, String> seen = p.observed().node(d.name()) == null && !d.namespace().isEmpty() ? fresh
                    : p.observed().sysctl().getOrDefault(d.name(), Map.of());
            Map<String, String> originals = new LinkedHashMap<>();
            for (String k : d.sysctl().keySet()) {
                String original = was != null && was.sysctl().containsKey(k) ? was.sysctl().get(k) : seen.get(k);
                if (original != null) {
                    originals.put(k, original);
                }
            }
            String listing = d.nft() == null || !Observer.namespaceExists(d.namespace()) ? null : Observer.nftListing(d.namespace());
            out.add(new NodeRecord(d.name(), d.namespace().isEmpty() ? null : d.namespace(), !d.namespace().isEmpty(), ifaces,
                    addresses, d.routes().stream().map(IpArgs::route).toList(), d.rules().stream().map(IpArgs::rule).toList(),
                    originals, d.nft() == null ? null : LabStore.sha256(d.nft()), listing));
        }
        return out;
    }

    // ---- down --------------------------------------------------------------------------------------------------

    /**
     * Removes lab {@code id}: every namespace it owns, then its record. Idempotent. A lab across machines goes through
     * its playbook ({@link MachineLab#down}).
     */
    public Outcome down(LabId id, Options o, Consumer<String> out) throws IOException {
        Optional<LabRecord> recorded = store.find(id);
        if (recorded.isEmpty()) {
            return new Outcome(OK, "lab " + id.name() + " is not running: nothing to do");
        }
        if (recorded.get().acrossMachines()) {
            return new MachineLab(store, progress).down(id, o, out); // its playbook's teardown, then its sandbox
        }
        try (LabLock lock = store.lock(id, o.lockWait(), progress)) {
            Optional<LabRecord> found = store.find(id);
            if (found.isEmpty()) {
                return new Outcome(OK, "lab " + id.name() + " is not running: nothing to do");
            }
            LabRecord record = found.get();
            new Workloads(store, id).stopAll(out);
            // no need to read what goes: deleting a namespace deletes everything in it
            List<Change> changes = new ArrayList<>();
            for (NodeRecord n : record.nodes()) {
                if (n.ownsNamespace() && Observer.namespaceExists(n.namespace())) {
                    changes.add(new Change(Change.Op.REMOVE, n.node(), "node " + n.node(), "namespace " + n.namespace()
                            + " and everything in it", "lab " + record.name(),
                            List.of(new Change.Action(Change.Tool.IP, "", "netns del " + n.namespace()))));
                }
            }
            changes.forEach(c -> out.accept(c.line()));
            new Executor(true, -1).run(changes, n -> { });
            List<String> left = record.namespaces().stream().filter(Observer::namespaceExists).toList();
            if (!left.isEmpty()) {
                return new Outcome(FAILED, "lab " + id.name() + ": cannot delete namespace" + (left.size() == 1 ? " " : "s ")
                        + String.join(", ", left) + " (the record " + store.recordPath(id) + " is kept)");
            }
            store.delete(id);
            lock.retire();
            return new Outcome(OK, "lab " + id.name() + " is down: " + changes.size() + " namespace"
                    + (changes.size() == 1 ? "" : "s") + " deleted");
        }
    }
}
