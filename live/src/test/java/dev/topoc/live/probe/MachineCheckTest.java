package dev.topoc.live.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.topoc.backends.BackendOptions;
import dev.topoc.backends.ansible.MachineTarget;
import dev.topoc.backends.sim.DataPlane;
import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.Compiler;
import dev.topoc.compiler.machines.Stitching;
import dev.topoc.compiler.machines.Tunnel;
import dev.topoc.compiler.syntax.SourceFile;
import dev.topoc.live.probe.LiveCheck.Result;
import dev.topoc.live.probe.MachineCheck.Place;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * How {@code check --live} of a topology across machines asks and reads its probes, without machines: the vars file
 * check.yml gets, and the judgement of the lines its steps print (the counters of every machine's namespaces around
 * each probe, then the probe's own answer), in the shape probe.py prints them. The real playbook over real ssh runs
 * in the cli's MachinesLiveTest.
 */
class MachineCheckTest {
    static final ObjectMapper JSON = new ObjectMapper();

    /** a on hv1 reaches d, also on hv1, through the router b on hv2: both links cross the machines. */
    static final String LAB = """
            topology mlive
            machine hv1 { ssh 192.0.2.11  underlay 198.18.0.1 }
            machine hv2 { ssh 192.0.2.12  underlay 198.18.0.2 }
            node a { machine hv1  iface eth0 { address 10.9.0.1/24 }  route 10.9.3.0/24 via 10.9.0.2 }
            node b { machine hv2  forwarding  iface eth0 { address 10.9.0.2/24 }  iface eth3 { address 10.9.3.1/24 } }
            node d { machine hv1  iface eth0 { address 10.9.3.2/24 }  route default via 10.9.3.1  listen udp 53 }
            link a:eth0 -- b:eth0
            link b:eth3 -- d:eth0
            expect a -> b reach
            expect a -> d udp 53 reach via b lands d
            expect d -> 10.9.0.1 icmp size 1400 df reach
            """;

    private final Compilation c = compile();
    private final List<MachineTarget> parts = Stitching.of(c.model()).parts().stream().map(p -> new MachineTarget(
            p.machine().name(), p.machine().span(), p.machine().ssh(), p.machine().underlay().orElseThrow().toCanonicalString(),
            p.topology())).toList();
    private final MachineCheck check = new MachineCheck(DataPlane.of(c.model()), parts, new BackendOptions("p-", true));

    private static Compilation compile() {
        Compilation c = Compiler.compile(new SourceFile("mlive.topo", LAB));
        assertTrue(c.ok(), () -> c.diagnostics().all().toString());
        return c;
    }

    @Test
    void eachNodeIsPlacedOnItsMachineInItsNamespaceAndEachRootIsTheMachinesOwn() {
        Map<String, Place> p = check.places();
        assertEquals(new Place("hv1", "p-a"), p.get("a"));
        assertEquals(new Place("hv2", "p-b"), p.get("b"));
        assertEquals(new Place("hv1", "p-d"), p.get("d"));
        assertEquals(new Place("hv1", "-"), p.get("hv1"));
        assertEquals(new Place("hv2", "-"), p.get("hv2"));
        assertEquals(5, p.size(), p::toString);
    }

    @Test
    void theVarsFileNamesEachProbesMachineSourceAndTheAddressTheSimulatorAimsAt() throws Exception {
        JsonNode v = JSON.readTree(MachineCheck.vars(check.plan(c.model().expectations())));
        JsonNode probes = v.get("topoc_probes");
        assertEquals(3, probes.size(), v::toString);
        assertEquals(JSON.readTree("""
                {"host":"hv1","source":"p-a","proto":"icmp","address":"10.9.0.2","port":0,"size":56,"df":0}"""), probes.get(0));
        assertEquals(JSON.readTree("""
                {"host":"hv1","source":"p-a","proto":"udp","address":"10.9.3.2","port":53,"size":56,"df":0}"""), probes.get(1));
        assertEquals(JSON.readTree("""
                {"host":"hv1","source":"p-d","proto":"icmp","address":"10.9.0.1","port":0,"size":1400,"df":1}"""), probes.get(2));
    }

    // ---- what the steps printed -----------------------------------------------------------------------------------

    /** The VXLAN devices of hv1 and hv2 that carry a -- b and b -- d. */
    private List<String> vxlans() {
        List<String> out = new ArrayList<>();
        for (Tunnel t : Stitching.tunnels(c.model())) {
            out.add(t.vxlan());
        }
        return out;
    }

    /** One namespace's counters: {@code rx} as interface → packets. */
    private static Map<String, Object> ns(long echo, long accept, long delivered, long reset, long noport, Map<String, Long> rx) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("echo", echo);
        m.put("accept", accept);
        m.put("delivered", delivered);
        m.put("reset", reset);
        m.put("noport", noport);
        m.put("forwarded", 0);
        m.put("rx", rx);
        return m;
    }

    private static String reading(int k, Map<String, Object> counters) throws Exception {
        return "topoc-probe " + JSON.writeValueAsString(Map.of("k", k, "counters", counters));
    }

    private static String answer(int k, String verdict, String detail, int replies) throws Exception {
        return "topoc-probe " + JSON.writeValueAsString(Map.of("k", k, "verdict", verdict, "detail", detail, "replies", replies));
    }

    /**
     * Three readings on each machine around two probes (a -> b: b answers the echo; a -> d udp: d delivers it and the
     * reply comes back to a's socket), the VXLAN devices of each machine's own namespace receiving what crosses; then
     * {@code extra}: more lines for hv1.
     */
    private Map<String, List<String>> said(long hv2OwnDeliveredInProbe1, String... extra) throws Exception {
        String vx1 = vxlans().get(0);
        String vx2 = vxlans().get(1);
        Map<String, List<String>> said = new LinkedHashMap<>();
        List<String> hv1 = new ArrayList<>();
        hv1.add(reading(0, Map.of("-", ns(0, 7, 10, 0, 0, Map.of("underlay0", 500L, vx1, 0L, vx2, 0L)),
                "p-a", ns(0, 0, 0, 0, 0, Map.of("eth0", 0L)), "p-d", ns(0, 0, 0, 0, 0, Map.of("eth0", 0L)))));
        // probe 0: the two echo replies come back through hv1's own namespace (vx1: 2 decapsulated = 2 udp datagrams)
        hv1.add(answer(0, "reached", "2 received", 0));
        hv1.add(reading(1, Map.of("-", ns(0, 7, 12, 0, 0, Map.of("underlay0", 520L, vx1, 2L, vx2, 0L)),
                "p-a", ns(0, 0, 0, 0, 0, Map.of("eth0", 2L)), "p-d", ns(0, 0, 0, 0, 0, Map.of("eth0", 0L)))));
        // probe 1: the datagram reaches d through vx2, its reply reaches a through vx1 (and a's socket)
        hv1.add(answer(1, "reached", "answered \"d\"", 1));
        hv1.add(reading(2, Map.of("-", ns(0, 7, 14, 0, 0, Map.of("underlay0", 540L, vx1, 3L, vx2, 1L)),
                "p-a", ns(0, 0, 1, 0, 0, Map.of("eth0", 3L)), "p-d", ns(0, 0, 1, 0, 0, Map.of("eth0", 1L)))));
        hv1.addAll(List.of(extra));
        List<String> hv2 = new ArrayList<>();
        hv2.add(reading(0, Map.of("-", ns(0, 7, 30, 0, 0, Map.of("underlay0", 300L, vx1, 0L, vx2, 0L)),
                "p-b", ns(0, 0, 0, 0, 0, Map.of("eth0", 0L, "eth3", 0L)))));
        hv2.add(reading(1, Map.of("-", ns(0, 7, 32, 0, 0, Map.of("underlay0", 320L, vx1, 2L, vx2, 0L)),
                "p-b", ns(2, 0, 0, 0, 0, Map.of("eth0", 2L, "eth3", 0L)))));
        hv2.add(reading(2, Map.of("-", ns(0, 7, 32 + hv2OwnDeliveredInProbe1, 0, 0, Map.of("underlay0", 340L, vx1, 3L, vx2, 1L)),
                "p-b", ns(2, 0, 0, 0, 0, Map.of("eth0", 3L, "eth3", 1L)))));
        said.put("hv1", hv1);
        said.put("hv2", hv2);
        return said;
    }

    @Test
    void eachProbeIsJudgedFromTheCountersOfEveryMachineAroundIt() throws Exception {
        List<MachineCheck.Planned> planned = check.plan(c.model().expectations().subList(0, 2));
        List<Result> r = check.results(planned, said(2));
        Result ping = r.get(0);
        assertTrue(ping.holds(), ping.message());
        assertEquals(List.of("b"), ping.live().landed());
        assertEquals(Set.of("hv1", "hv2", "b"), Set.copyOf(ping.live().crossed()), "the source a is not crossed; d received nothing");
        Result udp = r.get(1);
        assertTrue(udp.holds(), udp.message());
        // a's own reply and the datagrams the VXLAN devices decapsulated (the machines' own udp counters) are no landing
        assertEquals(List.of("d"), udp.live().landed());
        assertTrue(udp.live().crossed().contains("b"), udp.live().crossed()::toString);
        assertNull(udp.disagreement());
        assertEquals("reaches, lands on d (answered \"d\")", udp.live().text());
    }

    @Test
    void aDatagramDeliveredInAMachinesOwnNamespaceBeyondWhatItsTunnelsCarriedIsALanding() throws Exception {
        List<MachineCheck.Planned> planned = check.plan(c.model().expectations().subList(0, 2));
        Result udp = check.results(planned, said(3)).get(1);
        assertEquals(List.of("d", "hv2"), udp.live().landed());
        assertFalse(udp.holds());
        assertEquals("expected to land on d, but it lands on d and hv2", udp.message());
    }

    @Test
    void aProbeWithoutItsAnswerOrAReadingCouldNotBeProbedAndTheOthersStand() throws Exception {
        List<MachineCheck.Planned> planned = check.plan(c.model().expectations());
        // the third probe (from d, k 2) printed nothing, nor the reading after it
        List<Result> r = check.results(planned, said(2));
        assertTrue(r.get(0).holds() && r.get(1).holds());
        assertFalse(r.get(2).holds());
        assertEquals("expected to reach, got: could not probe (machine hv1 printed no answer for probe 2)", r.get(2).message());
        // its answer, and still no reading 3
        r = check.results(planned, said(2, answer(2, "reached", "2 received", 0)));
        assertEquals("expected to reach, got: could not probe (machine hv1 printed no counters around probe 2)",
                r.get(2).message());
        assertNull(r.get(2).disagreement(), "a probe that did not run does not disagree with the simulator");
    }

    @Test
    void aNamespaceThatCouldNotBeReadMakesItsProbesUnprobed() throws Exception {
        List<MachineCheck.Planned> planned = check.plan(c.model().expectations().subList(0, 2));
        Map<String, List<String>> said = said(2);
        said.get("hv2").set(2, "topoc-probe {\"k\": 2, \"counters\": {}, \"error\": \"ENOENT (No such file or directory)\"}");
        List<Result> r = check.results(planned, said);
        assertTrue(r.get(0).holds());
        assertEquals("expected to reach, got: could not probe (machine hv2 could not read its counters: ENOENT (No such "
                + "file or directory))", r.get(1).message());
    }
}
