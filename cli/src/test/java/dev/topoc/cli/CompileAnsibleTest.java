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
        assertTrue(inventory.contains("\n[topoc]\nhv1\nhv2\n"), inventory);
        for (String p : List.of("deploy.yml", "teardown.yml", "check.yml", "check-probe.yml", "probe.py", "host_vars/hv1.yml",
                "host_vars/hv2.yml")) {
            assertTrue(Files.isRegularFile(out.resolve(p)), p);
        }
        assertTrue(Files.readString(out.resolve("host_vars/hv1.yml")).contains("\nansible_host: \"192.0.2.11\"\n"));
        assertTrue(Files.readString(out.resolve("host_vars/hv2.yml")).contains("\nansible_host: \"192.0.2.12\"\n"));
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
    void aSandboxMachinesPhysicalNicIsCabledToItsExternalNodeAndOneCabledToNothingIsRefused() throws IOException {
        Path f = Path.of(System.getProperty("topoc.root", "..")).resolve("samples/three-machines.topo");
        Path out = dir.resolve("out");
        CliTest.Run r = CliTest.run("compile", "--color", "never", f.toString(), "--target", "ansible", "--sandbox", "--prefix", "t-",
                "-o", out.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        String up = Files.readString(out.resolve("sandbox-up.sh"));
        assertTrue(up.contains("ip netns add t-upstream\n") && up.contains("link add name eth0 type veth peer name ens3 netns t-hv1\n")
                && up.contains("ip -n t-upstream address add 203.0.113.1/24 dev eth0\n")
                && up.contains("ip -n t-upstream address add 198.51.100.53/32 dev lo\n"), up);
        assertTrue(Files.readString(out.resolve("sandbox-down.sh")).matches("(?s).*\nOURS=\"[^\n]* t-upstream \".*"));

        String text = Files.readString(f);
        Path unlinked = dir.resolve("unlinked.topo");
        Files.writeString(unlinked, text.replace("link gw:ens3 -- upstream:eth0\n", ""));
        CliTest.Run refused = CliTest.run("compile", "--color", "never", unlinked.toString(), "--target", "ansible", "--sandbox",
                "--prefix", "t-", "-o", dir.resolve("refused").toString());
        assertEquals(1, refused.exit(), refused.out() + refused.err());
        assertTrue(refused.err().contains("error[E0873]") && refused.err().contains("gw:ens3"), refused.err());
        assertFalse(Files.exists(dir.resolve("refused")));

        Path forwarding = dir.resolve("forwarding.topo");
        Files.writeString(forwarding, text.replace("node upstream external {\n", "node upstream external {\n  forwarding\n"));
        CliTest.Run external = CliTest.run("compile", "--color", "never", forwarding.toString(), "--target", "ansible", "--sandbox",
                "--prefix", "t-", "-o", dir.resolve("external").toString());
        assertEquals(1, external.exit(), external.out() + external.err());
        assertTrue(external.err().contains("error[E0874]") && external.err().contains("`forwarding`"), external.err());
        assertFalse(Files.exists(dir.resolve("external")));

        CliTest.Run real = CliTest.run("compile", unlinked.toString(), "--target", "ansible", "-o", dir.resolve("real").toString());
        assertEquals(0, real.exit(), real.out() + real.err());
    }

    @Test
    void viaNetworkdBuildsNeitherTheExternalNodeNorAVethForThePhysicalNic() throws IOException {
        Path f = Path.of(System.getProperty("topoc.root", "..")).resolve("samples/three-machines.topo");
        Path out = dir.resolve("nd");
        CliTest.Run r = CliTest.run("compile", f.toString(), "--target", "ansible", "--via", "networkd", "--prefix", "t-",
                "-o", out.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        String hv1 = Files.readString(out.resolve("machines/hv1/networkd.sh"));
        assertFalse(hv1.contains("t-upstream"), "networkd.sh builds the external node");
        assertFalse(hv1.contains(" ens3 eth0 "), "networkd.sh makes a veth named as the physical NIC");
        // the NIC is the host's: networkd.sh records the address it adds there (down removes only what it recorded)
        // and waits for it
        assertTrue(hv1.contains("own_nic ens3 203.0.113.2/24") && hv1.contains("wait_address '' ens3 203.0.113.2/24"), hv1);
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
