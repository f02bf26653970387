package dev.topoc.live.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.backends.BackendOptions;
import dev.topoc.backends.lab.Lab;
import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.Compiler;
import dev.topoc.compiler.ast.Syntax;
import dev.topoc.compiler.model.Topology;
import dev.topoc.compiler.print.DslPrinter;
import dev.topoc.compiler.syntax.SourceFile;
import dev.topoc.live.read.AstWriter;
import dev.topoc.live.read.Canonical;
import dev.topoc.live.read.Drift;
import dev.topoc.live.read.LiveReader;
import dev.topoc.live.read.LiveState;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * issue 14's kernel settings against the live stage: per-interface sysctls, an interface and a {@code lo} left down,
 * MTUs and a link-local address written in the file. {@code up} converges them, the full read (what {@code import}
 * writes) reads them back as the file says, {@code plan} names each one changed by hand and {@code up} restores it.
 */
class InterfaceSettingsTest {
    static final String FILE = """
            topology ifset

            node r {
              forwarding
              sysctl net.ipv4.conf.eth0.rp_filter 2
              sysctl net.ipv4.conf.eth1.forwarding 0
              sysctl net.ipv4.conf.eth1.arp_ignore 1
              sysctl net.ipv6.conf.eth0.forwarding 0
              iface eth0 { address 10.9.0.1/24 fd09::1/64 fe80::1/64 mtu 1400 }
              iface eth1 { address 10.9.1.1/24 }
              iface eth9
            }

            node h1 {
              lo { up false }
              iface eth0 { address 10.9.0.2/24 fd09::2/64 mtu 1400 }
              route default via 10.9.0.1
            }

            node h2 {
              sysctl net.ipv4.conf.eth0.route_localnet 1
              iface eth0 { address 10.9.1.2/24 }
              iface eth9 { up false }
            }

            link r:eth0 -- h1:eth0
            link r:eth1 -- h2:eth0
            link h2:eth9 -- r:eth9
            """;

    @BeforeAll
    static void machine() {
        Lab.assumeMachine();
    }

    private static void drift(LiveFixture f, Path file, String command, List<String> expected) throws Exception {
        Lab.Result r = LiveFixture.sh(command);
        assertEquals(0, r.code(), () -> command + ": " + r);
        List<String> plan = f.planLines(file).stream().map(l -> l.substring(0, l.indexOf("   "))).toList();
        assertEquals(expected, plan, "after `" + command + "`");
        Engine.Outcome o = f.up(file);
        assertEquals(Engine.OK, o.exit(), o.message());
        assertEquals(List.of(), f.planLines(file), "up restored what `" + command + "` changed");
    }

