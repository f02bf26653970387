package dev.topoc.live.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.topoc.backends.BackendOptions;
import dev.topoc.backends.lab.Lab;
import dev.topoc.backends.sim.CheckQuestion;
import dev.topoc.backends.sim.DataPlane;
import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.Compiler;
import dev.topoc.compiler.TestSupport;
import dev.topoc.compiler.ast.Syntax;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.model.Topology;
import dev.topoc.compiler.print.DslPrinter;
import dev.topoc.compiler.syntax.SourceFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The notes' scenarios built by hand (scenarios/*.sh: the notes' own commands, names prefixed; see
 * scenarios/README.md) and imported: the file validates and resolves to what was read, its model equals the
 * matching sample's, and the simulator answers the sample's expects (the notes' pings) on it as on the sample.
 *
 * <p>Two things the kernel cannot say are taken from the sample: a node's kind (an {@code external} node is a
 * namespace like any other here), and, for a node without IPv6, whether {@code net.ipv4.ip_forward=1} (what the
 * notes set) is the language's {@code forwarding} (which also sets IPv6 forwarding).
 */
class ImportScenariosTest {
    /** Every sample with a scenario in the notes; see {@link #NOT_BUILT} for the others. */
    private static final List<String> SCENARIOS = List.of("veth-pair", "loopback", "bridge-three", "bridge-same-subnet",
            "router-forwarding", "router-no-forwarding", "veth-device-routes", "netns-lo-subnet", "bridge-port-address",
            "netns-outside", "bridge-outside", "docker-like", "docker-bridge", "docker-bridge-no-nat", "masquerade-upstream",
            "dnat-port-forward", "policy-routing", "lpm-blackhole", "firewall-input", "firewall-basic", "vxlan-overlay",
            "macvlan-bridge", "macvlan-vepa", "macvlan-private", "macvlan-passthru", "vlan-pair", "vlan-trunk", "ipvlan-l2",
            "ipvlan-l3");
    /** Samples without a build in the notes: vm-bridged is a drawing, star-1000 comes from LANGUAGE.md. */
    static final List<String> NOT_BUILT = List.of("vm-bridged", "star-1000");
    private static final AtomicInteger COUNTER = new AtomicInteger();

    @TestFactory
    Stream<DynamicTest> everyScenarioBuiltByHandImportsAsItsSample() {
        Lab.assumeMachine();
        assumeTrue(Lab.onPath("iptables-save"), "needs iptables (installed by .ci/run)");
        return SCENARIOS.stream().map(s -> DynamicTest.dynamicTest(s, () -> scenario(s)));
    }

