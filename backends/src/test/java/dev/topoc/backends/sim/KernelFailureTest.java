package dev.topoc.backends.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.topoc.backends.lab.Lab;
import dev.topoc.backends.lab.Probes;
import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.Compiler;
import dev.topoc.compiler.model.IfRef;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.model.Proto;
import dev.topoc.compiler.syntax.SourceFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What-if failures against the kernel. First the fact the model rests on, measured: when a veth's peer goes down,
 * its routes stay (flagged {@code linkdown}) and are still chosen ({@code ignore_routes_with_linkdown} 0), so
 * packets are lost there rather than taking a less specific route. Then random topologies ({@link ConnectedGen},
 * fixed seed) with one random link or node down, every answer compared with {@code DataPlane.of(model, failure)}.
 */
class KernelFailureTest {
    private static final String CHAIN = """
            topology chain
            node a { iface eth0 { address 10.0.1.1/24 }  route default via 10.0.1.2 }
            node b { forwarding  iface eth0 { address 10.0.1.2/24 }  iface eth1 { address 10.0.2.2/24 } }
            node c {
              iface eth0 { address 10.0.2.3/24 }
              iface eth1 { address 10.0.3.3/24 }
              route 10.0.1.0/24 via 10.0.2.2
              route default via 10.0.3.4
            }
            node d { forwarding  iface eth0 { address 10.0.3.4/24 }  iface eth1 { address 10.0.1.4/24 } }
            link a:eth0 -- b:eth0
            link b:eth1 -- c:eth0
            link c:eth1 -- d:eth0
            """;

    @Test
    void aRouteThroughACarrierDownInterfaceIsStillChosenAndItsPacketsAreLost() throws Exception {
        Lab.assumeMachine();
        assumeTrue(Lab.onPath("ping"), "needs ping");
        Compilation comp = Compiler.compile(new SourceFile("chain.topo", CHAIN));
        assertTrue(comp.ok(), comp.diagnostics().all().toString());
        try (Lab lab = Lab.of("chain.topo", CHAIN)) {
            assertEquals(0, lab.apply("-q").code());
            String c = lab.namespace("c");
            assertTrue(Probes.ping(lab, "c", "10.0.1.1").reached(), "before: c reaches a through b");
            // pull the cable at b's end: c:eth0 has no carrier
            assertEquals(0, Lab.run(Map.of(), 10, "ip", "-n", lab.namespace("b"), "link", "set", "dev", "eth1", "down").code());
            Thread.sleep(300);
            String link = Lab.run(Map.of(), 10, "ip", "-n", c, "link", "show", "dev", "eth0").out();
            assertTrue(link.contains("NO-CARRIER"), link);
            String routes = Lab.run(Map.of(), 10, "ip", "-n", c, "route", "show", "10.0.1.0/24").out();
            assertTrue(routes.contains("via 10.0.2.2") && routes.contains("linkdown"), routes);
            String chosen = Lab.run(Map.of(), 10, "ip", "-n", c, "route", "get", "10.0.1.1").out();
            assertTrue(chosen.contains("via 10.0.2.2 dev eth0"), "the linkdown route is still chosen, not the default: " + chosen);
            assertFalse(Probes.ping(lab, "c", "10.0.1.1").reached(), "lost at c:eth0");
            assertEquals(0, lab.destroy().code());
        }
        DataPlane failed = DataPlane.of(comp.model(), Failures.parse(List.of("b:eth1")));
        Trace t = failed.ask(PingQuestion.of(failed, "c", "10.0.1.1", Proto.ICMP, null));
        assertFalse(t.reaches());
        assertTrue(t.reason().contains("c:eth0 has no carrier"), t.reason());
    }

    @Test
    void randomSingleFailuresAgreeWithTheKernel() throws Exception {
        Lab.assumeMachine();
        assumeTrue(Lab.onPath("ping"), "needs ping (iputils-ping, installed by .ci/run)");
        Random random = new Random(20261201L);
        int built = 0;
        List<String> failures = new ArrayList<>();
        for (int k = 0; k < 8; k++) {
            long seed = random.nextLong();
            String text = ConnectedGen.generate(new Random(seed));
            Compilation c = Compiler.compile(new SourceFile("gen.topo", text));
            assertTrue(c.ok(), () -> c.diagnostics().all() + "\n" + text);
            if (!Lab.missingFeatures(c.model()).isEmpty()) {
                continue;
            }
            DataPlane whole = DataPlane.of(c.model());
            List<IfRef> links = List.copyOf(whole.links().keySet());
            List<Node> nodes = c.model().nodes();
            boolean node = links.isEmpty() || random.nextInt(3) == 0;
            Failures f;
            String down;
            if (node) {
                down = nodes.get(random.nextInt(nodes.size())).name();
                f = Failures.node(down);
            } else {
                IfRef end = links.get(random.nextInt(links.size()));
                down = end.toString();
                f = Failures.link(end);
            }
            DataPlane plane = DataPlane.of(c.model(), f);
            String silent = node ? down : null;
            List<Agreement.Question> questions = Agreement.questions(c.model(), plane).stream()
                    .filter(q -> !q.from().equals(silent)).toList();
            IfRef end = node ? null : f.links().iterator().next();
            IfRef other = node ? null : whole.links().get(end);
            Agreement.Report report;
            try (Lab lab = Lab.of("gen.topo", text)) {
                report = Agreement.run(lab, plane, questions, Map.of(), true, l -> {
                    if (silent != null) {
                        nodeDown(l, c.model().node(silent).orElseThrow());
                    } else {
                        cablePulled(l, end);
                        cablePulled(l, other);
                    }
                }, silent == null ? Set.of() : Set.of(silent));
            }
            built++;
            failures.add(f.toString());
            assertTrue(report.disagreements().isEmpty(), () -> report.disagreements().size() + " of " + report.asked()
                    + " answers differ with " + f + " down (seed " + seed + ")\n  " + String.join("\n  ", report.disagreements())
                    + "\n--- topology\n" + text);
        }
        assertTrue(built >= 4, "too few topologies this kernel can build: " + built + " (" + failures + ")");
    }

    /**
     * A cable pulled at {@code end}: nothing arrives there. The kernel's carrier-down state differs from this
     * only in flags: its routes stay and are chosen (the measurement above), as they are here. A veth cannot lose
     * its carrier on both ends at once (taking one end down is an admin-down, not a carrier loss, at that end).
     */
    private static void cablePulled(Lab lab, IfRef end) throws Exception {
        Path rules = Files.createTempFile("topoc-fail", ".nft");
        try {
            Files.writeString(rules, "table netdev topoc_fail {\n  chain in_" + end.iface().replaceAll("[^A-Za-z0-9_]", "_")
                    + " { type filter hook ingress device \"" + end.iface() + "\" priority -500; policy drop; }\n}\n");
            Lab.Result r = Lab.run(Map.of(), 10, "ip", "netns", "exec", lab.namespace(end.node()), "nft", "-f", rules.toString());
            assertEquals(0, r.code(), r.toString());
        } finally {
            Files.deleteIfExists(rules);
        }
    }

    /** A node down: every interface of its namespace down; the ends cabled to it lose their carrier. */
    private static void nodeDown(Lab lab, Node n) {
        for (Interface i : n.interfaces()) {
            Lab.Result r = Lab.run(Map.of(), 10, "ip", "-n", lab.namespace(n.name()), "link", "set", "dev", i.name(), "down");
            assertEquals(0, r.code(), r.toString());
        }
    }
}
