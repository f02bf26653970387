package dev.topoc.cli;

import dev.topoc.compiler.diag.Json;
import dev.topoc.backends.sim.DataPlane;
import dev.topoc.backends.sim.Failures;
import dev.topoc.backends.sim.Matrix;
import dev.topoc.backends.sim.MatrixQuestion;
import dev.topoc.backends.sim.PingQuestion;
import dev.topoc.backends.sim.Trace;
import dev.topoc.backends.sim.TraceQuestion;
import dev.topoc.backends.sim.Traceroute;
import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.model.Proto;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "simulate", sortOptions = false, mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {"Answer reachability questions with the simulator (Linux semantics, no root needed).",
            "A is a node; B is a node, node:interface or an address. A ping reaches when the request arrives and "
                + "the reply comes back; with --proto tcp|udp it must land (after DNAT) on a node that has a `listen` for --port, else the connection is refused. Without a question, "
                + "--matrix is implied."},
        footer = {"", "Exit codes: 0 answered, 1 invalid input, 2 usage error (e.g. an unknown node), 4 a file could not be read.",
            "Examples:", "  topoc simulate samples/docker-bridge.topo --ping nginx 192.0.2.53",
            "  topoc simulate samples/docker-bridge.topo --trace upstream 192.168.54.230 --proto tcp --port 8080",
            "  topoc simulate samples/star-1000.topo --matrix",
            "  topoc simulate samples/router-forwarding.topo --fail ns1:my_veth0 --trace ns1 ns2",
            "  topoc simulate samples/router-forwarding.topo --fail ns_router --matrix",
            "--fail takes links (by either end) and nodes down: a link down has no carrier on both ends (its routes stay "
                + "and are still chosen, so what is sent there is lost), a node down has all its interfaces gone.", ""})
final class SimulateCommand implements Callable<Integer> {
    enum Format { text, json }

