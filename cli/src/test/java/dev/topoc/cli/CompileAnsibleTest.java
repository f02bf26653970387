package dev.topoc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `topoc compile --target ansible`: the files it writes for a topology with machines, and what it refuses. */
class CompileAnsibleTest {
    static final String TWO_MACHINES = """
            topology two
            machine hv1 { ssh 192.0.2.11  underlay 198.18.0.1 }
            machine hv2 { ssh 192.0.2.12  underlay 198.18.0.2 }
            node a { machine hv1  iface eth0 { address 10.0.0.1/24 } }
            node b { machine hv1  iface eth0 { address 10.0.0.2/24 } }
            node c { machine hv2  iface eth0 { address 10.0.1.1/24 } }
            node d { machine hv2  iface eth0 { address 10.0.1.2/24 } }
            link a:eth0 -- b:eth0
            link c:eth0 -- d:eth0
            """;

    @TempDir
    Path dir;

    @Test
    void writesInventoryPlaybooksAndEachMachinesScripts() throws IOException {
        Path f = dir.resolve("two.topo");
        Files.writeString(f, TWO_MACHINES);
        Path out = dir.resolve("out");
        CliTest.Run r = CliTest.run("compile", f.toString(), "--target", "ansible", "--prefix", "m1-", "-o", out.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        String inventory = Files.readString(out.resolve("inventory.ini"));
        assertTrue(inventory.contains("\nhv1 ansible_host=192.0.2.11\nhv2 ansible_host=192.0.2.12\n"), inventory);
        for (String p : List.of("deploy.yml", "teardown.yml", "check.yml", "check-probe.yml", "probe.py", "host_vars/hv1.yml",
                "host_vars/hv2.yml")) {
            assertTrue(Files.isRegularFile(out.resolve(p)), p);
        }
        // each machine builds only its own nodes
        String hv1 = Files.readString(out.resolve("machines/hv1/apply.sh"));
        assertTrue(hv1.contains("NAMESPACES=(m1-a m1-b)"), hv1);
        assertTrue(Files.readString(out.resolve("machines/hv2/apply.sh")).contains("NAMESPACES=(m1-c m1-d)"));
        assertTrue(Files.isExecutable(out.resolve("machines/hv2/destroy.sh")));
        assertFalse(Files.exists(out.resolve("sandbox-up.sh")), "only --sandbox writes the sandbox scripts");

        Path sb = dir.resolve("sb");
        CliTest.Run s = CliTest.run("compile", f.toString(), "--target", "ansible", "--sandbox", "--prefix", "m1-", "-o", sb.toString());
        assertEquals(0, s.exit(), s.out() + s.err());
        assertTrue(Files.isExecutable(sb.resolve("sandbox-up.sh")) && Files.isExecutable(sb.resolve("sandbox-down.sh")));
        assertTrue(Files.readString(sb.resolve("inventory.ini")).contains("ansible_ssh_common_args='-F {{ inventory_dir }}/ssh/config'"));
    }

    @Test
    void aLinkAcrossMachinesIsStitchedIntoEachMachinesScript() throws IOException {
        Path f = dir.resolve("cross.topo");
        Files.writeString(f, """
                topology cross
                machine hv1 { ssh 192.0.2.11  underlay 198.18.0.1 }
                machine hv2 { ssh 192.0.2.12  underlay 198.18.0.2 }
                node a { machine hv1  iface eth0 { address 10.0.0.1/24 } }
                node b { machine hv2  iface eth0 { address 10.0.0.2/24 } }
                link a:eth0 -- b:eth0
                """);
        Path out = dir.resolve("out");
        CliTest.Run r = CliTest.run("compile", f.toString(), "--target", "ansible", "-o", out.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        String hv1 = Files.readString(out.resolve("machines/hv1/apply.sh"));
        String hv2 = Files.readString(out.resolve("machines/hv2/apply.sh"));
        assertTrue(hv1.matches("(?s).*type vxlan id \\d+ local 198\\.18\\.0\\.1 remote 198\\.18\\.0\\.2 .*"), hv1);
        assertTrue(hv2.matches("(?s).*type vxlan id \\d+ local 198\\.18\\.0\\.2 remote 198\\.18\\.0\\.1 .*"), hv2);
        assertTrue(hv1.contains("NAMESPACES=(a)") && hv2.contains("NAMESPACES=(b)"), hv1);
    }

    @Test
    void aSandboxMachineWithAnotherPhysicalNicIsRefused() throws IOException {
        Path f = Path.of(System.getProperty("topoc.root", "..")).resolve("samples/three-machines.topo");
        CliTest.Run r = CliTest.run("compile", "--color", "never", f.toString(), "--target", "ansible", "--sandbox", "--prefix", "t-",
                "-o", dir.resolve("out").toString());
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("error[E0873]") && r.err().contains("gw:ens3"), r.err());
        assertFalse(Files.exists(dir.resolve("out")));
        CliTest.Run real = CliTest.run("compile", f.toString(), "--target", "ansible", "-o", dir.resolve("real").toString());
        assertEquals(0, real.exit(), real.out() + real.err());
    }

    @Test
    void viaNetworkdWritesEachMachinesTreesAndAFileWithoutMachinesIsRefusedWithAMessage() throws IOException {
        Path f = dir.resolve("two.topo");
        Files.writeString(f, TWO_MACHINES);
        Path nd = dir.resolve("nd");
        CliTest.Run r = CliTest.run("compile", "--color", "never", f.toString(), "--target", "ansible", "--via", "networkd",
                "--prefix", "m1-", "-o", nd.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        // each machine carries only its own nodes' trees, and networkd.sh makes only its own namespaces
        assertTrue(Files.isRegularFile(nd.resolve("machines/hv1/nodes/a/systemd/network/01-eth0.network")));
        assertFalse(Files.exists(nd.resolve("machines/hv1/nodes/c")));
        assertTrue(Files.isExecutable(nd.resolve("machines/hv2/networkd.sh")));
        String hv2 = Files.readString(nd.resolve("machines/hv2/networkd.sh"));
        assertTrue(hv2.contains("\n  make_ns m1-c\n  make_ns m1-d\n"), hv2);
        assertFalse(Files.exists(nd.resolve("machines/hv1/apply.sh")));
        assertTrue(Files.readString(nd.resolve("deploy.yml")).contains("networkd.sh"));
        assertFalse(Files.exists(nd.resolve("check.yml")), "check --live probes only the labs up brings up (--via bash)");

        Path plain = dir.resolve("plain.topo");
        Files.writeString(plain, CliTest.GOOD);
        CliTest.Run p = CliTest.run("compile", plain.toString(), "--target", "ansible", "-o", dir.resolve("out").toString());
        assertEquals(1, p.exit());
        assertTrue(p.err().contains("declare them"), p.err());
        assertFalse(Files.exists(dir.resolve("out")));
    }

    @Test
    void viaWithoutAnsibleAndAnsibleWithoutAFolderAreUsageErrors() throws IOException {
        Path f = dir.resolve("two.topo");
        Files.writeString(f, TWO_MACHINES);
        CliTest.Run via = CliTest.run("compile", f.toString(), "--target", "bash", "--via", "bash", "-o", dir.resolve("o").toString());
        assertEquals(2, via.exit());
        assertTrue(via.err().contains("--via chooses"), via.err());
        CliTest.Run noDir = CliTest.run("compile", f.toString(), "--target", "ansible");
        assertEquals(2, noDir.exit());
        assertTrue(noDir.err().contains("-o DIR"), noDir.err());
        CliTest.Run help = CliTest.run("compile", "--help");
        assertTrue(help.out().contains("--target ansible") && help.out().contains("--via"), help.out());
    }
}
