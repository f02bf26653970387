package dev.topoc.live.read;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.topoc.backends.BackendOptions;
import dev.topoc.compiler.TestSupport;
import dev.topoc.compiler.model.Topology;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Drift names the one object that differs, and Canonical makes the kernel's defaults invisible. */
class DriftTest {
    private static Topology model(String text) {
        var c = TestSupport.dsl(text);
        org.junit.jupiter.api.Assertions.assertTrue(c.ok(), () -> c.diagnostics().all().toString());
        return Canonical.of(c.model());
    }

    private static final String BASE = """
            topology t
            node a {
              iface eth0 { address 10.0.0.1/24 }
              route 10.9.0.0/16 via 10.0.0.2
            }
            node b { iface eth0 { address 10.0.0.2/24 } }
            link a:eth0 -- b:eth0
            """;

    @Test
    void sameMeaningNoDrift() {
        String spelledOut = BASE.replace("via 10.0.0.2", "via 10.0.0.2 dev eth0 metric 0")
                .replace("link a:eth0 -- b:eth0", "link b:eth0 -- a:eth0 { mtu 1500 }");
        assertEquals(List.of(), Drift.between(model(BASE), model(spelledOut)));
    }

    @Test
    void namesTheDifferingObjects() {
        var drift = Drift.between(model(BASE), model(BASE.replace("10.9.0.0/16", "10.8.0.0/16")
                .replace("address 10.0.0.2/24", "address 10.0.0.3/24")));
        assertEquals(List.of("a: route unicast 10.9.0.0/16 via 10.0.0.2 table main: missing",
                "a: route unicast 10.8.0.0/16 via 10.0.0.2 table main: extra"),
                drift.stream().filter(d -> d.node().equals("a")).map(Drift::toString).toList());
        assertEquals(1, drift.stream().filter(d -> d.node().equals("b") && d.object().equals("interface eth0")).count());
    }

    @Test
    void rulesWithoutPriorityGetTheKernels() {
        var t = model("""
                topology t
                node a {
                  iface eth0 { address 10.0.0.1/24 }
                  rule from 10.1.0.0/16 lookup 100
                  rule priority 100 from 10.2.0.0/16 lookup 100
                  rule from 10.3.0.0/16 lookup 100
                }
                """);
        assertEquals(List.of(99, 100, 32765), t.node("a").orElseThrow().rules().stream().map(r -> r.priority()).toList(),
                "the kernel gives a rule one below the smallest non-zero priority, in the order they are added");
    }

    @Test
    void sandboxedPhysicalLinkEndsAreVeths() {
        var file = TestSupport.dsl("""
                topology t
                node a { iface ens41 physical { address 10.0.0.1/24 } }
                node up external { iface eth0 { address 10.0.0.2/24 } }
                link a:ens41 -- up:eth0
                """).model();
        var e = Drift.expected(file, new BackendOptions("p-", true));
        assertEquals("veth", e.node("a").orElseThrow().iface("ens41").orElseThrow().kind());
        assertEquals("netns", e.node("up").orElseThrow().kind().word());
    }
}