    @Test
    void settingsConvergeReadBackAndDriftIsNamed() throws Exception {
        try (LiveFixture f = new LiveFixture()) {
            Path file = f.write("ifset.topo", FILE);
            Engine.Outcome o = f.up(file);
            assertEquals(Engine.OK, o.exit(), o.message());
            assertEquals(List.of(), f.planLines(file), "up converged every setting");
            assertEquals("2", sysctl(f, "r", "net/ipv4/conf/eth0/rp_filter"));
            assertEquals("0", sysctl(f, "r", "net/ipv4/conf/eth1/forwarding"));
            assertTrue(Lab.run(Map.of(), 30, "ip", "-n", f.ns("h1"), "-o", "link", "show", "dev", "lo").out()
                    .contains("state DOWN"), "h1's lo stays down");

            // the full read, what import writes: the file's settings and nothing else, in both directions
            Topology model = LiveFixture.compile(file);
            Map<String, String> ns = new LinkedHashMap<>();
            model.nodes().forEach(n -> ns.put(n.name(), f.ns(n.name())));
            LiveState state = LiveReader.read(model.name(), ns);
            assertEquals(List.of(), Drift.between(Drift.expected(model, new BackendOptions(f.prefix, true)),
                    state.topology()), "the kernel read back as the file");
            String printed = DslPrinter.print(AstWriter.write(state.topology(), Syntax.DSL));
            assertTrue(printed.contains("sysctl net.ipv4.conf.eth0.rp_filter 2") && printed.contains("fe80::1/64")
                    && printed.contains("up false"), printed);
            Compilation back = Compiler.compile(new SourceFile("i.topo", printed));
            assertTrue(back.ok(), () -> printed + back.diagnostics().all());
            assertEquals(List.of(), Drift.between(state.topology(), Canonical.of(back.model())), printed);

            String r = "ip netns exec " + f.ns("r") + " ";
            drift(f, file, r + "sysctl -qw net.ipv4.conf.eth0.rp_filter=0",
                    List.of("~ sysctl net.ipv4.conf.eth0.rp_filter=2 on r (now 0)"));
            drift(f, file, r + "sysctl -qw net.ipv4.conf.eth1.forwarding=1",
                    List.of("~ sysctl net.ipv4.conf.eth1.forwarding=0 on r (now 1)"));
            drift(f, file, "ip -n " + f.ns("h1") + " link set dev lo up", List.of("~ interface h1:lo (down)"));
            drift(f, file, "ip -n " + f.ns("h2") + " link set dev eth9 up", List.of("~ interface h2:eth9 (down)"));
            drift(f, file, "ip -n " + f.ns("r") + " address del fe80::1/64 dev eth0",
                    List.of("+ address fe80::1/64 on r:eth0"));
            drift(f, file, "ip -n " + f.ns("h1") + " link set dev eth0 mtu 1500",
                    List.of("~ interface h1:eth0 (mtu default → 1400)"));

            // a key the file drops goes back to the value it had before the lab set it
            Path edited = f.write("ifset.topo", FILE.replace("  sysctl net.ipv4.conf.eth0.rp_filter 2\n", ""));
            List<String> plan = f.planLines(edited).stream().map(l -> l.substring(0, l.indexOf("   "))).toList();
            assertEquals(List.of("- sysctl net.ipv4.conf.eth0.rp_filter on r (back to 0, the value before the lab set it)"),
                    plan);
            assertEquals(Engine.OK, f.up(edited).exit());
            assertEquals("0", sysctl(f, "r", "net/ipv4/conf/eth0/rp_filter"));
            assertEquals(List.of(), f.planLines(edited));

            // switching forwarding on copies ip_forward's 1 to every interface: eth1's 0 is written again after it
            Path off = f.write("ifset.topo", FILE.replace("  forwarding\n", ""));
            List<String> offPlan = f.planLines(off);
            assertEquals(Engine.OK, f.up(off).exit());
            assertEquals(List.of(), f.planLines(off));
            assertEquals("0", sysctl(f, "r", "net/ipv4/ip_forward"), offPlan::toString);
            f.write("ifset.topo", FILE); // the same path: plan and up compile what it holds
            List<String> again = f.planLines(file);
            assertEquals(Engine.OK, f.up(file).exit());
            assertEquals("0", sysctl(f, "r", "net/ipv4/conf/eth1/forwarding"), again::toString);
            assertEquals("1", sysctl(f, "r", "net/ipv4/conf/eth0/forwarding"), again::toString);
            assertEquals(List.of(), f.planLines(file), "up after forwarding came back");
        }
    }

    /**
     * br_netfilter's switches a version of the file set go to 0 when the file drops them, not back to the 1 a new
     * namespace had before the lab set them: 0 is what the backends write where the file says nothing, and what the
     * simulator models (ConvergeProperties found the earlier version's 1 kept, seed 227335 to -1232).
     */
    @Test
    void brNetfilterSwitchesTheFileDropsGoTo0() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.exists(Path.of("/proc/sys/net/bridge/bridge-nf-call-iptables")),
                "needs br_netfilter loaded");
        String on = """
                topology brnf
                node s {
                  sysctl net.bridge.bridge-nf-call-iptables 1
                  bridge b0
                  iface p0 { master b0 }
                }
                node h { iface eth0 { address 10.9.0.2/24 } }
                link h:eth0 -- s:p0
                """;
        try (LiveFixture f = new LiveFixture()) {
            Path file = f.write("brnf.topo", on);
            assertEquals(Engine.OK, f.up(file).exit());
            assertEquals("1", sysctl(f, "s", "net/bridge/bridge-nf-call-iptables"));
            assertEquals("0", sysctl(f, "s", "net/bridge/bridge-nf-call-ip6tables"));
            Path off = f.write("brnf.topo", on.replace("  sysctl net.bridge.bridge-nf-call-iptables 1\n", ""));
            List<String> plan = f.planLines(off).stream().map(l -> l.substring(0, l.indexOf("   "))).toList();
            assertEquals(List.of("~ sysctl net.bridge.bridge-nf-call-iptables=0 on s (now 1; br_netfilter's switches are 0 where "
                    + "the file does not set them)"), plan);
            assertEquals(Engine.OK, f.up(off).exit());
            assertEquals("0", sysctl(f, "s", "net/bridge/bridge-nf-call-iptables"));
            assertEquals(List.of(), f.planLines(off));
        }
    }

    private static String sysctl(LiveFixture f, String node, String path) {
        return f.in(node, "cat", "/proc/sys/" + path).out().strip();
    }
}
