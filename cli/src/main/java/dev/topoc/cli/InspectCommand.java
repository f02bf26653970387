package dev.topoc.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.Compiler;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.model.Topology;
import dev.topoc.live.lab.LabRecord;
import dev.topoc.live.lab.LabStore;
import dev.topoc.live.exec.Engine;
import dev.topoc.live.exec.Observer;
import dev.topoc.live.exec.Workloads;
import dev.topoc.live.read.LiveReader;
import dev.topoc.live.read.NamespaceDump;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "inspect", sortOptions = false, mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {"List the running labs (those `topoc up` brought up): file, prefix, nodes, interfaces, addresses and "
                + "link state, and for each lab whether it is in sync with its file.",
            "Each node's workloads (`run` and sandbox stand-in listeners started by up): the pids that still run and the log "
                + "file of their output.",
            "A topology with machines shows its machines, and `deployed` while its file is the version brought up (`topoc "
                + "plan FILE` runs the playbook's dry run on the machines).",
            "Status: `in sync` (`topoc plan` would change nothing); `drifted` (each change `up` would make is listed); `file changed` (the "
                + "file is not the version the lab was brought up from: run `topoc plan FILE`); `file missing`; "
                + "`file invalid`. Needs root to read the namespaces."},
        footer = {"", "Exit codes: 0 (whatever the labs' state), 2 usage error, 4 the records cannot be read.",
            "Examples:", "  topoc inspect", "  topoc inspect --lab docker-bridge@lab1- --format json", ""})
final class InspectCommand implements Callable<Integer> {
    enum Format { text, json }

    @Spec
    CommandSpec spec;

