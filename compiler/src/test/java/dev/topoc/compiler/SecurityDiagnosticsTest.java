package dev.topoc.compiler;

import static dev.topoc.compiler.TestSupport.describe;
import static dev.topoc.compiler.TestSupport.dsl;
import static dev.topoc.compiler.TestSupport.withCode;
import static dev.topoc.compiler.TestSupport.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.compiler.diag.Code;
import dev.topoc.compiler.diag.Diagnostic;
import dev.topoc.compiler.model.Sysctls;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Issue 18 in the front ends and the resolver: one regression test per item, named after it. */
class SecurityDiagnosticsTest {
    private static Diagnostic only(Compilation c, Code code) {
        List<Diagnostic> d = withCode(c, code);
        assertEquals(1, d.size(), () -> describe(c));
        return d.get(0);
    }

    // ---- item 2: sysctl escapes --------------------------------------------------------------------------------

    @Test
    void item02_sysctlKeysThatLeaveTheNamespacedTreeAreRefused() {
        for (String key : List.of("net.//.kernel.randomize_va_space", "net/../kernel/sysrq", "net..ipv4.ip_forward",
                "net.ipv4.conf.all..rp_filter", "kernel.randomize_va_space", "vm.swappiness", "fs.protected_symlinks",
                "net.ipv4.conf.all.rp_filter.", "net", "net.", "net.ipv4.conf.../x", "net.ipv4.ip_forward\\x")) {
            Compilation c = yaml("nodes:\n  a:\n    sysctl:\n      \"" + key.replace("\\", "\\\\") + "\": 0\n");
            Diagnostic d = only(c, Code.BAD_SYSCTL);
            assertEquals(4, d.span().line(), key);
        }
    }

    @Test
    void item02_globalAndReadOnlyNetKeysAreRefusedByName() {
        Diagnostic ro = only(dsl("node a {\n  sysctl net.core.rmem_max 4096\n}"), Code.BAD_SYSCTL);
        assertTrue(ro.message().contains("read-only inside a network namespace"), ro.message());
        Diagnostic global = only(dsl("node a {\n  sysctl net.core.netdev_max_backlog 4096\n}"), Code.BAD_SYSCTL);
        assertTrue(global.message().contains("global to the machine"), global.message());
        Diagnostic neigh = only(dsl("node a {\n  sysctl net.ipv4.neigh.default.gc_thresh3 4096\n}"), Code.BAD_SYSCTL);
        assertTrue(neigh.message().contains("global"), neigh.message());
    }

    @Test
    void item02_perInterfaceKeysNameAnInterfaceOfTheNodeOrAllOrDefault() {
        assertTrue(dsl("node a {\n  iface eth0.7 { }\n  sysctl net.ipv4.conf.eth0.7.rp_filter 2\n"
                + "  sysctl net.ipv6.conf.default.accept_ra 0\n  sysctl net.ipv4.neigh.eth0.7.app_solicit 1\n"
                + "  sysctl net.ipv4.conf.lo.arp_ignore 1\n  sysctl net.ipv4.ip_forward 1\n}").ok());
        Diagnostic other = only(dsl("node a {\n  iface eth0 { }\n  sysctl net.ipv4.conf.eth9.rp_filter 0\n}"), Code.BAD_SYSCTL);
        assertTrue(other.message().contains("`eth9`, which is no interface of this node"), other.message());
        only(dsl("node a {\n  sysctl net.ipv4.neigh.all.app_solicit 1\n}"), Code.BAD_SYSCTL);
        Diagnostic typo = only(dsl("node a {\n  sysctl net.ipv4.ip_forwad 1\n}"), Code.BAD_SYSCTL);
        assertTrue(typo.message().contains("did you mean `net.ipv4.ip_forward`?"), typo.message());
        only(yaml("nodes:\n  a:\n    sysctl:\n      net.//.kernel.sysrq: 1\n"), Code.BAD_SYSCTL);
    }

    @Test
    void item02_theListPathsStayUnderProcSysNet() {
        for (String key : Sysctls.catalogue().keySet()) {
            String concrete = key.replace(".IF.", ".eth0.7.");
            String path = Sysctls.procPath(concrete);
            assertTrue(path.startsWith("/proc/sys/net/") && !path.contains("..") && !path.contains("//"), path);
        }
        assertEquals("/proc/sys/net/ipv4/conf/eth0.7/rp_filter", Sysctls.procPath("net.ipv4.conf.eth0.7.rp_filter"));
        assertTrue(Sysctls.check("net.ipv4.conf.eth0.7.rp_filter", Set.of("eth0.7")).ok());
    }

