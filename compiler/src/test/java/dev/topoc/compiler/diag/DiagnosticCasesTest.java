package dev.topoc.compiler.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.Compiler;
import dev.topoc.compiler.TestSupport;
import dev.topoc.compiler.syntax.SourceFile;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The catalogue, code by code: a minimal topology that triggers each code, and the line and column where
 * it must be reported (counted by hand from the text). A code without a case fails
 * {@link #everyCodeHasACase()}, so a new code cannot ship untested.
 */
class DiagnosticCasesTest {
    record Case(Code code, String file, String text, int line, int column) {
        @Override
        public String toString() {
            return code.id() + " " + code;
        }
    }

    private static final Map<Code, Case> CASES = new EnumMap<>(Code.class);

    private static void dsl(Code code, int line, int column, String text) {
        put(new Case(code, "case.topo", text, line, column));
    }

    private static void yaml(Code code, int line, int column, String text) {
        put(new Case(code, "case.yaml", text, line, column));
    }

    private static void put(Case c) {
        if (CASES.put(c.code(), c) != null) {
            throw new IllegalStateException("two cases for " + c.code());
        }
    }

    static {
        // syntax
        dsl(Code.SYNTAX, 1, 16, "node a { iface { address 1.2.3.4/24 } }");
        yaml(Code.YAML_SYNTAX, 1, 5, "a: b: c\n");
        yaml(Code.UNKNOWN_KEY, 2, 1, "topology: t\ncolour: blue\n");
        yaml(Code.WRONG_TYPE, 1, 8, "nodes: [a, b]\n");
        yaml(Code.MISSING_KEY, 2, 5, "links:\n  - { a: x:e, mtu: 1500 }\n");
        yaml(Code.DUPLICATE_KEY, 4, 23, "nodes:\n  n:\n    interfaces:\n      e: { mtu: 1500, mtu: 9000 }\n");
        // 65 nested collections (the root map and 64 brackets) are allowed; the report lands on the bracket
        // after the first one beyond (the YAML parser reads one event ahead)
        yaml(Code.INPUT_LIMIT, 66, 3, "x:\n" + "  [\n".repeat(70) + "  ]\n".repeat(70));
        dsl(Code.BAD_RANGE, 1, 6, "node web[5..1] { }");
        dsl(Code.RANGE_MISMATCH, 3, 22, "node h[1..3] { }\nnode sw { }\nlink h[1..3]:eth0 -- sw:p[1..4]");
        // names and references
        yaml(Code.BAD_NAME, 2, 3, "nodes:\n  1st: {}\n");
        dsl(Code.NAME_TOO_LONG, 2, 9, "node a {\n  iface averyveryverylongname\n}");
        dsl(Code.DUPLICATE_NAME, 2, 6, "node a { }\nnode a { }");
        dsl(Code.UNKNOWN_REFERENCE, 2, 16, "node a { }\nlink a:eth0 -- c:eth0");
        yaml(Code.UNKNOWN_KIND, 4, 18, "nodes:\n  a:\n    interfaces:\n      x: { kind: bridg }\n");
        dsl(Code.KEY_NOT_ALLOWED, 2, 16, "node a {\n  bridge br0 { vni 42 }\n}");
        dsl(Code.BAD_MASTER, 3, 23, "node a {\n  iface eth0 { }\n  iface eth1 { master eth0 }\n}");
        dsl(Code.IFACE_IN_TWO_LINKS, 5, 6, "node a { }\nnode b { }\nnode c { }\nlink a:eth0 -- b:eth0\nlink a:eth0 -- c:eth0");
        // values
        dsl(Code.BAD_CIDR, 2, 24, "node a {\n  iface eth0 { address 10.0.0.300/24 }\n}");
        dsl(Code.OUT_OF_RANGE, 2, 20, "node a {\n  iface eth0 { mtu 20 }\n}");
        dsl(Code.BAD_VALUE, 2, 30, "node a {\n  sysctl net.ipv4.ip_forward \"1 2\"\n}");
        dsl(Code.BAD_SYSCTL, 2, 10, "node a {\n  sysctl kernel.x 1\n}");
        dsl(Code.HIDDEN_CHARACTER, 2, 8, "node a {\n  # abc\u2028node b { }\n}");
        dsl(Code.POOL_EXHAUSTED, 6, 24, """
                node sw {
                  bridge br0 { address 10.0.0.1/30  subnet 10.0.0.0/30 }
                  iface p[1..2] { master br0 }
                }
                node h[1..2] {
                  iface eth0 { address auto }
                }
                link h[1..2]:eth0 -- sw:p[1..2]
                """);
        dsl(Code.NO_SUBNET, 2, 24, "node a {\n  iface eth0 { address auto }\n}");
        dsl(Code.FAMILY_MISMATCH, 2, 24, "node a {\n  route 10.0.0.0/8 via 2001:db8::1\n}");
        // addresses
        dsl(Code.DUPLICATE_ADDRESS, 5, 9, """
                node a {
                  iface eth0 { address 10.0.0.1/24 }
                }
                node b {
                  iface eth0 { address 10.0.0.1/24 }
                }
                link a:eth0 -- b:eth0
                """);
        dsl(Code.ADDRESS_IN_TWO_DOMAINS, 5, 9, """
                node a {
                  iface eth0 { address 10.0.0.1/24 }
                }
                node b {
                  iface eth0 { address 10.0.0.1/24 }
                }
                """);
        dsl(Code.NETWORK_ADDRESS, 2, 9, "node a {\n  iface eth0 { address 10.0.0.255/24 }\n}");
        dsl(Code.SUBNET_ZERO_HOST, 2, 9, "node a {\n  iface eth0 { address 10.0.0.0/24 }\n}");
        dsl(Code.LINK_MTU_MISMATCH, 3, 1, "node a { iface e { address 10.0.0.1/24  mtu 1400 } }\n"
                + "node b { iface e { address 10.0.0.2/24 } }\nlink a:e -- b:e\n");
        dsl(Code.VXLAN_UNDERLAY_MTU, 3, 9, """
                node a {
                  iface e { address 10.0.0.1/24 }
                  vxlan vx vni 1 local 10.0.0.1 remote 10.0.0.2 dev e { mtu 1500 }
                }
                """);
        dsl(Code.SYSCTL_NOT_MODELLED, 1, 6, "node a {\n  sysctl net.ipv4.conf.default.rp_filter 1\n}");
        dsl(Code.OVERLAPPING_SUBNETS, 5, 9, """
                node a {
                  iface eth0 { address 10.0.0.1/24 }
                }
                node b {
                  iface eth0 { address 10.0.0.2/24 }
                }
                """);
        dsl(Code.SAME_SUBNET_ON_NODE, 3, 9, """
                node a {
                  iface eth0 { address 10.0.0.1/24 }
                  iface eth1 { address 10.0.0.2/24 }
                }
                """);
        // routing
        dsl(Code.GATEWAY_NOT_CONNECTED, 3, 3, """
                node a {
                  iface eth0 { address 10.0.0.1/24 }
                  route 192.168.0.0/16 via 10.9.0.1
                }
                """);
        dsl(Code.DEV_WITHOUT_GATEWAY_SUBNET, 4, 3, """
                node a {
                  iface eth0 { address 10.0.0.1/24 }
                  iface eth1 { address 10.1.0.1/24 }
                  route default via 10.0.0.254 dev eth1
                }
                """);
        dsl(Code.ROUTING_LOOP, 4, 3, """
                node a {
                  forwarding
                  iface eth0 { address 10.0.0.1/24 }
                  route 198.18.0.0/24 via 10.0.0.2
                }
                node b {
                  forwarding
                  iface eth0 { address 10.0.0.2/24 }
                  route 198.18.0.0/24 via 10.0.0.1
                }
                link a:eth0 -- b:eth0
                """);
        dsl(Code.GATEWAY_WITHOUT_FORWARDING, 1, 6, """
                node r {
                  iface eth0 { address 10.0.0.1/24 }
                  iface eth1 { address 10.1.0.1/24 }
                }
                node h {
                  iface eth0 { address 10.0.0.2/24 }
                  route default via 10.0.0.1
                }
                link h:eth0 -- r:eth0
                """);
        dsl(Code.RULE_TABLE_EMPTY, 4, 3, """
                node r {
                  iface eth0 { address 10.0.0.1/24 }
                  route default via 10.0.0.254 table 100
                  rule from 10.0.0.0/24 lookup 200
                }
                """);
        // L2
        dsl(Code.L2_LOOP, 12, 1, """
                node s1 {
                  bridge br0
                  iface p1 { master br0 }
                  iface p2 { master br0 }
                }
                node s2 {
                  bridge br0
                  iface p1 { master br0 }
                  iface p2 { master br0 }
                }
                link s1:p1 -- s2:p1
                link s1:p2 -- s2:p2
                """);
        dsl(Code.DUPLICATE_VLAN_ID, 4, 8, """
                node a {
                  iface eth0 { address 10.0.0.1/24 }
                  vlan v1 parent eth0 id 100
                  vlan v2 parent eth0 id 100
                }
                """);
        dsl(Code.VXLAN_LOCAL_NOT_OWN, 3, 9, """
                node a {
                  iface eth0 { address 10.0.0.1/24 }
                  vxlan vx0 vni 42 local 10.0.0.9 remote 10.0.0.2 dev eth0
                }
                """);
        dsl(Code.DUPLICATE_VXLAN, 4, 9, """
                node a {
                  iface eth0 { address 10.0.0.1/24 }
                  vxlan vx0 vni 42 local 10.0.0.1 remote 10.0.0.2 dev eth0
                  vxlan vx1 vni 42 local 10.0.0.1 remote 10.0.0.3 dev eth0
                }
                """);
        dsl(Code.MACVLAN_PASSTHRU_SHARED, 4, 11, """
                node a {
                  iface eth0 physical { }
                  macvlan m1 parent eth0 mode passthru
                  macvlan m2 parent eth0 mode bridge
                }
                """);
        dsl(Code.PARENT_IS_BRIDGE_PORT, 6, 11, """
                node h {
                  bridge br0
                  iface eth0 physical { master br0 }
                }
                node c {
                  macvlan m0 parent h:eth0 mode bridge
                }
                """);
        dsl(Code.BRIDGE_PORT_ADDRESS, 3, 9, """
                node h {
                  bridge br0
                  iface eth0 physical {
                    address 10.0.0.1/24
                    master br0
                  }
                }
                """);
        dsl(Code.BRIDGE_TOO_MANY_PORTS, 3, 9, """
                node sw {
                  bridge br0
                  iface p[1..1024] { master br0 }
                }
                """);
        // NAT and firewall
        dsl(Code.NAT_UNKNOWN_INTERFACE, 4, 22, """
                node gw {
                  forwarding
                  iface eth0 { address 10.0.0.1/24 }
                  nat masquerade out eth9
                }
                """);
        dsl(Code.DNAT_TARGET_UNKNOWN, 4, 3, """
                node gw {
                  forwarding
                  iface eth0 { address 10.0.0.1/24 }
                  nat dnat tcp port 8080 to 10.0.0.99:80
                }
                """);
        dsl(Code.NAT_WITHOUT_FORWARDING, 3, 3, """
                node gw {
                  iface eth0 { address 10.0.0.1/24 }
                  nat masquerade out eth0
                }
                """);
        dsl(Code.DNAT_TARGET_NO_LISTEN, 4, 3, """
                node gw {
                  forwarding
                  iface eth0 { address 10.0.0.1/24 }
                  nat dnat tcp port 9090 to 10.0.0.10:80
                }
                node web {
                  iface eth0 { address 10.0.0.10/24 }
                  listen tcp 8080
                }
                link gw:eth0 -- web:eth0
                """);
        // workloads
        dsl(Code.DUPLICATE_LISTEN, 4, 3, """
                node web {
                  iface eth0 { address 10.0.0.10/24 }
                  listen tcp 8000-8010
                  listen tcp 8005
                }
                """);
        dsl(Code.LISTEN_ADDRESS_NOT_OWN, 3, 3, """
                node web {
                  iface eth0 { address 10.0.0.10/24 }
                  listen udp 53 on 10.0.0.99
                }
                """);
        dsl(Code.EXPECT_NO_LISTENER, 9, 1, """
                node web {
                  iface eth0 { address 10.0.0.10/24 }
                  listen tcp 80
                }
                node client {
                  iface eth0 { address 10.0.0.20/24 }
                }
                link web:eth0 -- client:eth0
                expect client -> web tcp 9090 reach
                """);
        // machines
        dsl(Code.MACHINE_UNKNOWN, 2, 20, """
                machine hv1 { ssh 192.0.2.11  underlay 198.18.0.1 }
                node web { machine hv2 }
                """);
        dsl(Code.MACHINE_NOT_PLACED, 2, 6, """
                machine hv1 { ssh 192.0.2.11  underlay 198.18.0.1 }
                node web { }
                """);
        dsl(Code.MACHINE_DUPLICATE_ADDRESS, 2, 9, """
                machine hv1 { ssh 192.0.2.11  underlay 198.18.0.1 }
                machine hv2 { ssh 192.0.2.12  underlay 198.18.0.1 }
                """);
        dsl(Code.MACHINE_NO_UNDERLAY, 5, 1, """
                machine hv1 { ssh 192.0.2.11  underlay 198.18.0.1 }
                machine hv2 { ssh 192.0.2.12 }
                node a { machine hv1 }
                node b { machine hv2 }
                link a:eth0 -- b:eth0
                """);
        dsl(Code.MACHINE_VNI_CLASH, 5, 1, """
                machine hv1 { ssh 192.0.2.11  underlay 198.18.0.1 }
                machine hv2 { ssh 192.0.2.12  underlay 198.18.0.2 }
                node a { machine hv1  vxlan vx0 vni 7 remote 10.0.0.9 }
                node b { machine hv2 }
                link a:eth0 -- b:eth0 { vni 7 }
                """);
        dsl(Code.MACHINE_MTU_BUDGET, 5, 1, """
                machine hv1 { ssh 192.0.2.11  underlay 198.18.0.1 }
                machine hv2 { ssh 192.0.2.12  underlay 198.18.0.2 }
                node a { machine hv1 }
                node b { machine hv2 }
                link a:eth0 -- b:eth0 { mtu 1500 }
                """);
        dsl(Code.MACHINE_TUNNEL_KEY_UNUSED, 3, 1, """
                node a { }
                node b { }
                link a:eth0 -- b:eth0 { vni 7 }
                """);
        dsl(Code.MACHINE_TWO_ROOTS, 3, 6, """
                machine hv1 { ssh 192.0.2.11  underlay 198.18.0.1 }
                node h1 root { machine hv1 }
                node h2 root { machine hv1 }
                """);
        dsl(Code.MACHINE_UNDERLAY_FAMILY, 5, 1, """
                machine hv1 { ssh 192.0.2.11  underlay 198.18.0.1 }
                machine hv2 { ssh 192.0.2.12  underlay 2001:db8::2 }
                node a { machine hv1 }
                node b { machine hv2 }
                link a:eth0 -- b:eth0
                """);
    }

    static Stream<Case> cases() {
        return CASES.values().stream();
    }

    @Test
    void everyCodeHasACase() {
        Set<Code> missing = EnumSet.allOf(Code.class);
        missing.removeAll(CASES.keySet());
        missing.removeIf(Code::isBackendCode); // covered by BackendDiagnosticCasesTest in backends/
        missing.removeIf(Code::isPrinterCode); // covered by CommentsKeptProperties beside the printers
        missing.removeIf(Code::isLiveCode); // covered by LiveDiagnosticCodesTest in live/
        assertEquals(Set.of(), missing, "codes without a case in DiagnosticCasesTest (add a minimal topology and "
                + "the expected line and column)");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theCodeIsReportedAtItsPlace(Case c) {
        Compilation compiled = Compiler.compile(new SourceFile(c.file(), c.text()));
        var hits = compiled.diagnostics().all().stream().filter(d -> d.code() == c.code()).toList();
        assertFalse(hits.isEmpty(), () -> c.code() + " not reported; got:\n" + TestSupport.describe(compiled));
        assertTrue(hits.stream().anyMatch(d -> d.span().line() == c.line() && d.span().column() == c.column()
                        && c.file().equals(d.span().file())),
                () -> c.code() + " expected at " + c.line() + ":" + c.column() + "; got:\n" + TestSupport.describe(compiled));
        hits.forEach(d -> {
            assertEquals(c.code().severity(), d.severity(), d::toString);
            assertFalse(d.message().isBlank());
            d.notes().forEach(n -> assertTrue(n.span().isKnown(), () -> "note without a place: " + n));
        });
        if (c.code().severity() == Severity.ERROR) {
            assertFalse(compiled.ok(), "an error makes the topology invalid");
        } else {
            assertTrue(compiled.ok(), () -> "a warning alone leaves the topology valid:\n" + TestSupport.describe(compiled));
        }
    }
}