    @Option(names = "--lab", paramLabel = "NAME", description = "Only this lab (TOPOLOGY or TOPOLOGY@PREFIX).")
    String lab;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "Output: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--prefix", paramLabel = "P", description = "Only labs with this prefix.")
    String prefix;

    @Option(names = "--sandbox", description = "Only labs brought up with --sandbox.")
    boolean sandbox;

    @Mixin
    CommonOptions common;

    /** One lab as inspect reports it (also the JSON shape). */
    /** {@code machines}: a topology across machines, deployed through its playbook (empty for a lab on this host). */
    record LabView(String name, String topology, String prefix, String file, boolean sandbox, String status,
            List<String> drift, List<NodeView> nodes, List<String> machines) {}

    /** {@code log}: the node's workload log (null when it has none); {@code pids}: its runs and stand-ins that still run. */
    record NodeView(String node, String namespace, boolean present, List<IfaceView> interfaces, String log, List<Long> pids) {}

    record IfaceView(String name, String kind, boolean up, List<String> addresses, String master, String peer) {}

    @Override
    public Integer call() {
        LabStore store = LabStore.system();
        List<LabRecord> records = new ArrayList<>();
        if (lab != null) {
            store.find(lab).ifPresent(records::add);
        } else {
            records.addAll(store.list());
        }
        records.removeIf(r -> prefix != null && !r.prefix().equals(prefix) || sandbox && !r.sandbox());
        List<LabView> labs = records.stream().map(InspectCommand::view).toList();
        PrintWriter out = spec.commandLine().getOut();
        if (format == Format.json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("labs", labs);
            doc.put("damaged", store.damaged().stream().map(Path::toString).toList());
            try {
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
            } catch (IOException e) {
                throw new Main.CliFailure("cannot write JSON: " + e.getMessage());
            }
        } else {
            text(out, labs, store.damaged());
        }
        out.flush();
        return Main.OK;
    }

    private static LabView view(LabRecord r) {
        Map<String, String> where = new LinkedHashMap<>();
        List<NodeView> nodes = new ArrayList<>();
        Workloads workloads = new Workloads(LabStore.system(), r.id());
        for (LabRecord.NodeRecord n : r.nodes()) {
            boolean present = n.where().isEmpty() || Files.exists(Path.of("/run/netns", n.where()));
            if (present) {
                where.put(n.node(), n.where());
            }
            Path log = workloads.log(n.node());
            nodes.add(new NodeView(n.node(), n.where(), present, List.of(), Files.exists(log) ? log.toString() : null,
                    workloads.running(n.node())));
        }
        Topology live;
        try {
            live = LiveReader.read(r.topology(), where).topology();
        } catch (NamespaceDump.ReadException e) {
            return new LabView(r.name(), r.topology(), r.prefix(), r.file(), r.sandbox(), "unreadable: " + e.getMessage(),
                    List.of(), nodes, r.machines());
        }
        nodes = nodes.stream().map(n -> new NodeView(n.node(), n.namespace(), n.present(),
                live.node(n.node()).map(InspectCommand::interfaces).orElse(List.of()), n.log(), n.pids())).toList();
        String status;
        List<String> drift = List.of();
        Path file = Path.of(r.file());
        if (!Files.exists(file)) {
            status = "file missing";
        } else {
            Compilation c = Compiler.compile(CommonOptions.read(file));
            if (!c.ok()) {
                status = "file invalid";
            } else if (!LabStore.sha256(c.source().text()).equals(r.sha256())) {
                status = "file changed";
            } else if (r.acrossMachines()) {
                // the verdict would take the playbook's dry run over ssh on every machine: `topoc plan FILE` runs it
                status = "deployed (topoc plan runs the playbook's --check)";
            } else {
                // the verdict of `topoc plan`: in sync exactly when up would change nothing
                Engine.Plan plan = new Engine(LabStore.system(), new Observer(Observer.KERNEL), line -> { })
                        .plan(c.model(), file, c.source().text(), new Engine.Options(r.prefix(), r.sandbox(), false,
                                java.time.Duration.ZERO, -1));
                List<String> d = new ArrayList<>();
                plan.refusals().forEach(x -> d.add("error[" + x.code().id() + "]: " + x.message()));
                plan.changes().forEach(ch -> d.add(ch.line()));
                drift = d;
                status = drift.isEmpty() ? "in sync" : "drifted";
            }
        }
        return new LabView(r.name(), r.topology(), r.prefix(), r.file(), r.sandbox(), status, drift, nodes, r.machines());
    }

    private static List<IfaceView> interfaces(Node n) {
        return n.interfaces().stream().map(i -> new IfaceView(i.name(), i.kind(), i.common().up(),
                i.addresses().stream().map(Object::toString).toList(), i.common().master(),
                i.as(Interface.Veth.class).map(Interface.Veth::peer).map(Object::toString).orElse(null))).toList();
    }

    private static void text(PrintWriter out, List<LabView> labs, List<Path> damaged) {
        if (labs.isEmpty()) {
            out.println("no running labs");
        }
        for (LabView l : labs) {
            out.println("lab " + l.name() + "  " + l.status());
            out.println("  file " + l.file() + (l.sandbox() ? "  (sandbox)" : "") + (l.prefix().isEmpty() ? ""
                    : "  prefix " + l.prefix()));
            if (!l.machines().isEmpty()) {
                out.println("  machines " + String.join(", ", l.machines()) + "  (through its playbook)");
            }
            l.drift().forEach(d -> out.println("  drift: " + d));
            for (NodeView n : l.nodes()) {
                out.println("  node " + n.node() + "  " + (n.namespace().isEmpty() ? "(default namespace)"
                        : "netns " + n.namespace()) + (n.present() ? "" : "  MISSING"));
                if (n.log() != null || !n.pids().isEmpty()) {
                    out.println("    workloads: " + (n.pids().isEmpty() ? "none running" : "pid" + (n.pids().size() == 1 ? " " : "s ")
                            + String.join(" ", n.pids().stream().map(String::valueOf).toList()) + " running")
                            + (n.log() == null ? "" : ", log " + n.log()));
                }
                for (IfaceView i : n.interfaces()) {
                    StringBuilder s = new StringBuilder("    ").append(i.name()).append(' ').append(i.kind())
                            .append(i.up() ? " up" : " down");
                    i.addresses().forEach(a -> s.append(' ').append(a));
                    if (i.master() != null) {
                        s.append(" master ").append(i.master());
                    }
                    if (i.peer() != null) {
                        s.append(" -- ").append(i.peer());
                    }
                    out.println(s);
                }
            }
        }
        damaged.forEach(p -> out.println("damaged record: " + p));
    }
}
