package dev.topoc.compiler.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.Compiler;
import dev.topoc.compiler.diag.Diagnostic;
import dev.topoc.compiler.syntax.SourceFile;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 17 (items 3, 4 and 7): mistakes a new user made that were silent, late or vague. Each test is
 * the exact list of diagnostics (code, place, message) that one run reports.
 */
class NewUserMistakesTest {
    private static List<String> diagnostics(String text) {
        Compilation c = Compiler.compile(new SourceFile("t.topo", text));
        return c.diagnostics().sorted().stream().map(NewUserMistakesTest::line).toList();
    }

    private static String line(Diagnostic d) {
        return d.span().line() + ":" + d.span().column() + " " + d.code().id() + " " + d.message();
    }

    @Test
    void aTypoInALinkEndIsReportedWithTheDeclaredName() {
        assertEquals(List.of("3:6 E0103 node `left` declares no interface `eht0`; did you mean `eth0`? (`eth0` is "
                + "declared and on no link; a link end that names an undeclared interface creates a veth of that name)"),
                diagnostics("""
                        node left { iface eth0 { address 10.0.0.1/24 } }
                        node right { iface eth0 { address 10.0.0.2/24 } }
                        link left:eht0 -- right:eth0
                        """));
    }

    @Test
    void undeclaredLinkEndsAreStillCreatedWhenNothingSimilarIsUnlinked() {
        assertEquals(List.of(), diagnostics("""
                node left { iface eth0 physical { address 10.9.0.1/24 } }
                node right { }
                link left:eth1 -- right:eth0
                """), "a physical NIC on no link is normal; `eth1` is a new veth");
        assertEquals(List.of(), diagnostics("""
                node left { iface eth0 { address 10.0.0.1/24 } }
                node right { iface eth0 { address 10.0.0.2/24 } }
                node third { }
                link left:eth0 -- right:eth0
                link left:eth1 -- third:eth0
                """), "`eth0` is on a link, so `eth1` is no typo of it");
    }

    @Test
    void everyNatReferenceErrorIsReportedInOneRunAtTheName() {
        assertEquals(List.of(
                "2:34 E0103 node `a` has no interface `eth1`; did you mean `eth0`?",
                "3:38 E0600 node `a` has no interface `wna`, so this NAT entry would never match; did you mean `wan`? "
                        + "the node has: lo, eth0, wan",
                "4:22 E0600 node `a` has no interface `eht0`, so this NAT entry would match every interface; "
                        + "did you mean `!eth0`? the node has: lo, eth0, wan"),
                diagnostics("""
                        node a { forwarding  iface eth0 { address 10.0.0.1/24 }  iface wan { address 10.1.0.1/24 }
                          route default via 10.1.0.2 dev eth1
                          nat masquerade from 10.0.0.0/8 out wna
                          nat masquerade out !eht0
                        }
                        """));
    }

    @Test
    void kernelLimitsAreFoundAtValidationAndSayTheirSource() {
        assertEquals(List.of("3:9 E0506 bridge `sw:br0` has 1024 ports; a Linux bridge takes at most 1023 "
                + "(BR_MAX_PORTS = 1024 in net/bridge/br_private.h, port 0 reserved), so the 1024th fails with "
                + "\"Exchange full\". Split the hosts over several bridges joined by a link"),
                diagnostics("""
                        node sw {
                          bridge br0
                          iface p[1..1024] { master br0 }
                        }
                        """));
        assertEquals(List.of(), diagnostics("""
                node sw {
                  bridge br0
                  iface p[1..1023] { master br0 }
                }
                """), "1023 ports fit");
        assertEquals(List.of(
                "3:26 E0201 `id` 4095 is out of range; allowed: 1 to 4094 (an 802.1Q tag has 12 bits of VLAN id, "
                        + "and 0 and 4095 are reserved)",
                "4:37 E0201 `table` 4294967296 is out of range; allowed: 1 to 4294967295 (a Linux routing table id "
                        + "is a 32-bit number (RTA_TABLE) and 0 means no table)",
                "5:17 E0201 `priority` 2147483648 is out of range; allowed: 0 to 2147483647 (topoc takes priorities "
                        + "up to 2^31-1; Linux itself takes a 32-bit FRA_PRIORITY, up to 4294967295)"),
                diagnostics("""
                        node a {
                          iface eth0 { address 10.0.0.1/24 }
                          vlan v1 parent eth0 id 4095
                          route blackhole 10.8.0.0/16 table 4294967296
                          rule priority 2147483648 lookup 100
                        }
                        """));
    }
}
