package dev.topoc.live.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.topoc.backends.sim.Check;
import dev.topoc.backends.sim.CheckQuestion;
import dev.topoc.backends.sim.DataPlane;
import dev.topoc.compiler.model.Expectation;
import dev.topoc.compiler.model.Proto;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code topoc check FILE --live}: every {@code expect} asked of the running lab for real, beside the simulator's
 * answer.
 *
 * <p>One probe per expectation, in file order, each a small python3 program ({@code probe.py}, beside this class)
 * run as root from the default namespace: it enters the source node's namespace ({@code setns}), where icmp is
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
 * socket that does not reply counts as reached (the simulator's udp reach is the same: something listens there).
 */
public final class LiveCheck {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCRIPT = resource("probe.py");
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

    /** {@code namespaces}: node → namespace, {@code ""} for a node in the default namespace (the lab record's map). */
    public LiveCheck(DataPlane plane, Map<String, String> namespaces) {
        this.plane = plane;
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
        Check sim = plane.ask(new CheckQuestion(List.of(e))).checks().get(0);
        if (sim.trace() == null) {
            return new Result(sim, null, false, null, sim.message());
        }
        String source = spaces.get(e.from());
        if (source == null) {
            return new Result(sim, null, false, null, "node " + e.from() + " is not part of the running lab");
        }
        Probe p = probe(e, source, sim.trace().address());
        boolean holds = p.reached() == e.reach();
        List<String> problems = new ArrayList<>();
        if (!holds) {
            problems.add(e.reach() ? "expected to reach, but it is " + p.text() : "expected no reach, but it " + p.text());
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
            return new Probe("error", "cannot run python3: " + ex.getMessage(), List.of(), List.of(), List.of());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return new Probe("error", "interrupted", List.of(), List.of(), List.of());
        }
        JsonNode j;
        try {
            j = JSON.readTree(out.lines().reduce((a, b) -> b).orElse(""));
        } catch (IOException ex) {
            return new Probe("error", "the probe said: " + out, List.of(), List.of(), List.of());
        }
        if (j == null || !j.has("verdict")) {
            return new Probe("error", "the probe said: " + out, List.of(), List.of(), List.of());
        }
        String counter = e.proto() == Proto.ICMP ? "echo" : e.proto() == Proto.TCP ? "accept" : "delivered";
        List<String> landed = new ArrayList<>();
        List<String> crossed = new ArrayList<>();
        List<String> refusedBy = new ArrayList<>();
        int replies = j.path("replies").asInt();
        for (Iterator<Map.Entry<String, JsonNode>> it = j.path("deltas").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> d = it.next();
            String node = nodeOfSpace.get(d.getKey());
            JsonNode c = d.getValue();
            boolean isSource = d.getKey().equals(source);
            // the udp reply delivered to the probe's own socket is not a landing
            int got = c.path(counter).asInt() - (isSource && e.proto() == Proto.UDP ? replies : 0);
            if (got > 0) {
                landed.add(node);
            }
            if (!isSource && c.path("rx").asInt() > 0) {
                crossed.add(node);
            }
            if (c.path(e.proto() == Proto.UDP ? "noport" : "reset").asInt() > 0 && e.proto() != Proto.ICMP) {
                refusedBy.add(node);
            }
        }
        String verdict = j.get("verdict").asText();
        String detail = j.path("detail").asText();
        if (verdict.equals("silent") && e.proto() == Proto.UDP && !landed.isEmpty()) {
            verdict = "reached"; // delivered to a socket whose program did not reply
            detail = "delivered to a socket, no reply";
        }
        return new Probe(verdict, detail, landed, crossed, refusedBy);
    }

    private static String resource(String name) {
        try (InputStream in = LiveCheck.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
