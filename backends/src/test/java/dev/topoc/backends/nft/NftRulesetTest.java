package dev.topoc.backends.nft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.Compiler;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.syntax.SourceFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class NftRulesetTest {
    private static Node node(String topo, String name) {
        Compilation c = Compiler.compile(new SourceFile("t.topo", topo));
        assertTrue(c.ok(), c.diagnostics().all().toString());
        return c.model().node(name).orElseThrow();
    }

    @Test
    void dockerBridgeNatRules() {
        Node docker = node("""
                node docker {
                  forwarding
                  bridge docker0 { address 172.17.0.1/16 }
                  iface ens41 physical { address 192.168.54.230/24 }
                  nat masquerade from 172.17.0.0/16 out !docker0
                  nat dnat tcp port 8080 to 172.17.10.10:80
                }
                """, "docker");
        String text = NftRuleset.render(docker).orElseThrow();
        assertTrue(text.contains("""
                  chain prerouting {
                    type nat hook prerouting priority dstnat; policy accept;
                    tcp dport 8080 dnat ip to 172.17.10.10:80
                  }
                """), text);
        assertTrue(text.contains("oifname != \"docker0\" ip saddr 172.17.0.0/16 masquerade"), text);
        assertTrue(text.startsWith("# topoc: nftables ruleset of node docker"), text);
        assertTrue(text.contains("table inet topoc\ndelete table inet topoc\ntable inet topoc {"), text);
    }

    @Test
    void firewallRulesKeepTheirOrderAndPolicy() {
        Node server = node("""
                node server {
                  iface eth0 { address 192.168.1.10/24 }
                  firewall input policy drop {
                    accept in lo
                    accept state established,related
                    accept proto tcp dport 22 from 192.168.1.50
                    reject proto udp dport 1000-2000
                  }
                }
                """, "server");
        String text = NftRuleset.render(server).orElseThrow();
        assertTrue(text.contains("""
                    type filter hook input priority filter; policy drop;
                    iifname "lo" accept
                    ct state established,related accept
                    ip saddr 192.168.1.50/32 tcp dport 22 accept
                    udp dport 1000-2000 reject
                """), text);
    }

    @Test
    void nodesWithoutNatOrFirewallHaveNoRuleset() {
        assertTrue(NftRuleset.render(node("node a { iface eth0 { address 10.0.0.1/24 } }", "a")).isEmpty());
    }

    /** Every ruleset of every sample is accepted by the real nft (in a throw-away namespace). */
    @Test
    void everySampleRulesetPassesNftCheck() throws Exception {
        assumeTrue(isRoot() && onPath("nft") && onPath("ip"), "needs root, nft and ip (installed by .ci/run)");
        String ns = "topoc-nftcheck-" + ProcessHandle.current().pid();
        run("ip", "netns", "add", ns);
        try {
            List<String> checked = new ArrayList<>();
            for (Path sample : samples()) {
                Compilation c = Compiler.compile(new SourceFile(sample.toString(), Files.readString(sample)));
                for (Node n : c.model().nodes()) {
                    var text = NftRuleset.render(n);
                    if (text.isEmpty()) {
                        continue;
                    }
                    Path f = Files.createTempFile("topoc-nft", ".nft");
                    Files.writeString(f, text.get());
                    Result r = run("ip", "netns", "exec", ns, "nft", "-c", "-f", f.toString());
                    Files.delete(f);
                    assertEquals(0, r.code, sample.getFileName() + " node " + n.name() + ":\n" + r.output + "\n" + text.get());
                    checked.add(sample.getFileName() + ":" + n.name());
                }
            }
            assertTrue(checked.size() >= 5, "rulesets checked: " + checked);
        } finally {
            run("ip", "netns", "del", ns);
        }
    }

    private static List<Path> samples() throws IOException {
        Path root = Path.of(System.getProperty("topoc.root", "..")).resolve("samples");
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(p -> p.toString().endsWith(".topo")).sorted().toList();
        }
    }

    record Result(int code, String output) {}

    static Result run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, "timed out");
        }
        return new Result(p.exitValue(), out);
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    static boolean onPath(String tool) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }
}