    static void scenario(String name) throws Exception {
        Path sample = TestSupport.root().resolve("samples/" + name + ".topo");
        Compilation expected = Compiler.compile(new SourceFile(sample.getFileName().toString(), Files.readString(sample)));
        assertTrue(expected.ok(), () -> expected.diagnostics().all().toString());
        List<String> missing = Lab.missingFeatures(expected.model());
        assumeTrue(missing.isEmpty(), "this kernel lacks " + String.join(", ", missing));
        String prefix = Lab.BASE + "ns" + COUNTER.incrementAndGet() + "-";
        try {
            Lab.Result built = Lab.run(Map.of("P", prefix), 60, "bash", "-e", "-c", script(name)
                    // the samples are their notes' labs as topoc builds them, br_netfilter's switches at 0 (a hand-built
                    // namespace starts at 1 where the module is loaded, and the reader would rightly report that)
                    + "\nfor ns in $(ip netns list | awk '{print $1}' | grep \"^$P\"); do for k in iptables ip6tables arptables; do"
                    + " f=/proc/sys/net/bridge/bridge-nf-call-$k; [ -e $f ] && ip netns exec $ns sh -c \"echo 0 > $f\"; done; done; true\n");
            assertEquals(0, built.code(), () -> name + ".sh: " + built);
            Map<String, String> nodes = new LinkedHashMap<>();
            LiveReader.namespacesWithPrefix(prefix).forEach(ns -> nodes.put(ns.substring(prefix.length()), ns));
            LiveState state = LiveReader.read(name, nodes, true);

            String dsl = DslPrinter.print(AstWriter.write(state.topology(), Syntax.DSL));
            Compilation imported = Compiler.compile(new SourceFile(name + ".topo", dsl));
            assertTrue(imported.ok(), () -> dsl + imported.diagnostics().all());
            assertEquals(List.of(), Drift.between(state.topology(), Canonical.of(imported.model())), dsl);

            Topology asSample = withSampleKnowledge(Canonical.of(imported.model()), expected.model());
            // the notes never bring lo up (`ip netns add` leaves it down) where apply.sh does: the import says
            // `lo { up false }`, which the model comparison takes from the sample and the simulation below keeps
            assertEquals(List.of(), Drift.between(Drift.expected(expected.model(), new BackendOptions(prefix, true)),
                    Canonical.of(withSampleLo(asSample, expected.model()))),
                    name + ": imported\n" + dsl + "\nwarnings " + state.unexpressed());

            var sampleChecks = DataPlane.of(expected.model()).ask(CheckQuestion.all(expected.model())).checks();
            var importChecks = DataPlane.of(asSample).ask(CheckQuestion.all(asSample)).checks();
            assertEquals(sampleChecks.size(), importChecks.size());
            for (int i = 0; i < sampleChecks.size(); i++) {
                var s = sampleChecks.get(i);
                var m = importChecks.get(i);
                assertEquals(s.holds(), m.holds(), () -> name + ": " + s.expectation() + ": sample " + s.message()
                        + ", imported " + m.message());
            }
        } finally {
            Lab.cleanUp(prefix);
        }
    }

    /** {@code imported} with each node's lo up or down as the sample has it. */
    static Topology withSampleLo(Topology imported, Topology sample) {
        List<Node> nodes = imported.nodes().stream().map(n -> {
            boolean up = sample.node(n.name()).flatMap(s -> s.iface("lo")).map(l -> l.common().up()).orElse(true);
            List<Interface> ifs = n.interfaces().stream().map(i -> i.ifKind() != dev.topoc.compiler.model.IfKind.LOOPBACK
                    ? i : (Interface) new Interface.Loopback(new dev.topoc.compiler.model.IfCommon(i.node(), i.name(),
                            i.span(), i.addresses(), i.common().mtu(), i.common().mac(), i.common().master(), up,
                            i.common().hairpin()))).toList();
            return new Node(n.name(), n.span(), n.kind(), n.machine(), n.forwarding(), ifs, n.routes(), n.rules(), n.nat(),
                    n.firewall(), n.sysctl(), n.listens(), n.runs());
        }).toList();
        return new Topology(imported.name(), imported.span(), nodes, imported.links(), imported.expectations());
    }

    /** The imported model with the sample's node kinds, listeners and expectations, and IPv4 forwarding read as `forwarding`. */
    static Topology withSampleKnowledge(Topology imported, Topology sample) {
        List<Node> nodes = imported.nodes().stream().map(n -> {
            Node s = sample.node(n.name()).orElse(null);
            Map<String, String> sysctl = new LinkedHashMap<>(n.sysctl());
            boolean v6 = n.interfaces().stream().flatMap(i -> i.addresses().stream()).anyMatch(a -> !a.isIpv4());
            boolean forwarding = n.forwarding();
            if (!v6 && "1".equals(sysctl.get("net.ipv4.ip_forward")) && s != null && s.forwarding()) {
                sysctl.remove("net.ipv4.ip_forward");
                forwarding = true;
            }
            List<Interface> ifs = n.interfaces();
            return new Node(n.name(), n.span(), s == null ? n.kind() : s.kind(), n.machine(), forwarding, ifs, n.routes(),
                    n.rules(), n.nat(), n.firewall(), sysctl,
                    // what listens is a process, not a kernel object: the sample says it
                    s == null ? List.of() : s.listens(), s == null ? List.of() : s.runs());
        }).toList();
        return new Topology(sample.name(), imported.span(), nodes, imported.links(), sample.expectations());
    }

    static String script(String name) throws IOException {
        try (InputStream in = ImportScenariosTest.class.getResourceAsStream("scenarios/" + name + ".sh")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
