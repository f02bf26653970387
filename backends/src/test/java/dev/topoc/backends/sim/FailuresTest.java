package dev.topoc.backends.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.Compiler;
import dev.topoc.compiler.model.IfRef;
import dev.topoc.compiler.model.Proto;
import dev.topoc.compiler.model.Topology;
import dev.topoc.compiler.syntax.SourceFile;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What-if failures: a link down is carrier down on both ends, a node down has no interfaces (docs/simulator.md). */
class FailuresTest {
    /** a -- b -- c, and a spare cable a -- c that the routes do not use; c also has a less specific route via d. */
    static final String TRIANGLE = """
            topology triangle
            node a { iface eth0 { address 10.0.1.1/24 }  iface spare { address 10.0.9.1/24 }  route default via 10.0.1.2 }
            node b { forwarding  iface eth0 { address 10.0.1.2/24 }  iface eth1 { address 10.0.2.2/24 }  route default via 10.0.2.3 }
            node c {
              forwarding
              iface eth0 { address 10.0.2.3/24 }
              iface spare { address 10.0.9.3/24 }
              iface eth1 { address 10.0.3.3/24 }
              route 10.0.1.0/24 via 10.0.2.2
              route default via 10.0.3.4
            }
            node d { iface eth0 { address 10.0.3.4/24 }  route default via 10.0.3.3 }
            link a:eth0 -- b:eth0
            link b:eth1 -- c:eth0
            link a:spare -- c:spare
            link c:eth1 -- d:eth0
            expect a -> 10.0.2.3 reach via b
            expect d -> 10.0.1.1 reach
            expect a -> 10.0.9.3 reach
            """;

    static Topology model(String dsl) {
        Compilation c = Compiler.compile(new SourceFile("t.topo", dsl));
        assertTrue(c.ok(), c.diagnostics().all().toString());
        return c.model();
    }

    static DataPlane with(String dsl, String... down) {
        return DataPlane.of(model(dsl), Failures.parse(List.of(down)));
    }

    @Test
    void aLinkDownLosesWhatIsSentThereAndTheRouteViaItIsStillChosen() {
        DataPlane f = with(TRIANGLE, "b:eth1");
        // c's route 10.0.1.0/24 via b stays (linkdown) and wins over the default via d, as in the kernel
        Trace t = SemanticsTest.noReach(f, "c", "10.0.1.1", "c:eth0 has no carrier: link b:eth1 -- c:eth0 is down");
        assertTrue(t.hops().stream().noneMatch(h -> h.node().equals("d")), t.hops().toString());
        SemanticsTest.noReach(f, "a", "10.0.2.3", "b:eth1 has no carrier");
        SemanticsTest.reaches(f, "a", "10.0.9.3"); // the spare cable is up
    }

    @Test
    void eitherEndNamesTheSameLink() {
        Topology m = model(TRIANGLE);
        for (String end : List.of("b:eth1", "c:eth0")) {
            DataPlane f = DataPlane.of(m, Failures.parse(List.of(end)));
            assertFalse(f.ask(PingQuestion.of(f, "a", "10.0.2.3", Proto.ICMP, null)).reaches(), end);
            assertTrue(f.ask(PingQuestion.of(f, "a", "10.0.1.2", Proto.ICMP, null)).reaches(), end);
        }
    }

    @Test
    void addressesOnACarrierDownInterfaceStayLocal() {
        // b's address on the dead cable is still b's: a pings it across a:eth0 -- b:eth0
        SemanticsTest.reaches(with(TRIANGLE, "c:eth0"), "a", "10.0.2.2");
    }

    @Test
    void aNodeDownHasNoInterfacesAndItsNeighboursLoseTheirCarrier() {
        DataPlane f = with(TRIANGLE, "b");
        SemanticsTest.noReach(f, "a", "10.0.2.3", "a:eth0 has no carrier: node b is down");
        SemanticsTest.noReach(f, "a", "10.0.1.2", "no carrier");
        SemanticsTest.reaches(f, "a", "10.0.9.3");
        SemanticsTest.reaches(f, "d", "10.0.2.3"); // c's address on the cable to b is still c's
    }

    @Test
    void unknownNamesAreRefusedWithTheKnownOnes() {
        Topology m = model(TRIANGLE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DataPlane.of(m, Failures.parse(List.of("b:eht1"))));
        assertTrue(e.getMessage().contains("did you mean `b:eth1`?") && e.getMessage().contains("a:spare"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DataPlane.of(m, Failures.parse(List.of("bb"))));
        assertTrue(e.getMessage().contains("no node `bb`; did you mean `b`?") && e.getMessage().contains("known: a, b, c, d"),
                e.getMessage());
        // lo is no link end
        e = assertThrows(IllegalArgumentException.class, () -> DataPlane.of(m, Failures.parse(List.of("a:lo"))));
        assertTrue(e.getMessage().contains("no link end `a:lo`"), e.getMessage());
    }

    @Test
    void linksAreListedOnceAsWritten() {
        assertEquals(List.of(new IfRef("a", "eth0"), new IfRef("b", "eth1"), new IfRef("a", "spare"), new IfRef("c", "eth1")),
                List.copyOf(DataPlane.of(model(TRIANGLE)).links().keySet()));
    }

    @Test
    void resilienceNamesTheFailuresThatBreakEachExpectation() {
        Topology m = model(TRIANGLE);
        DataPlane whole = DataPlane.of(m);
        ResilienceQuestion.Report r = whole.ask(new ResilienceQuestion(m.expectations()));
        assertEquals(0, r.baseline().failed());
        assertEquals(4 + 4, r.scenarios().size());
        java.util.Map<String, List<Integer>> broken = new java.util.LinkedHashMap<>();
        for (ResilienceQuestion.Scenario s : r.scenarios()) {
            broken.put(s.description(), s.broken().stream().map(k -> k.expectation().span().line()).toList());
        }
        // expect lines: 17 a -> 10.0.2.3 via b, 18 d -> a, 19 a -> c's spare address
        assertEquals(List.of(17, 18), broken.get("link a:eth0 -- b:eth0"));
        assertEquals(List.of(17, 18), broken.get("link b:eth1 -- c:eth0"));
        assertEquals(List.of(19), broken.get("link a:spare -- c:spare"));
        assertEquals(List.of(18), broken.get("link c:eth1 -- d:eth0"));
        assertEquals(List.of(18), broken.get("node a"));   // a's own expectations are not asked
        assertEquals(List.of(17, 18), broken.get("node b"));
        assertEquals(List.of(17, 18, 19), broken.get("node c"));
        assertEquals(List.of(), broken.get("node d"));
        assertEquals(2, r.scenarios().stream().filter(s -> s.description().equals("node d")).findFirst().orElseThrow()
                .report().checks().size());
        assertFalse(r.resilient());
    }

    @Test
    void aFailureLeavesTheMatrixComputedByClassesEqualToOneWalkPerPair() {
        Topology m = model(TRIANGLE);
        for (String down : List.of("a:eth0", "b:eth1", "a:spare", "c:eth1", "a", "b", "c", "d")) {
            MatrixTest.sameAsPerPair(DataPlane.of(m, Failures.parse(List.of(down))));
        }
    }
}
