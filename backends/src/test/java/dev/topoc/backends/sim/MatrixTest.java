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
        Matrix byClass = f.ask(new MatrixQuestion(true));
        Matrix perPair = f.ask(new MatrixQuestion(false));
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

    private static java.util.List<NodeState> allNodes(DataPlane f) {
        return f.nodeStates();
    }
}
