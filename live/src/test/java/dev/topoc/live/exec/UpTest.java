package dev.topoc.live.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.backends.lab.Lab;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code up} against the kernel: from nothing, then edits. Each test checks what the kernel holds afterwards, and that
 * {@code plan} of the same file is then empty.
 */
class UpTest {
    /** A router with a bridge for two hosts, a wan side with masquerade, policy routing on h2. */
    static final String T1 = """
            topology edit

            node r {
              forwarding
              iface up0 { address 10.8.1.1/24 }
              bridge br0 { address 10.8.0.1/24 }
              iface p1 { master br0 }
              iface p2 { master br0 }
              nat masquerade from 10.8.0.0/24 out up0
            }
            node h1 {
              iface eth0 { address 10.8.0.11/24 }
              route default via 10.8.0.1
            }
            node h2 {
              iface eth0 { address 10.8.0.12/24 }
              route default via 10.8.0.1
              route 10.77.0.0/16 via 10.8.0.1 table 100
              rule priority 100 from 10.8.0.12/32 lookup 100
            }
            node wan {
              iface eth0 { address 10.8.1.2/24 }
            }
            link h1:eth0 -- r:p1
            link h2:eth0 -- r:p2
            link wan:eth0 -- r:up0
            """;

    @BeforeAll
    static void machine() {
        Lab.assumeMachine();
    }

    static String edit(String text, String from, String to) {
        assertTrue(text.contains(from), () -> "no `" + from + "` to edit");
        return text.replace(from, to);
    }

