package dev.topoc.compiler.machines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.TestSupport;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.model.NodeKind;
import dev.topoc.compiler.model.Topology;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Stitching's devices, VNIs and parts (docs/machines.md). */
class StitchingTest {
    private static final String MACHINES = """
            machine hv1 { ssh 192.0.2.11  underlay 198.18.0.1 }
            machine hv2 { ssh 192.0.2.12  underlay 198.18.0.2  mtu 9000 }
            node a { machine hv1  iface eth0 { address 10.0.0.1/24 } }
            node b { machine hv2  iface eth0 { address 10.0.0.2/24 } }
            node c { machine hv2  iface eth0 { address 10.0.1.1/24 } }
            node d { machine hv1  iface eth0 { address 10.0.1.2/24 } }
            """;

    private static Topology model(String text) {
        Compilation c = TestSupport.dsl(text);
        assertTrue(c.ok(), () -> TestSupport.describe(c));
        return c.model();
    }

    @Test
    void aCrossingLinkBecomesVethBridgeAndVxlanOnEachMachine() {
        Topology t = model(MACHINES + "link a:eth0 -- b:eth0\n");
        List<Tunnel> tunnels = Stitching.tunnels(t);
        assertEquals(1, tunnels.size());
        Tunnel x = tunnels.get(0);
        assertEquals(1450, x.budget(), "the smaller underlay MTU, 1500, less 50");
        assertEquals(1450, x.mtu());
        long expected = 1 + Integer.toUnsignedLong(Stitching.fnv1a("a:eth0 -- b:eth0")) % Stitching.MAX_VNI;
        assertEquals(expected, x.vni());
        Stitched s = Stitching.of(t);
        Node hv1 = s.whole().node("hv1").orElseThrow();
        assertEquals(NodeKind.ROOT, hv1.kind());
        Interface.Vxlan vx = hv1.interfaces(Interface.Vxlan.class).get(0);
        assertEquals("st" + x.vni() + "-vx", vx.name());
        assertEquals("198.18.0.1", vx.local().toCanonicalString());
        assertEquals("198.18.0.2", vx.remote().toCanonicalString());
        assertEquals(null, vx.dev());
        assertEquals(4789, vx.port());
        assertEquals("st" + x.vni() + "-br", vx.common().master());
        assertEquals(new dev.topoc.compiler.model.IfRef("hv1", "st" + x.vni() + "-v"),
                s.whole().node("a").orElseThrow().interfaces(Interface.Veth.class).get(0).peer());
        assertEquals(List.of("hv1", "hv2"), s.parts().stream().map(p -> p.machine().name()).toList());
        Topology part = s.parts().get(0).topology();
        assertEquals(List.of("a", "d", "hv1"), part.nodes().stream().map(Node::name).toList());
        assertTrue(part.node("hv1").orElseThrow().iface("ul0").isEmpty(), "the underlay NIC is the machine's own");
        assertTrue(s.whole().node("hv1").orElseThrow().iface("ul0").isPresent());
        assertTrue(s.whole().node("underlay").isPresent());
    }

    @Test
    void vnisAreStableAcrossUnrelatedEditsAndSkipWhatIsTaken() {
        int alone = Stitching.tunnels(model(MACHINES + "link a:eth0 -- b:eth0\n")).get(0).vni();
        List<Tunnel> more = Stitching.tunnels(model(MACHINES.replace("10.0.0.2/24", "10.0.0.3/24")
                + "link c:eth0 -- d:eth0\nlink a:eth0 -- b:eth0\n"));
        assertEquals(alone, more.get(1).vni(), "another link and another address leave the VNI alone");
        assertNotEquals(more.get(0).vni(), more.get(1).vni());
        // a declared vxlan device with that VNI: allocation moves to the next free one
        List<Tunnel> taken = Stitching.tunnels(model(MACHINES.replace("node c { machine hv2",
                "node c { machine hv2  vxlan vx0 vni " + alone + " remote 10.0.1.9") + "link a:eth0 -- b:eth0\n"));
        assertEquals(alone % Stitching.MAX_VNI + 1, taken.get(0).vni());
        assertEquals(77, Stitching.tunnels(model(MACHINES + "link a:eth0 -- b:eth0 { vni 77  port 4790 }\n")).get(0).vni());
    }

    @Test
    void aMachineWithARootNodeUsesItAsItsDefaultNamespace() {
        Topology t = model(MACHINES + "node gw root { machine hv1 }\nlink a:eth0 -- b:eth0\n");
        assertEquals("gw", Stitching.defaultNamespaces(t).get("hv1"));
        assertEquals("hv2", Stitching.defaultNamespaces(t).get("hv2"));
        assertTrue(Stitching.of(t).whole().node("gw").orElseThrow().interfaces(Interface.Vxlan.class).size() == 1);
    }
}
