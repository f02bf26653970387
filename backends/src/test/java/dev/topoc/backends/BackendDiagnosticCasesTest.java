package dev.topoc.backends;

import dev.topoc.backends.ansible.AnsibleCode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.backends.ansible.AnsibleBackend;
import dev.topoc.backends.ansible.MachineTarget;
import dev.topoc.backends.bash.BashBackend;
import dev.topoc.backends.networkd.NetworkdBackend;
import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.Compiler;
import dev.topoc.compiler.diag.Codes;
import dev.topoc.compiler.diag.DiagnosticCode;
import dev.topoc.compiler.diag.Diagnostic;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.syntax.SourceFile;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every backend code (E0800–E0999) is triggered by a minimal valid topology at the line and column a
 * person counted; the test fails when a backend code has no case.
 */
class BackendDiagnosticCasesTest {
    record Case(Backend backend, BackendOptions options, int line, int column, String topology) {}

    private static final Map<DiagnosticCode, Case> CASES = new LinkedHashMap<>();

    static {
        BackendOptions plain = new BackendOptions("t-", false);
        CASES.put(dev.topoc.backends.bash.BashCode.BASH_CYCLE, new Case(new BashBackend(), new BackendOptions("t-", true), 1, 6, """
                node a { iface x { address 10.0.0.1/24 }  macvlan ma parent b:y mode bridge }
                node b { iface y { address 10.0.0.2/24 }  macvlan mb parent a:x mode bridge }
                link a:x -- b:y
                """));
        CASES.put(dev.topoc.backends.bash.BashCode.BASH_NOT_PROVISIONED, new Case(new BashBackend(), plain, 3, 1, """
                node a { iface eth0 { address 10.0.0.1/24 } }
                node up external { iface eth0 { address 10.0.0.2/24 } }
                link a:eth0 -- up:eth0
                """));
        CASES.put(dev.topoc.backends.bash.BashCode.BASH_BAD_PREFIX, new Case(new BashBackend(), new BackendOptions("x'$(touch /tmp/p)", true), 1, 1, """
                node a { iface eth0 { address 10.0.0.1/24 } }
                """));
        CASES.put(dev.topoc.backends.bash.BashCode.BASH_MACHINES, new Case(new BashBackend(), plain, 2, 9, """
                topology two
                machine hv1 { ssh 192.0.2.11  underlay 198.18.0.1 }
                machine hv2 { ssh 192.0.2.12  underlay 198.18.0.2 }
                node a { machine hv1  iface eth0 { address 10.0.0.1/24 } }
                node b { machine hv2  iface eth0 { address 10.0.0.2/24 } }
                link a:eth0 -- b:eth0
                """));
        CASES.put(dev.topoc.backends.networkd.NetworkdCode.NETWORKD_MACHINES, new Case(new NetworkdBackend(), plain, 2, 9, """
                topology two
                machine hv1 { ssh 192.0.2.11  underlay 198.18.0.1 }
                machine hv2 { ssh 192.0.2.12  underlay 198.18.0.2 }
                node a { machine hv1  iface eth0 { address 10.0.0.1/24 } }
                node b { machine hv2  iface eth0 { address 10.0.0.2/24 } }
                link a:eth0 -- b:eth0
                """));
        CASES.put(dev.topoc.backends.networkd.NetworkdCode.NETWORKD_FOREIGN_PARENT, new Case(new NetworkdBackend(), plain, 2, 18, """
                node a { iface eth0 physical { address 10.0.0.1/24 } }
                node b { macvlan m1 parent a:eth0 mode bridge { address 10.0.0.2/24 } }
                """));
        CASES.put(dev.topoc.backends.networkd.NetworkdCode.NETWORKD_ROUTE_WITHOUT_LINK, new Case(new NetworkdBackend(), plain, 4, 3, """
                node a {
                  iface eth0 { address 192.168.1.1/24 }
                  route 10.0.0.254/32 dev eth0
                  route 10.9.0.0/16 via 10.0.0.254
                }
                """));
        CASES.put(dev.topoc.backends.networkd.NetworkdCode.NETWORKD_UNCABLED_IN_SANDBOX, new Case(new NetworkdBackend(), new BackendOptions("t-", true), 1,
                16, """
                node a { iface eth0 physical { address 10.0.0.1/24 } }
                """));
        CASES.put(dev.topoc.backends.networkd.NetworkdCode.NETWORKD_BAD_PREFIX, new Case(new NetworkdBackend(), new BackendOptions("bad prefix;", false),
                1, 1, """
                node a { iface eth0 { address 10.0.0.1/24 } }
                """));
    }

