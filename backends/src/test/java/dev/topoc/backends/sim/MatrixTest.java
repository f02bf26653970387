package dev.topoc.backends.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The matrix computed once per class of equivalent hosts equals the matrix of one walk per pair. */
class MatrixTest {
    static java.util.stream.Stream<Path> samples() throws IOException {
        return SampleExpectationsTest.samples().filter(p -> !p.getFileName().toString().startsWith("star-"));
    }

    static void sameAsPerPair(DataPlane f) {
        sameAsPerPair(f, null);
    }

    static void sameAsPerPair(DataPlane f, Integer family) {
        Matrix byClass = f.ask(new MatrixQuestion(true, family));
        Matrix perPair = f.ask(new MatrixQuestion(false, family));
        assertEquals(perPair.nodes(), byClass.nodes());
        for (int i = 0; i < perPair.reach().length; i++) {
            assertArrayEquals(perPair.reach()[i], byClass.reach()[i], "row " + perPair.nodes().get(i));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void classesAgreeWithPerPairWalksOnEverySample(Path sample) throws IOException {
        sameAsPerPair(SampleExpectationsTest.plane(sample));
    }

    /** The IPv6 matrix ({@code simulate --matrix --family 6}) of every sample, dual-stack ones above all. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void classesAgreeWithPerPairWalksForIpv6(Path sample) throws IOException {
        sameAsPerPair(SampleExpectationsTest.plane(sample), 6);
    }

    /** A node whose only IPv6 address is link-local reaches nothing beyond its router (beyond scope), memoised or not. */
    @Test
    void aLinkLocalSenderIsNotForwardedInTheMatrixEither() {
        DataPlane f = SemanticsTest.plane("""
                node a { iface e0 { address fe80::2/64 }  route default via fe80::1 dev e0 }
                node r1 { forwarding  iface e1 { address fd00:9::1/64 }  iface e0 { address fd00:1::1/64 fe80::1/64 } }
                node z { iface e0 { address fd00:9::2/64 }  route default via fd00:9::1 }
                link a:e0 -- r1:e0
                link r1:e1 -- z:e0
                """);
        // measured: a reaches r1's fd00:9::1 and fd00:1::1 (delivered there, answered on the link), not z
        Matrix m = f.ask(new MatrixQuestion(true, 6));
        int a = m.nodes().indexOf("a");
        assertTrue(m.reach()[a][m.nodes().indexOf("r1")], "a reaches r1");
        assertFalse(m.reach()[a][m.nodes().indexOf("z")], "a reaches z");
        sameAsPerPair(f, 6);
    }

    static final String STAR = """
            node sw { bridge br0 { address 10.200.0.1/16  subnet 10.200.0.0/16 }  iface p[1..12] { master br0 }  %s }
            node h[1..12] { iface eth0 { address auto }  route default via 10.200.0.1 }
            link h[1..12]:eth0 -- sw:p[1..12]
            """;

    @Test
    void aStarIsOneClassAndEveryoneReachesEveryone() {
        DataPlane f = SemanticsTest.plane(STAR.formatted(""));
        assertEquals(2, HostClasses.of(f, java.util.List.copyOf(allNodes(f))).size());
        Matrix m = f.ask(new MatrixQuestion());
        assertEquals(13 * 12, m.reachable());
        sameAsPerPair(f);
    }

    @Test
    void aPrefixThatSplitsTheHostsSplitsTheClass() {
        DataPlane f = SemanticsTest.plane(STAR.formatted("firewall input policy accept { drop from 10.200.0.5/32 }"));
        assertTrue(HostClasses.of(f, java.util.List.copyOf(allNodes(f))).size() > 2);
        Matrix m = f.ask(new MatrixQuestion());
        int h4 = m.nodes().indexOf("h4");
        int sw = m.nodes().indexOf("sw");
        assertEquals("10.200.0.5", m.addresses().get(h4));
        assertFalse(m.reach()[h4][sw]);
        assertTrue(m.reach()[h4][m.nodes().indexOf("h5")]);
        sameAsPerPair(f);
    }

    /** bench/gen-fabric.py's trees and leaf-spine fabrics: no two nodes alike, so every pair is a memoised walk. */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"tree 4", "tree 6", "leafspine 2 3 3", "leafspine 3 4 2"})
    void memoisedWalksAgreeWithPerPairWalksOnGeneratedFabrics(String args) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.topoc.backends.lab.Lab.onPath("python3"), "needs python3");
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("python3", "../bench/gen-fabric.py"));
        cmd.addAll(java.util.List.of(args.split(" ")));
        dev.topoc.backends.lab.Lab.Result r = dev.topoc.backends.lab.Lab.run(java.util.Map.of(), 60, cmd.toArray(String[]::new));
        assertEquals(0, r.code(), r.toString());
        DataPlane f = SemanticsTest.plane(r.out());
        sameAsPerPair(f);
        Matrix m = f.ask(new MatrixQuestion());
        if (args.startsWith("tree")) {
            assertEquals(m.pairs(), m.reachable(), "every pair of a tree reaches");
        }
        // one link and one node down: a dead end in the memos
        java.util.List<dev.topoc.compiler.model.IfRef> links = java.util.List.copyOf(f.links().keySet());
        sameAsPerPair(DataPlane.of(f.topology(), Failures.link(links.get(links.size() / 2))));
        sameAsPerPair(DataPlane.of(f.topology(), Failures.node(f.topology().nodes().get(1).name())));
    }

    /** Random topologies (hosts, routers, bridges, macvlan, VXLAN, NAT, filters), with and without a random failure. */
    @net.jqwik.api.Property(tries = 150, seed = "20261201")
    void memoisedWalksAgreeWithPerPairWalksOnRandomTopologies(@net.jqwik.api.ForAll long seed) {
        java.util.Random random = new java.util.Random(seed);
        DataPlane f = SemanticsTest.plane(ConnectedGen.generate(random));
        sameAsPerPair(f);
        java.util.List<dev.topoc.compiler.model.IfRef> links = java.util.List.copyOf(f.links().keySet());
        if (!links.isEmpty()) {
            sameAsPerPair(DataPlane.of(f.topology(), Failures.link(links.get(random.nextInt(links.size())))));
        }
        java.util.List<dev.topoc.compiler.model.Node> nodes = f.topology().nodes();
        sameAsPerPair(DataPlane.of(f.topology(), Failures.node(nodes.get(random.nextInt(nodes.size())).name())));
    }

    private static java.util.List<NodeState> allNodes(DataPlane f) {
        return f.nodeStates();
    }
}
