package dev.topoc.live.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.topoc.backends.BackendOptions;
import dev.topoc.backends.ansible.MachineTarget;
import dev.topoc.backends.sim.Check;
import dev.topoc.backends.sim.DataPlane;
import dev.topoc.compiler.model.Expectation;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.model.NodeKind;
import dev.topoc.live.probe.LiveCheck.Probe;
import dev.topoc.live.probe.LiveCheck.Result;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code topoc check FILE --live} of a topology across machines: the same probes and the same reading of the counters
 * as {@link LiveCheck} on one host, run on the machines by the lab's {@code check.yml} (the Ansible backend writes it
 * beside {@code deploy.yml}, with {@code probe.py}).
 *
 * <p>{@link #plan} lists the probes (which machine, from which namespace, to which address: the one the simulator
 * aims at); {@link #vars} is the playbook's vars file. For each probe the play reads the counters of every namespace
 * of every machine (one step, all machines), then sends the probe from its machine (one step, that machine), and
 * after the last probe reads the counters once more: the linear strategy runs a step on every machine before any
 * machine starts the next, so probe K falls between readings K and K+1 on every machine, as between the two readings
 * on one host. Each step prints one line {@code topoc-probe JSON}; {@link #results} reads them back: the growth of
 * each counter between the two readings around a probe, per node, decides where it landed, whom it crossed and who
 * refused it, as on one host. A machine's own namespace ({@code "-"}: its {@code root} node) leaves out the packets
 * received on the interface holding the address the controller reaches it at (the playbook's ssh traffic).
 */
public final class MachineCheck {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The machine's own namespace, as probe.py names it. */
    public static final String OWN = "-";
    /** The start of each line a step of check.yml prints. */
    public static final String MARK = "topoc-probe ";

    /** A namespace on a machine: {@link #OWN} for the machine's own. */
    public record Place(String machine, String namespace) {}

    /**
     * One expectation and how it is asked: {@code source} null when it is not probed ({@code why} says why), else
     * the source's place and the address it aims at.
     */
    public record Planned(Check simulated, Place source, String address, String why) {
        public Expectation expectation() {
            return simulated.expectation();
        }
    }

    private final DataPlane plane;
    private final Map<String, Place> places = new LinkedHashMap<>();
    private final Map<Place, String> nodeOf = new HashMap<>();
    private final Map<String, Set<String>> vxlans = new LinkedHashMap<>();

    /** {@code parts}: each machine's part (its nodes, its root node), {@code options} how its namespaces are named. */
    public MachineCheck(DataPlane plane, List<MachineTarget> parts, BackendOptions options) {
        this.plane = plane;
        for (MachineTarget m : parts) {
            for (Node n : m.part().nodes()) {
                Place p = n.kind() == NodeKind.NETNS ? new Place(m.name(), options.namespace(n.name()))
                        : n.kind() == NodeKind.ROOT ? new Place(m.name(), OWN) : null;
                if (p != null && !places.containsKey(n.name()) && !nodeOf.containsKey(p)) {
                    places.put(n.name(), p);
                    nodeOf.put(p, n.name());
                }
            }
            vxlans.putAll(LiveCheck.vxlans(m.part().nodes()));
        }
    }

    /** Where each node of the lab is (the nodes the machines build, in their order). */
    public Map<String, Place> places() {
        return places;
    }

    /** Each expectation, in file order, with its probe. */
    public List<Planned> plan(List<Expectation> expectations) {
        List<Planned> out = new ArrayList<>();
        for (Expectation e : expectations) {
            Check sim = LiveCheck.simulate(plane, e);
            Place source = places.get(e.from());
            if (sim.trace() == null) {
                out.add(new Planned(sim, null, null, sim.message()));
            } else if (source == null) {
                out.add(new Planned(sim, null, null, LiveCheck.notInLab(e)));
            } else {
                out.add(new Planned(sim, source, sim.trace().address(), null));
            }
        }
        return out;
    }

    /** The probes of {@code planned} that run: those with a source. */
    public static List<Planned> probed(List<Planned> planned) {
        return planned.stream().filter(p -> p.source() != null).toList();
    }

    /** check.yml's vars file: {@code {"topoc_probes": [{host, source, proto, address, port, size, df}, …]}}. */
    public static String vars(List<Planned> planned) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("topoc_probes");
        for (Planned p : probed(planned)) {
            Expectation e = p.expectation();
            list.addObject().put("host", p.source().machine()).put("source", p.source().namespace())
                    .put("proto", e.proto().word()).put("address", p.address())
                    .put("port", e.port() == null ? 0 : e.port()).put("size", e.size()).put("df", e.df() ? 1 : 0);
        }
        return root.toString();
    }

    /**
     * Every expectation of {@code planned} judged from what the steps printed, per machine ({@code said}: the
     * {@code topoc-probe} lines, or the whole lines holding them).
     */
    public List<Result> results(List<Planned> planned, Map<String, List<String>> said) {
        Map<String, Map<Integer, JsonNode>> readings = new LinkedHashMap<>();
        Map<String, Map<Integer, JsonNode>> answers = new LinkedHashMap<>();
        for (var host : said.entrySet()) {
            for (String line : host.getValue()) {
                JsonNode j = parse(line);
                if (j == null || !j.has("k")) {
                    continue;
                }
                int k = j.get("k").asInt();
                (j.has("counters") ? readings : answers).computeIfAbsent(host.getKey(), h -> new HashMap<>()).put(k, j);
            }
        }
        List<Result> out = new ArrayList<>();
        int k = 0;
        for (Planned p : planned) {
            if (p.source() == null) {
                out.add(LiveCheck.unprobed(p.simulated(), p.why()));
                continue;
            }
            out.add(LiveCheck.judge(p.simulated(), probe(p, k, readings, answers)));
            k++;
        }
        return out;
    }

    /** The {@code k}-th probe, from its answer and the readings {@code k} and {@code k+1} of every machine. */
    private Probe probe(Planned p, int k, Map<String, Map<Integer, JsonNode>> readings, Map<String, Map<Integer, JsonNode>> answers) {
        String machine = p.source().machine();
        JsonNode answer = answers.getOrDefault(machine, Map.of()).get(k);
        if (answer == null) {
            return LiveCheck.error("machine " + machine + " printed no answer for probe " + k);
        }
        Map<Place, JsonNode> grew = new HashMap<>();
        for (var host : readings.entrySet()) {
            JsonNode before = host.getValue().get(k);
            JsonNode after = host.getValue().get(k + 1);
            for (JsonNode r : new JsonNode[] {before, after}) {
                if (r == null) {
                    return LiveCheck.error("machine " + host.getKey() + " printed no counters around probe " + k);
                }
                if (r.has("error")) {
                    return LiveCheck.error("machine " + host.getKey() + " could not read its counters: " + r.get("error").asText());
                }
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = after.path("counters").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> ns = it.next();
                grew.put(new Place(host.getKey(), ns.getKey()), delta(ns.getValue(), before.path("counters").path(ns.getKey())));
            }
        }
        for (String m : places.values().stream().map(Place::machine).distinct().toList()) {
            if (!readings.containsKey(m)) {
                return LiveCheck.error("machine " + m + " printed no counters");
            }
        }
        Map<String, JsonNode> deltas = new LinkedHashMap<>();
        places.forEach((node, place) -> {
            JsonNode d = grew.get(place);
            if (d != null) {
                deltas.put(node, d);
            }
        });
        return LiveCheck.interpret(p.expectation(), nodeOf.get(p.source()), answer, deltas, vxlans);
    }

    /** {@code after − before}, counter by counter; {@code rx} interface by interface (one that appeared counts from 0). */
    static JsonNode delta(JsonNode after, JsonNode before) {
        ObjectNode out = JSON.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = after.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> c = it.next();
            if (c.getKey().equals("rx")) {
                ObjectNode rx = out.putObject("rx");
                for (Iterator<Map.Entry<String, JsonNode>> i = c.getValue().fields(); i.hasNext(); ) {
                    Map.Entry<String, JsonNode> f = i.next();
                    rx.put(f.getKey(), f.getValue().asLong() - before.path("rx").path(f.getKey()).asLong(0));
                }
            } else {
                out.put(c.getKey(), c.getValue().asLong() - before.path(c.getKey()).asLong(0));
            }
        }
        return out;
    }

    /** The JSON of one line: the text after {@link #MARK}, or null. */
    private static JsonNode parse(String line) {
        int at = line.indexOf(MARK);
        if (at < 0) {
            return null;
        }
        try {
            JsonNode j = JSON.readTree(line.substring(at + MARK.length()).strip());
            return j != null && j.isObject() ? j : null;
        } catch (IOException e) {
            return null;
        }
    }
}
