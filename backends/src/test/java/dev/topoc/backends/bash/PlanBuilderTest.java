package dev.topoc.backends.bash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.backends.Artifacts;
import dev.topoc.backends.BackendOptions;
import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.Compiler;
import dev.topoc.compiler.diag.Code;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.model.IfKind;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.syntax.SourceFile;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The decisions of the plan: step order, who creates a veth pair, what runs where. */
class PlanBuilderTest {
    static Plan plan(String text, boolean sandbox, Diagnostics d) {
        Compilation c = Compiler.compile(new SourceFile("t.topo", text));
        assertTrue(c.ok(), c.diagnostics().all().toString());
        return new PlanBuilder(c.model(), new BackendOptions("p-", sandbox), d).build();
    }

    static List<String> order(Plan p) {
        return p.steps().stream().map(Plan.Step::name).toList();
    }

    @Test
    void aSubInterfaceIsBuiltAfterItsParentsNodeAndTheOtherEndOfTheParentsCable() {
        Plan p = plan("""
                node child { macvlan m1 parent host:nic mode bridge { address 10.0.0.3/24 } }
                node lan external { iface eth0 { address 10.0.0.1/24 } }
                node host { iface nic physical { address 10.0.0.2/24 } }
                link host:nic -- lan:eth0
                """, true, new Diagnostics());
        assertEquals(List.of("lan", "host", "child"), order(p));
        Plan.Step child = p.steps().get(2);
        assertEquals(List.of("run ip -n p-host link add name m1 link nic netns p-child type macvlan mode bridge"), child.pre());
        assertTrue(child.batch().contains("address replace 10.0.0.3/24 dev m1"), child.batch().toString());
        assertTrue(p.steps().get(0).batch().contains("link add name eth0 type veth peer name nic netns p-host"),
                p.steps().get(0).batch().toString());
    }

    /**
     * Measured: a VXLAN created over a veth before the veth's {@code mtu 9000} keeps 1450, one created after gets
     * 8950; a macvlan likewise keeps 1500 or gets 9000. So the parents' MTUs come before their children are made.
     */
    @Test
    void aDeviceThatOthersAreBuiltOnGetsItsMtuBeforeTheyAreCreated() {
        Plan p = plan("""
                node a {
                  iface e0 { mtu 9000  address 198.18.0.1/24 }
                  iface e1 { address 10.9.0.1/24 }
                  vxlan vx0 { vni 7  local 198.18.0.1  remote 198.18.0.2  dev e0  address 10.0.0.1/24 }
                  macvlan m0 parent a:e1 mode bridge { address 10.1.0.1/24 }
                }
                node b { iface e0 { mtu 9000  address 198.18.0.2/24 }  iface e1 { address 10.9.0.2/24 } }
                link a:e0 -- b:e0
                link a:e1 -- b:e1 { mtu 4000 }
                """, true, new Diagnostics());
        List<String> batch = p.steps().get(0).batch();
        int mtu = batch.indexOf("link set dev e0 mtu 9000");
        int vxlan = indexOfPrefix(batch, "link add name vx0 type vxlan");
        int linkMtu = batch.indexOf("link set dev e1 mtu 4000");
        int macvlan = indexOfPrefix(batch, "link add name m0 link e1 type macvlan");
        assertTrue(mtu >= 0 && mtu < vxlan, batch.toString());
        assertTrue(linkMtu >= 0 && linkMtu < macvlan, batch.toString());
        assertEquals(1, batch.stream().filter(l -> l.startsWith("link set dev e0 mtu")).count(), "set once: " + batch);
    }

    private static int indexOfPrefix(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void outsideTheSandboxTheRootNodeComesFirstAndExternalNodesAreLeftOut() {
        Diagnostics d = new Diagnostics();
        Plan p = plan("""
                node ns1 { iface v1 { address 10.0.0.2/24 } }
                node host root { iface v0 { address 10.0.0.1/24 }  iface eth0 physical { address 192.0.2.10/24 } }
                node up external { iface eth0 { address 192.0.2.1/24 } }
                link ns1:v1 -- host:v0
                link host:eth0 -- up:eth0
                """, false, d);
        assertEquals(List.of("host", "ns1"), order(p));
        assertEquals(List.of("p-ns1"), p.namespaces());
        assertEquals("''", p.steps().get(0).netns());
        assertEquals(List.of("v0"), p.rootLinks());
        assertTrue(p.steps().get(0).batch().contains("link add name v0 type veth peer name v1 netns p-ns1"));
        assertEquals(1, p.physicals().size());
        assertTrue(d.all().isEmpty(), d.all().toString());
    }

    @Test
    void subInterfacesOfEachOthersNodesCannotBeOrdered() {
        Diagnostics d = new Diagnostics();
        Compilation c = Compiler.compile(new SourceFile("t.topo", """
                node a { iface x { address 10.0.0.1/24 }  macvlan ma parent b:y mode bridge }
                node b { iface y { address 10.0.0.2/24 }  macvlan mb parent a:x mode bridge }
                link a:x -- b:y
                """));
        assertTrue(c.ok(), c.diagnostics().all().toString());
        Artifacts out = new BashBackend().generate(c.model(), new BackendOptions("p-", true), d);
        assertTrue(d.all().stream().anyMatch(x -> x.code() == dev.topoc.backends.bash.BashCode.BASH_CYCLE), d.all().toString());
        assertTrue(out.files().isEmpty(), "nothing is generated when the backend reports an error");
    }

    /** No kind falls through: every interface the sandbox plan sets up was created by it first (lo exists). */
    @Test
    void everyKindIsCreatedBeforeItIsConfigured() throws java.io.IOException {
        java.nio.file.Path file = java.nio.file.Path.of(System.getProperty("topoc.root", ".."))
                .resolve("backends/src/test/resources/networkd/kinds.topo");
        Compilation c = Compiler.compile(new SourceFile(file.toString(), java.nio.file.Files.readString(file)));
        assertTrue(c.ok(), c.diagnostics().all().toString());
        java.util.Set<IfKind> kinds = java.util.EnumSet.noneOf(IfKind.class);
        c.model().nodes().forEach(n -> n.interfaces().forEach(i -> kinds.add(i.ifKind())));
        assertEquals(java.util.EnumSet.allOf(IfKind.class), kinds, "kinds.topo must use every kind");
        Plan p = new PlanBuilder(c.model(), new BackendOptions("p-", true), new Diagnostics()).build();
        for (Plan.Step step : p.steps()) {
            List<String> lines = new java.util.ArrayList<>(step.pre());
            lines.addAll(step.batch());
            p.steps().forEach(other -> other.batch().stream().filter(l -> l.contains(" netns p-" + step.name())).forEach(lines::add));
            Node node = c.model().node(step.name()).orElseThrow();
            for (Interface i : node.interfaces()) {
                boolean configured = lines.stream().anyMatch(l -> l.contains(" dev " + i.name() + " "));
                boolean created = lines.stream().anyMatch(l -> l.contains("link add name " + i.name() + " ")
                        || l.contains("tuntap add dev " + i.name() + " ") || l.contains(" peer name " + i.name() + " ")
                        || l.endsWith(" peer name " + i.name()));
                if (i.ifKind() == IfKind.LOOPBACK) {
                    assertTrue(!created, i.ref() + " exists already");
                } else {
                    assertTrue(!configured || created, i.ref() + " (" + i.kind() + ") is configured but never created: " + lines);
                    assertTrue(created, i.ref() + " (" + i.kind() + ") is not created: " + lines);
                }
            }
        }
    }
}