    /** Text tables up to this many nodes; above, a summary and the pairs that do not reach. */
    static final int TABLE_LIMIT = 40;
    static final int LIST_LIMIT = 200;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "Topology file (.topo, .yaml, .yml).")
    Path file;

    @Option(names = "--ping", arity = "2", paramLabel = "A B", hideParamSyntax = true, description = "Does A reach B? One line per question.")
    List<String> ping = new ArrayList<>();

    @Option(names = "--trace", arity = "2", paramLabel = "A B", hideParamSyntax = true, description = "Hop by hop, with rewrites and the reason a packet stopped; then what traceroute -n shows "
                + "(-I for icmp; udp without --port: the default traceroute, ports 33434 and up; -U -p / -T -p with --port).")
    List<String> trace = new ArrayList<>();

    @Option(names = "--matrix", description = "Every node pinging every other node's first address (of --family).")
    boolean matrix;

    @Option(names = "--proto", paramLabel = "PROTO", defaultValue = "icmp", description = "icmp (default), tcp or udp, for --ping and --trace.")
    String proto = "icmp";

    @Option(names = "--port", paramLabel = "PORT", description = "Destination port for tcp and udp.")
    Integer port;

    @Option(names = "--family", paramLabel = "4|6", description = "Which address of a node or node:interface B (and of "
            + "every node for --matrix): its first IPv4 (4) or IPv6 (6) one, as `expect A -> B v4|v6`. Without it, the first "
            + "IPv4 address, else the first IPv6 one. An address B is of its own family.")
    Integer family;

    @Option(names = "--size", paramLabel = "N", description = "ICMP payload bytes for --ping and --trace (as ping -s; 56); "
            + "traceroute's probes are then N + 28 bytes long, IPv6 N + 48 (also udp and tcp).")
    Integer size;

    @Option(names = "--df", description = "Set don't fragment (as ping -M do, traceroute -F).")
    boolean df;

    @Option(names = "--fail", arity = "1..*", paramLabel = "L|N",
            description = "Answer with these links (either end, node:if) or nodes down.")
    List<String> fail = new ArrayList<>();

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format = Format.text;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Proto p = Proto.of(proto).orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(),
                "--proto must be one of " + Proto.choices()));
        if (p != Proto.ICMP && port == null && (p == Proto.TCP || !ping.isEmpty() || trace.isEmpty())) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--proto " + proto + " needs --port");
        }
        if (family != null && family != 4 && family != 6) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--family must be 4 or 6, not " + family);
        }
        Compilation c = common.compileValid(file, spec.commandLine().getErr());
        if (c == null) {
            return Main.INVALID;
        }
        DataPlane plane;
        try {
            plane = DataPlane.of(c.model(), Failures.parse(fail));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (!fail.isEmpty() && format == Format.text) {
            out.println("with " + plane.failures() + " down");
        }
        boolean any = !ping.isEmpty() || !trace.isEmpty();
        List<String> json = new ArrayList<>();
        try {
            for (int i = 0; i + 1 < ping.size(); i += 2) {
                Trace t = plane.ask(sized(ofFamily(plane, PingQuestion.of(plane, ping.get(i), ping.get(i + 1), p, p == Proto.ICMP ? null : port))));
                if (format == Format.json) {
                    json.add(TraceText.json(t));
                } else {
                    out.println(t.summary());
                }
            }
            for (int i = 0; i + 1 < trace.size(); i += 2) {
                Integer walked = p == Proto.ICMP ? null : port != null ? port : TraceQuestion.BASE_PORT;
                PingQuestion pq = ofFamily(plane, PingQuestion.of(plane, trace.get(i), trace.get(i + 1), p, walked));
                Trace t = plane.ask(p == Proto.ICMP ? sized(pq) : pq);
                TraceQuestion tq = TraceQuestion.of(plane, trace.get(i), trace.get(i + 1), p, p == Proto.ICMP ? null : port);
                boolean v6 = plane.address(tq.to(), family).map(inet.ipaddr.IPAddress::isIPv6).orElse(false);
                tq = new TraceQuestion(tq.from(), tq.to(), p, tq.port(), tq.maxHops(), size == null ? 0 : size + (v6 ? 48 : 28), df, family);
                Traceroute tr = plane.ask(tq);
                if (format == Format.json) {
                    String j = TraceText.json(t);
                    json.add(j.substring(0, j.length() - 1) + ",\"traceroute\":" + TracerouteText.json(tr) + "}");
                } else {
                    TraceText.text(t, out, "");
                    TracerouteText.text(tr, out, "  ");
                }
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        String matrixJson = null;
        if (matrix || !any) {
            Matrix m = plane.ask(new MatrixQuestion(family));
            if (format == Format.json) {
                matrixJson = matrixJson(m);
            } else {
                printMatrix(m, out, family);
            }
        }
        if (format == Format.json) {
            out.println("{\"traces\":[" + String.join(",", json) + "]" + (matrixJson == null ? "" : ",\"matrix\":" + matrixJson) + "}");
        }
        out.flush();
        return Main.OK;
    }

    private PingQuestion sized(PingQuestion q) {
        if (size == null && !df) {
            return q;
        }
        if (q.proto() != Proto.ICMP) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--size and --df are for icmp pings (traceroute takes them with any --proto)");
        }
        return new PingQuestion(q.from(), q.to(), q.proto(), q.port(), size == null ? dev.topoc.compiler.model.Expectation.DEFAULT_SIZE : size, df,
                q.family());
    }

    /** {@code q} with --family; an address of the other family is a usage error (as E0205 for an expect). */
    private PingQuestion ofFamily(DataPlane plane, PingQuestion q) {
        if (family == null) {
            return q;
        }
        if (q.to().address() != null && (q.to().address().isIPv6() ? 6 : 4) != family) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--family " + family + " does not fit "
                    + q.to().address().toCanonicalString() + ", an IPv" + (q.to().address().isIPv6() ? 6 : 4) + " address");
        }
        return new PingQuestion(q.from(), q.to(), q.proto(), q.port(), q.size(), q.df(), family);
    }

    static void printMatrix(Matrix m, PrintWriter out, Integer family) {
        int n = m.nodes().size();
        out.println("matrix: " + n + " nodes, " + m.pairs() + " pairs, " + m.reachable() + " reach, "
                + (m.pairs() - m.reachable()) + " do not (icmp to each node's first " + (family == null ? "" : "IPv" + family + " ") + "address)");
        if (n <= TABLE_LIMIT) {
            int w = m.nodes().stream().mapToInt(String::length).max().orElse(1);
            StringBuilder head = new StringBuilder(" ".repeat(w + 1) + " ");
            for (int j = 0; j < n; j++) {
                head.append(j % 10);
            }
            out.println(head.toString().stripTrailing());
            for (int i = 0; i < n; i++) {
                StringBuilder row = new StringBuilder(String.format("%-" + w + "s %s ", m.nodes().get(i), i % 10));
                for (int j = 0; j < n; j++) {
                    row.append(i == j ? '\\' : m.reach()[i][j] ? '#' : '.');
                }
                out.println(row);
            }
            out.println("columns: " + columns(m));
            out.println("# reaches, . does not");
            return;
        }
        int listed = 0;
        for (int i = 0; i < n && listed < LIST_LIMIT; i++) {
            for (int j = 0; j < n && listed < LIST_LIMIT; j++) {
                if (i != j && !m.reach()[i][j]) {
                    out.println("  " + m.nodes().get(i) + " -> " + m.nodes().get(j) + " (" + m.addresses().get(j) + "): no reach");
                    listed++;
                }
            }
        }
        if (listed == LIST_LIMIT) {
            out.println("  ... (first " + LIST_LIMIT + " pairs that do not reach; --format json gives all)");
        }
    }

    private static String columns(Matrix m) {
        StringJoiner j = new StringJoiner(", ");
        for (int i = 0; i < m.nodes().size(); i++) {
            j.add(i % 10 + "=" + m.nodes().get(i) + " (" + m.addresses().get(i) + ")");
        }
        return j.toString();
    }

    static String matrixJson(Matrix m) {
        StringBuilder b = new StringBuilder("{\"nodes\":[");
        for (int i = 0; i < m.nodes().size(); i++) {
            b.append(i == 0 ? "" : ",").append(Json.quote(m.nodes().get(i)));
        }
        b.append("],\"addresses\":[");
        for (int i = 0; i < m.addresses().size(); i++) {
            b.append(i == 0 ? "" : ",").append(Json.quote(m.addresses().get(i)));
        }
        b.append("],\"reach\":[");
        for (int i = 0; i < m.reach().length; i++) {
            b.append(i == 0 ? "\"" : ",\"");
            for (int j = 0; j < m.reach().length; j++) {
                b.append(i == j ? '-' : m.reach()[i][j] ? '1' : '0');
            }
            b.append('"');
        }
        return b.append("]}").toString();
    }
}