    // ---- item 5: names and addresses that mean something else to the kernel ------------------------------------

    @Test
    void item05_interfacesNamedAllOrDefaultAreRefused() {
        for (String name : List.of("all", "default")) {
            Diagnostic d = only(dsl("node a {\n  iface " + name + " { }\n}"), Code.BAD_NAME);
            assertEquals(9, d.span().column());
            assertTrue(d.message().contains("reserved"), d.message());
        }
        only(yaml("nodes:\n  a:\n    interfaces:\n      all: {}\n"), Code.BAD_NAME);
        assertTrue(dsl("node all { }\nnode default { }").ok(), "node names are not interface names");
    }

    @Test
    void item05_multicastAndZeroMacsAreRefused() {
        for (String mac : List.of("ff:ff:ff:ff:ff:ff", "01:00:5e:00:00:01", "33:33:00:00:00:01", "03:00:00:00:00:00",
                "00:00:00:00:00:00")) {
            Diagnostic d = only(dsl("node a {\n  iface eth0 { mac " + mac + " }\n}"), Code.BAD_VALUE);
            assertEquals(20, d.span().column(), mac);
        }
        assertTrue(dsl("node a {\n  iface eth0 { mac 02:00:00:00:00:01 }\n}").ok());
    }

    // ---- item 11: resource bounds ------------------------------------------------------------------------------

    @Test
    void item11_aRangeProductOverTheLimitIsRefusedAtTheRangeBeforeAllocating() {
        Compilation c = assertTimeoutPreemptively(Duration.ofMinutes(5), // a hang guard (a parser that never ends), not a speed test
               
                () -> dsl("node h[1..1000] { iface e[1..1000000] }"));
        Diagnostic d = only(c, Code.INPUT_LIMIT);
        assertEquals(1, d.span().line());
        assertEquals(25, d.span().column());
        assertTrue(d.message().contains("2,000,000"), d.message());
        Compilation many = assertTimeoutPreemptively(Duration.ofMinutes(5), // a hang guard (a parser that never ends), not a speed test
                () -> dsl(
                "node a[1..900000] { }\nnode b[1..900000] { }\nnode c[1..900000] { }"));
        assertEquals(3, only(many, Code.INPUT_LIMIT).span().line());
    }

    @Test
    void item11_anUnknownReferenceWithAVeryLongNameIsQuick() {
        String longName = "x".repeat(200_000);
        Compilation c = assertTimeoutPreemptively(Duration.ofMinutes(5), // a hang guard (a parser that never ends), not a speed test
               
                () -> dsl("node a[1..2000] { }\nlink a1:eth0 -- " + longName + ":eth0"));
        assertFalse(c.ok());
    }

    // ---- item 12: a single-valued key given twice in a DSL block -------------------------------------------------

    @Test
    void item12_aRepeatedSingleValuedKeyInADslBlockIsE0006AsInYaml() {
        Diagnostic mtu = only(dsl("node a {\n  iface eth0 { mtu 1500  mtu 9000 }\n}"), Code.DUPLICATE_KEY);
        assertEquals(2, mtu.span().line());
        assertEquals(26, mtu.span().column());
        assertEquals(1, mtu.notes().size());
        only(dsl("node a {\n  forwarding\n  forwarding false\n}"), Code.DUPLICATE_KEY);
        only(dsl("node a {\n  sysctl net.ipv4.ip_forward 1\n  sysctl net.ipv4.ip_forward 0\n}"), Code.DUPLICATE_KEY);
        only(dsl("node a { iface x { } }\nnode b { iface x { } }\nlink a:x -- b:x { mtu 1500 mtu 1400 }"), Code.DUPLICATE_KEY);
        only(yaml("nodes:\n  a:\n    forwarding: true\n    forwarding: false\n"), Code.DUPLICATE_KEY);
        assertTrue(dsl("node a {\n  iface eth0 { address 10.0.0.1/24  address 10.0.1.1/24 }\n}").ok(),
                "list keys add up");
    }
}