    /** The 1-based line of {@code text} that contains {@code what}. */
    static int lineOf(String text, String what) {
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(what)) {
                return i + 1;
            }
        }
        throw new AssertionError("no line with " + what);
    }

    @Test
    void upFromNothingBuildsTheFileAndPlanIsThenEmpty() throws Exception {
        try (LiveFixture f = new LiveFixture()) {
            Path file = f.write("edit.topo", T1);
            Engine.Outcome o = f.up(file);
            assertEquals(Engine.OK, o.exit(), o.message() + "\n" + f.out + f.progress);
            assertEquals(List.of(), f.planLines(file));
            assertEquals(0, f.in("h1", "ping", "-c1", "-W2", "10.8.0.12").code(), "h1 reaches h2 over the bridge");
            assertEquals(0, f.in("h1", "ping", "-c1", "-W2", "10.8.1.2").code(), "h1 reaches wan through r");
            assertTrue(f.in("h2", "ip", "rule").out().contains("100:\tfrom 10.8.0.12 lookup 100"), f.in("h2", "ip", "rule").out());
            assertTrue(f.in("r", "nft", "list", "table", "inet", "topoc").out().contains("masquerade"));
            assertEquals("1", f.in("r", "cat", "/proc/sys/net/ipv4/ip_forward").out().strip());
            assertEquals(f.prefix + "r", f.store.find("edit@" + f.prefix).orElseThrow().node("r").orElseThrow().namespace());
            Engine.Outcome again = f.up(file);
            assertEquals(Engine.OK, again.exit());
            assertTrue(again.message().contains("in sync"), again.message());
        }
    }

    @Test
    void anEditChangesOnlyWhatChangedAndKeepsProcessesIfindexesAndTheRuleset() throws Exception {
        try (LiveFixture f = new LiveFixture()) {
            Path file = f.write("edit.topo", T1);
            assertEquals(Engine.OK, f.up(file).exit());
            Process sleeper = new ProcessBuilder("ip", "netns", "exec", f.ns("h2"), "sleep", "300").start();
            try {
                int br0 = f.ifindex("r", "br0");
                int p2 = f.ifindex("r", "p2");
                int h2eth0 = f.ifindex("h2", "eth0");
                String ruleset = f.in("r", "nft", "-a", "list", "table", "inet", "topoc").out();
                // edit h1's address and add a node h3 on a new bridge port
                String t2 = edit(edit(T1, "address 10.8.0.11/24", "address 10.8.0.21/24"),
                        "  iface p2 { master br0 }\n", "  iface p2 { master br0 }\n  iface p3 { master br0 }\n")
                        + "node h3 {\n  iface eth0 { address 10.8.0.13/24 }\n  route default via 10.8.0.1\n}\nlink h3:eth0 -- r:p3\n";
                f.write("edit.topo", t2);
                int h3Line = lineOf(t2, "node h3 {");
                int addressLine = lineOf(t2, "address 10.8.0.21/24");
                List<String> plan = f.planLines(file);
                assertTrue(plan.stream().noneMatch(l -> l.contains("h2") || l.contains("interface r:br0") || l.contains("nftables")),
                        () -> "nothing of h2, br0 or the ruleset is touched: " + plan);
                assertTrue(plan.stream().anyMatch(l -> l.startsWith("+ node h3") && l.endsWith("edit.topo:" + h3Line)),
                        plan::toString);
                assertTrue(plan.stream().anyMatch(l -> l.startsWith("- address 10.8.0.11/24 on h1:eth0") && l.endsWith("lab edit@" + f.prefix)),
                        plan::toString);
                assertTrue(plan.stream().anyMatch(l -> l.startsWith("+ address 10.8.0.21/24 on h1:eth0")
                        && l.endsWith("edit.topo:" + addressLine)),
                        plan::toString);
                Engine.Outcome o = f.up(file);
                assertEquals(Engine.OK, o.exit(), o.message());
                assertTrue(sleeper.isAlive(), "a process in the unchanged node h2 keeps running");
                assertEquals(br0, f.ifindex("r", "br0"));
                assertEquals(p2, f.ifindex("r", "p2"));
                assertEquals(h2eth0, f.ifindex("h2", "eth0"));
                assertEquals(ruleset, f.in("r", "nft", "-a", "list", "table", "inet", "topoc").out(),
                        "the unchanged ruleset is not reloaded (a reload renumbers its handles)");
                assertEquals(List.of(), f.planLines(file));
                assertEquals(0, f.in("h3", "ping", "-c1", "-W2", "10.8.0.21").code(), "the new node reaches h1's new address");
                assertEquals(0, f.in("h1", "ping", "-c1", "-W2", "10.8.1.2").code(), "h1 keeps its default route");
                // a changed ruleset is swapped
                f.write("edit.topo", edit(t2, "nat masquerade from 10.8.0.0/24 out up0", "nat masquerade from 10.8.0.0/25 out up0"));
                List<String> swap = f.planLines(file);
                assertEquals(1, swap.size(), swap::toString);
                assertTrue(swap.get(0).startsWith("~ nftables table inet topoc on r"), swap::toString);
                assertEquals(Engine.OK, f.up(file).exit());
                assertTrue(f.in("r", "nft", "list", "table", "inet", "topoc").out().contains("10.8.0.0/25"));
                assertTrue(sleeper.isAlive());
            } finally {
                sleeper.destroy();
                sleeper.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void whatTheFileDropsIsRemoved() throws Exception {
        try (LiveFixture f = new LiveFixture()) {
            Path file = f.write("edit.topo", T1);
            assertEquals(Engine.OK, f.up(file).exit());
            String t2 = edit(T1, "  route 10.77.0.0/16 via 10.8.0.1 table 100\n  rule priority 100 from 10.8.0.12/32 lookup 100\n", "");
            t2 = edit(t2, "  iface eth0 { address 10.8.0.11/24 }\n  route default via 10.8.0.1\n", "  iface eth0\n");
            t2 = edit(t2, "node wan {\n  iface eth0 { address 10.8.1.2/24 }\n}\n", "");
            t2 = edit(t2, "link wan:eth0 -- r:up0\n", "");
            t2 = edit(t2, "  iface up0 { address 10.8.1.1/24 }\n", "");
            t2 = edit(t2, "  nat masquerade from 10.8.0.0/24 out up0\n", "");
            f.write("edit.topo", t2);
            Engine.Outcome o = f.up(file);
            assertEquals(Engine.OK, o.exit(), o.message() + f.out);
            assertFalse(f.exists("wan"), "the dropped node's namespace is gone");
            assertFalse(f.in("r", "ip", "link").out().contains("up0"), "and its cable's other end");
            assertEquals("", f.in("h1", "ip", "-4", "addr", "show", "dev", "eth0").out().strip().lines()
                    .filter(l -> l.contains("inet ")).findFirst().orElse(""), "h1's address is gone");
            assertEquals("", f.in("h1", "ip", "route").out().strip(), "h1's route is gone");
            assertFalse(f.in("h2", "ip", "rule").out().contains("lookup 100"), "the rule is gone");
            assertEquals("", f.in("h2", "ip", "route", "show", "table", "100").out().strip(), "its table's route too");
            assertNotEquals(0, f.in("r", "nft", "list", "table", "inet", "topoc").code(), "the ruleset is gone");
            assertEquals(List.of(), f.planLines(file));
            // a node dropped from a bridge: its namespace and its bridge port go
            String t3 = edit(edit(edit(t2, "node h2 {\n  iface eth0 { address 10.8.0.12/24 }\n  route default via 10.8.0.1\n}\n", ""),
                    "link h2:eth0 -- r:p2\n", ""), "  iface p2 { master br0 }\n", "");
            f.write("edit.topo", t3);
            List<String> plan = f.planLines(file);
            assertTrue(plan.stream().anyMatch(l -> l.startsWith("- node h2 ") && l.endsWith("lab edit@" + f.prefix)), plan::toString);
            assertTrue(plan.stream().anyMatch(l -> l.startsWith("- interface r:p2 ")), plan::toString);
            assertEquals(Engine.OK, f.up(file).exit());
            assertFalse(f.exists("h2"));
            assertFalse(f.in("r", "ip", "link").out().contains("p2"), "the bridge port is gone");
            assertEquals(List.of(), f.planLines(file));
        }
    }
}