    /** The Ansible backend deploying the whole topology as one machine's part ({@code ssh} as given). */
    private static Backend ansible(AnsibleBackend.Via via, String ssh) {
        return (model, options, d) -> new AnsibleBackend().generate("t", List.of(new MachineTarget("m1", model.span(), ssh,
                "198.18.0.1", model)), options, via, d);
    }

    static {
        CASES.put(AnsibleCode.ANSIBLE_NETWORKD_SANDBOX_CABLE, new Case(ansible(AnsibleBackend.Via.NETWORKD, "192.0.2.1"),
                new BackendOptions("t-", true), 3, 9, """
                topology t
                node m1 root {
                  iface underlay0 physical { address 198.18.0.1/24 }
                }
                """));
        CASES.put(AnsibleCode.ANSIBLE_SANDBOX_NAME_TAKEN, new Case(ansible(AnsibleBackend.Via.BASH, "192.0.2.1"),
                new BackendOptions("t-", true), 3, 6, """
                topology t
                node a { iface eth0 { address 10.0.0.1/24 } }
                node control { iface eth0 { address 10.0.0.2/24 } }
                link a:eth0 -- control:eth0
                """));
        CASES.put(AnsibleCode.ANSIBLE_SANDBOX_PHYSICAL, new Case(ansible(AnsibleBackend.Via.BASH, "192.0.2.1"),
                new BackendOptions("t-", true), 3, 9, """
                topology t
                node gw root {
                  iface ens3 physical { address 203.0.113.2/24 }
                }
                """));
        CASES.put(AnsibleCode.ANSIBLE_SANDBOX_EXTERNAL, new Case(ansible(AnsibleBackend.Via.BASH, "192.0.2.1"),
                new BackendOptions("t-", true), 7, 9, """
                topology t
                node gw root {
                  iface ens3 physical { address 203.0.113.2/24 }
                }
                node upstream external {
                  iface eth0 { address 203.0.113.1/24 }
                  iface eth1 { address 198.51.100.1/24 }
                }
                link gw:ens3 -- upstream:eth0
                """));
        CASES.put(AnsibleCode.ANSIBLE_SANDBOX_HOST_NAME, new Case(ansible(AnsibleBackend.Via.BASH, "hv1.example.net"),
                new BackendOptions("t-", true), 1, 1, """
                topology t
                node a { iface eth0 { address 10.0.0.1/24 } }
                """));
    }

    @Test
    void everyBackendCodeIsTriggeredAtItsPlace() {
        for (var e : CASES.entrySet()) {
            Compilation c = Compiler.compile(new SourceFile("t.topo", e.getValue().topology()));
            assertTrue(c.ok(), e.getKey() + ": the topology itself must be valid: " + c.diagnostics().all());
            Diagnostics d = new Diagnostics();
            e.getValue().backend().generate(c.model(), e.getValue().options(), d);
            List<Diagnostic> found = d.sorted().stream().filter(x -> x.code() == e.getKey()).toList();
            assertFalse(found.isEmpty(), e.getKey() + ": " + d.all());
            assertEquals(e.getValue().line() + ":" + e.getValue().column(),
                    found.get(0).span().line() + ":" + found.get(0).span().column(), e.getKey().toString());
        }
    }

    @Test
    void everyBackendCodeHasACase() {
        Set<DiagnosticCode> missing = new java.util.LinkedHashSet<>();
        for (DiagnosticCode c : Codes.all()) {
            if (c.isBackendCode() && !CASES.containsKey(c)) {
                missing.add(c);
            }
        }
        assertEquals(Set.of(), missing, "backend codes without a case here");
    }
}
