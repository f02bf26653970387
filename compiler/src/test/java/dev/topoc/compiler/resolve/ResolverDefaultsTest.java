package dev.topoc.compiler.resolve;

import static dev.topoc.compiler.TestSupport.describe;
import static dev.topoc.compiler.TestSupport.dsl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.model.IfKey;
import dev.topoc.compiler.model.IfKind;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.Node;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The defaults {@link IfKind} documents (docs/yaml.md) are what the resolver gives when a key is absent. */
class ResolverDefaultsTest {
    private static final String EVERY_KIND_WITHOUT_OPTIONAL_KEYS = """
            node n {
              iface p0
              iface eth0 physical
              iface eth1 physical
              bridge br0
              vlan v1 parent eth0 id 10
              vxlan x1 vni 5
              macvlan m1 parent eth0
              ipvlan i1 parent eth1
              iface d0 dummy
              iface t0 tun
              iface t1 tap
              lo
            }
            """;

    @Test
    void everyDocumentedDefaultIsTheResolvedValue() {
        Compilation c = dsl(EVERY_KIND_WITHOUT_OPTIONAL_KEYS);
        assertTrue(c.ok(), () -> describe(c));
        Node n = c.model().nodes().get(0);
        Set<IfKind> seen = EnumSet.noneOf(IfKind.class);
        int checked = 0;
        for (Interface i : n.interfaces()) {
            seen.add(i.ifKind());
            for (IfKey key : i.ifKind().keys()) {
                if (key.defaultValue() != null && !key.name().equals("kind")) { // every kind but p0's and lo's is written
                    assertEquals(key.defaultValue(), resolved(i, key.name()), i.ref() + " " + key.name());
                    checked++;
                }
            }
        }
        assertEquals(EnumSet.allOf(IfKind.class), seen, "the topology must have an interface of every kind");
        String kindDefault = IfKind.COMMON_KEYS.stream().filter(k -> k.name().equals("kind")).findFirst().orElseThrow()
                .defaultValue();
        assertEquals(kindDefault, n.iface("p0").orElseThrow().kind());
        assertEquals(IfKind.LOOPBACK, n.iface("lo").orElseThrow().ifKind());
        assertTrue(checked > 25, "checked only " + checked + " defaults");
    }

    /** What the model holds for a key with a documented default; add a case when a key gets a default. */
    private static String resolved(Interface i, String key) {
        return switch (key) {
            case "up" -> Boolean.toString(i.common().up());
            case "hairpin" -> Boolean.toString(i.common().hairpin());
            case "stp" -> Boolean.toString(i.as(Interface.Bridge.class).orElseThrow().stp());
            case "port" -> Integer.toString(i.as(Interface.Vxlan.class).orElseThrow().port());
            case "mode" -> i.as(Interface.Macvlan.class).map(m -> m.mode().word())
                    .orElseGet(() -> i.as(Interface.Ipvlan.class).orElseThrow().mode().word());
            default -> throw new AssertionError("ResolverDefaultsTest does not read `" + key + "` yet");
        };
    }
}
