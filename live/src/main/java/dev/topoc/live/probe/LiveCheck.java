package dev.topoc.live.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.topoc.backends.sim.Check;
import dev.topoc.backends.sim.CheckQuestion;
import dev.topoc.backends.sim.DataPlane;
import dev.topoc.backends.ProbeScript;
import dev.topoc.compiler.model.Expectation;
import dev.topoc.compiler.model.IfKind;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.model.Proto;
import dev.topoc.compiler.model.Topology;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code topoc check FILE --live}: every {@code expect} asked of the running lab for real, beside the simulator's
 * answer.
 *
 * <p>One probe per expectation, in file order, each a small python3 program ({@link ProbeScript}: the Ansible
 * backend writes the same one beside {@code check.yml}, see {@link MachineCheck}) run as root from the default namespace: it enters the source node's namespace ({@code setns}), where icmp is
 * {@code ping -c2} ({@code -s N -M do} for {@code size N df}), tcp a real {@code connect()} (accepted = reach; a
 * reset = refused; no answer in 2 s = dropped) and udp a datagram on a connected socket (a reply = reach; ICMP port
 * unreachable = refused; nothing in 2 s = silent). Traffic goes only to the topology's own addresses, from the lab's
 * own namespaces.
 *
 * <p>Who received it ({@code lands}) and whom it crossed ({@code via}) come from the kernel's own counters of every
 * namespace of the lab, read before and after the probe: the node whose namespace answered an echo
 * ({@code Icmp[6]InEchos}), accepted a connection ({@code TcpPassiveOpens}) or delivered a datagram to a socket
 * ({@code Udp[6]InDatagrams}) is where it landed, whichever process listens there ({@code run} or stand-in), and
 * after any NAT; a node whose interfaces received packets during the probe ({@code /proc/net/dev}) was crossed (the
 * order is not measured). This assumes the lab is otherwise quiet while it is probed. A udp datagram delivered to a
 * socket that does not reply counts as reached (the simulator's udp reach is the same: something listens there). The
 * kernel counts every packet a VXLAN device decapsulates as a datagram delivered to its socket: those (the device's
 * received packets) are not deliveries to a program.
 */
public final class LiveCheck {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCRIPT = ProbeScript.text();
    private static final String DEFAULT_NS = "/proc/1/ns/net";

    /**
     * What the kernel did with one probe.
     *
     * @param verdict {@code reached}, {@code refused}, {@code silent} (no answer), {@code unreachable}, {@code error}
     * @param detail what the probe saw, in words
     * @param landed the nodes that received the request (see the class comment)
     * @param crossed the nodes whose interfaces received packets, the source aside
     * @param refusedBy the nodes that sent the reset or the port unreachable
     */
    public record Probe(String verdict, String detail, List<String> landed, List<String> crossed, List<String> refusedBy) {
        public boolean reached() {
            return verdict.equals("reached");
        }

        /** {@code reaches, lands on web (connected, answered "web")}. */
        public String text() {
            String what = switch (verdict) {
                case "reached" -> "reaches" + (landed.isEmpty() ? "" : ", lands on " + String.join(" and ", landed));
                case "refused" -> "refused" + (refusedBy.isEmpty() ? "" : " by " + String.join(" and ", refusedBy));
                case "silent" -> "no answer";
                case "unreachable" -> "unreachable";
                default -> "could not probe";
            };
            return what + " (" + detail + ")";
        }
    }

    /**
     * One expectation, asked of both.
     *
     * @param simulated the simulator's check (its trace explains a disagreement)
     * @param live what the kernel did; null when the question could not be asked (the simulator's message says why)
     * @param holds the expectation holds on the running lab
     * @param disagreement null when the simulator and the kernel agree, else how they differ
     * @param message why it fails live ({@code holds} when it holds)
     */
    public record Result(Check simulated, Probe live, boolean holds, String disagreement, String message) {
        public Expectation expectation() {
            return simulated.expectation();
        }
    }

    private final DataPlane plane;
    private final Map<String, String> spaces = new LinkedHashMap<>();
    private final Map<String, String> nodeOfSpace = new LinkedHashMap<>();
    private final Map<String, Set<String>> vxlans;

    /**
     * {@code namespaces}: node → namespace, {@code ""} for a node in the default namespace (the lab record's map);
     * {@code model} the file's topology (its VXLAN devices).
     */
    public LiveCheck(DataPlane plane, Topology model, Map<String, String> namespaces) {
        this.plane = plane;
        this.vxlans = vxlans(model.nodes());
        namespaces.forEach((node, ns) -> {
            String path = ns.isEmpty() ? DEFAULT_NS : "/run/netns/" + ns;
            spaces.put(node, path);
            nodeOfSpace.putIfAbsent(path, node);
        });
    }

    /** Every expectation of the topology, in file order. */
    public List<Result> run(List<Expectation> expectations) {
        return expectations.stream().map(this::check).toList();
    }

    public Result check(Expectation e) {
        Check sim = simulate(plane, e);
        if (sim.trace() == null) {
            return unprobed(sim, sim.message());
        }
        String source = spaces.get(e.from());
        if (source == null) {
            return unprobed(sim, notInLab(e));
        }
        return judge(sim, probe(e, source, sim.trace().address()));
    }

    /** The simulator's answer to one expectation. */
    static Check simulate(DataPlane plane, Expectation e) {
        return plane.ask(new CheckQuestion(List.of(e))).checks().get(0);
    }

    /** An expectation that could not be asked of the lab, and why. */
    static Result unprobed(Check sim, String why) {
        return new Result(sim, null, false, null, why);
    }

    static String notInLab(Expectation e) {
        return "node " + e.from() + " is not part of the running lab";
    }

    /** Whether {@code p}, the kernel's answer, holds the expectation, and how it differs from the simulator's. */
    static Result judge(Check sim, Probe p) {
        Expectation e = sim.expectation();
        boolean holds = p.reached() == e.reach();
        List<String> problems = new ArrayList<>();
        if (!holds) {
            problems.add(e.reach() ? "expected to reach, got: " + p.text() : "expected no reach, but it " + p.text());
        }
        if (holds && e.reach()) {
            if (e.lands() != null && !p.landed().equals(List.of(e.lands()))) {
                holds = false;
                problems.add("expected to land on " + e.lands() + ", but it lands on "
                        + (p.landed().isEmpty() ? "no node of the lab" : String.join(" and ", p.landed())));
            }
            List<String> missed = e.via().stream().filter(v -> !p.crossed().contains(v) && !p.landed().contains(v)).toList();
            if (!missed.isEmpty()) {
                holds = false;
                problems.add("expected via " + String.join(" ", e.via()) + ", but " + String.join(" and ", missed)
                        + " received nothing during the probe");
            }
        }
        return new Result(sim, p, holds, disagreement(sim, p), holds ? "holds" : String.join("; ", problems));
    }

    /** How the kernel and the simulator differ on one probe, or null. */
    private static String disagreement(Check sim, Probe p) {
        boolean simReaches = sim.trace().reaches();
        if (p.verdict().equals("error")) {
            return null;
        }
        if (simReaches != p.reached()) {
            return "the simulator says " + (simReaches ? "it reaches" : "no reach (" + sim.trace().reason() + ")")
                    + ", the kernel: " + p.text();
        }
        String lands = sim.trace().lands();
        if (simReaches && lands != null && p.landed().size() == 1 && !p.landed().get(0).equals(lands)) {
            return "the simulator says it lands on " + lands + ", the kernel: on " + p.landed().get(0);
        }
        return null;
    }

    private Probe probe(Expectation e, String source, String address) {
        List<String> cmd = new ArrayList<>(List.of("python3", "-c", SCRIPT, source, e.proto().word(), address,
                String.valueOf(e.port() == null ? 0 : e.port()), String.valueOf(e.size()), e.df() ? "1" : "0"));
        cmd.addAll(new java.util.LinkedHashSet<>(spaces.values()));
        String out;
        try {
            Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            proc.getOutputStream().close();
            byte[] bytes = proc.getInputStream().readAllBytes();
            if (!proc.waitFor(30, TimeUnit.SECONDS)) {
                proc.destroyForcibly();
            }
            out = new String(bytes, StandardCharsets.UTF_8).strip();
        } catch (IOException ex) {
            return error("cannot run python3: " + ex.getMessage());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return error("interrupted");
        }
        JsonNode j;
        try {
            j = JSON.readTree(out.lines().reduce((a, b) -> b).orElse(""));
        } catch (IOException ex) {
            return error("the probe said: " + out);
        }
        if (j == null || !j.has("verdict")) {
            return error("the probe said: " + out);
        }
        Map<String, JsonNode> deltas = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = j.path("deltas").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> d = it.next();
            String node = nodeOfSpace.get(d.getKey());
            if (node != null) {
                deltas.put(node, d.getValue());
            }
        }
        return interpret(e, nodeOfSpace.get(source), j, deltas, vxlans);
    }

    static Probe error(String why) {
        return new Probe("error", why, List.of(), List.of(), List.of());
    }

    /** The VXLAN devices of each node: the kernel counts what they decapsulate as udp datagrams delivered. */
    static Map<String, Set<String>> vxlans(List<Node> nodes) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        for (Node n : nodes) {
            for (Interface i : n.interfaces()) {
                if (i.ifKind() == IfKind.VXLAN) {
                    out.computeIfAbsent(n.name(), k -> new LinkedHashSet<>()).add(i.name());
                }
            }
        }
        return out;
    }

    /**
     * What the kernel did with one probe: {@code answer} is what the probe saw ({@code verdict}, {@code detail},
     * {@code replies}: the udp replies or tcp connections the probe itself received), {@code deltas} by how much each
     * counter grew during it, per node (in the lab's order; {@code rx}: packets received per interface), {@code
     * source} the node it was sent from, {@code vxlans} each node's VXLAN devices.
     */
    static Probe interpret(Expectation e, String source, JsonNode answer, Map<String, JsonNode> deltas,
            Map<String, Set<String>> vxlans) {
        String counter = e.proto() == Proto.ICMP ? "echo" : e.proto() == Proto.TCP ? "accept" : "delivered";
        List<String> landed = new ArrayList<>();
        List<String> crossed = new ArrayList<>();
        List<String> refusedBy = new ArrayList<>();
        int replies = answer.path("replies").asInt();
        for (Map.Entry<String, JsonNode> d : deltas.entrySet()) {
            String node = d.getKey();
            JsonNode c = d.getValue();
            boolean isSource = node.equals(source);
            long rx = 0;
            long decapsulated = 0;
            Set<String> vx = vxlans.getOrDefault(node, Set.of());
            for (Iterator<Map.Entry<String, JsonNode>> it = c.path("rx").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> i = it.next();
                rx += i.getValue().asLong();
                decapsulated += vx.contains(i.getKey()) ? i.getValue().asLong() : 0;
            }
            long got = c.path(counter).asLong();
            if (e.proto() == Proto.UDP) {
                // the udp reply delivered to the probe's own socket is not a landing, nor is what a VXLAN device received
                got -= decapsulated + (isSource ? replies : 0);
            }
            if (got > 0) {
                landed.add(node);
            }
            if (!isSource && rx > 0) {
                crossed.add(node);
            }
            if (e.proto() != Proto.ICMP && c.path(e.proto() == Proto.UDP ? "noport" : "reset").asLong() > 0) {
                refusedBy.add(node);
            }
        }
        String verdict = answer.path("verdict").asText("error");
        String detail = answer.path("detail").asText();
        if (verdict.equals("silent") && e.proto() == Proto.UDP && !landed.isEmpty()) {
            verdict = "reached"; // delivered to a socket whose program did not reply
            detail = "delivered to a socket, no reply";
        }
        return new Probe(verdict, detail, landed, crossed, refusedBy);
    }
}
