package dev.topoc.backends.networkd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.backends.Artifacts;
import dev.topoc.backends.BackendOptions;
import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.Compiler;
import dev.topoc.compiler.diag.Code;
import dev.topoc.compiler.diag.Diagnostic;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.syntax.SourceFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every sample either generates (every interface in exactly one .network, deterministic) or is refused
 * with E0850 at each sub-interface whose parent is on another node; plus the mapping of single elements
 * and the other refusals.
 */
class NetworkdBackendTest {
    static Path root() {
        return Path.of(System.getProperty("topoc.root", ".."));
    }

    static Compilation compile(String text) {
        Compilation c = Compiler.compile(new SourceFile("t.topo", text));
        assertTrue(c.ok(), () -> c.diagnostics().all().toString());
        return c;
    }

    @Test
    void everySampleGeneratesOrIsRefusedWithADiagnostic() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(root().resolve("samples"))) {
            files = s.filter(p -> p.toString().endsWith(".topo") || p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertTrue(files.size() >= 40, "samples: " + files.size());
        int generated = 0;
        int refused = 0;
        for (Path f : files) {
            Compilation c = Compiler.compile(new SourceFile(f.toString(), Files.readString(f)));
            assertTrue(c.ok(), f.toString());
            List<Interface> foreign = NetworkdSandboxTest.foreignSubInterfaces(c.model());
            for (boolean sandbox : new boolean[] {false, true}) {
                Diagnostics d = new Diagnostics();
                Artifacts a = new NetworkdBackend().generate(c.model(), new BackendOptions("t", sandbox), d);
                if (c.model().machines().size() > 1) { // not stitched by networkd: refused (E0854), nothing written
                    assertEquals(List.of(NetworkdCode.NETWORKD_MACHINES), d.all().stream().map(x -> x.code()).toList(),
                            () -> f + ": " + d.all());
                    assertTrue(a.files().isEmpty(), f + ": nothing written");
                    continue;
                }
                if (!foreign.isEmpty()) {
                    NetworkdSandboxTest.assertRefused(d, foreign);
                    continue;
                }
                assertFalse(d.hasErrors(), () -> f + ": " + d.all());
                GeneratedTree.assertEveryInterfaceInExactlyOneNetwork(c.model(), a, sandbox);
                assertEquals(a.files(), new NetworkdBackend().generate(c.model(), new BackendOptions("t", sandbox),
                        new Diagnostics()).files(), f + ": byte-identical on a second run");
                assertEquals(sandbox, a.files().containsKey("sandbox-up.sh"));
            }
            if (foreign.isEmpty()) {
                generated++;
            } else {
                refused++;
            }
        }
        assertTrue(generated >= 30 && refused >= 6, generated + " generated, " + refused + " refused");
    }

    @Test
    void macvlanOnAnotherNodeIsRefusedAtItsLine() {
        Compilation c = compile("""
                node a { iface eth0 physical { address 10.0.0.1/24 } }
                node b {
                  macvlan m1 parent a:eth0 mode bridge { address 10.0.0.2/24 }
                }
                """);
        Diagnostics d = new Diagnostics();
        new NetworkdBackend().generate(c.model(), BackendOptions.DEFAULT, d);
        List<Diagnostic> e = d.all();
        assertEquals(1, e.size(), e.toString());
        assertEquals(dev.topoc.backends.networkd.NetworkdCode.NETWORKD_FOREIGN_PARENT, e.get(0).code());
        assertEquals(3, e.get(0).span().line());
        assertTrue(e.get(0).message().contains("cannot move it into b"), e.get(0).message());
    }

    @Test
    void routeWhoseGatewayIsOnNoLinkIsRefused() {
        Compilation c = compile("""
                node a {
                  iface eth0 { address 10.0.0.1/24 }
                  route 10.1.1.1/32 dev eth0
                  route 10.9.0.0/16 via 10.1.1.1
                }
                """);
        Diagnostics d = new Diagnostics();
        new NetworkdBackend().generate(c.model(), BackendOptions.DEFAULT, d);
        assertEquals(List.of(dev.topoc.backends.networkd.NetworkdCode.NETWORKD_ROUTE_WITHOUT_LINK), d.all().stream().map(Diagnostic::code).toList());
        assertEquals(4, d.all().get(0).span().line());
    }

    @Test
    void bridgeNetfilterSwitchesArePinnedInNamespacesButNotOnTheHostsOwnNamespace() {
        Compilation c = compile("""
                node hv root { forwarding true  iface eth0 physical { address 10.0.0.1/24 } }
                node web { iface eth0 { address 10.0.1.2/24 } }
                node db { sysctl net.bridge.bridge-nf-call-iptables 1  iface eth0 { address 10.0.1.3/24 } }
                link web:eth0 -- db:eth0
                """);
        Artifacts real = new NetworkdBackend().generate(c.model(), BackendOptions.DEFAULT, new Diagnostics());
        String host = real.content("hv/" + NetworkdBackend.SYSCTL_FILE);
        assertTrue(host != null && host.contains("net.ipv4.ip_forward = 1") && !host.contains("bridge-nf"),
                () -> "a real host's own namespace keeps its br_netfilter switches: " + host);
        String web = real.content("web/" + NetworkdBackend.SYSCTL_FILE);
        assertTrue(web != null && web.contains("-net.bridge.bridge-nf-call-iptables = 0"), () -> String.valueOf(web));
        String db = real.content("db/" + NetworkdBackend.SYSCTL_FILE);
        assertTrue(db != null && db.contains("\nnet.bridge.bridge-nf-call-iptables = 1")
                && db.contains("-net.bridge.bridge-nf-call-ip6tables = 0"), () -> String.valueOf(db));
        Artifacts sandbox = new NetworkdBackend().generate(c.model(), new BackendOptions("x", true), new Diagnostics());
        String sandboxed = sandbox.content("hv/" + NetworkdBackend.SYSCTL_FILE);
        assertTrue(sandboxed != null && sandboxed.contains("-net.bridge.bridge-nf-call-iptables = 0"),
                () -> "in the sandbox the root node is a namespace of the lab: " + sandboxed);
    }

    @Test
    void unlinkedLinkEndIsRefusedOnlyInASandbox() {
        Compilation c = compile("node a { iface eth0 physical { address 10.0.0.1/24 } }");
        Diagnostics real = new Diagnostics();
        new NetworkdBackend().generate(c.model(), BackendOptions.DEFAULT, real);
        assertTrue(real.isEmpty(), real.all().toString());
        Diagnostics sandbox = new Diagnostics();
        new NetworkdBackend().generate(c.model(), new BackendOptions("x", true), sandbox);
        assertEquals(List.of(dev.topoc.backends.networkd.NetworkdCode.NETWORKD_UNCABLED_IN_SANDBOX), sandbox.all().stream().map(Diagnostic::code).toList());
    }

    @Test
    void badPrefixIsRefused() {
        Compilation c = compile("node a { iface eth0 { address 10.0.0.1/24 } }");
        Diagnostics d = new Diagnostics();
        Artifacts a = new NetworkdBackend().generate(c.model(), new BackendOptions("a b;rm", true), d);
        assertEquals(List.of(dev.topoc.backends.networkd.NetworkdCode.NETWORKD_BAD_PREFIX), d.all().stream().map(Diagnostic::code).toList());
        assertTrue(a.files().isEmpty());
    }

    @org.junit.jupiter.api.Test
    void execStartQuotesARunForSystemdAndNothingElse() {
        assertEquals("\"python3 -m http.server 80\"", NetworkdBackend.execQuote("python3 -m http.server 80"));
        assertEquals("\"echo \\\"x\\\" \\\\n $$HOME $${X} 100%%\"",
                NetworkdBackend.execQuote("echo \"x\" \\n $HOME ${X} 100%"));
    }
}
