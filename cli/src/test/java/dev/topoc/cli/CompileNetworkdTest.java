package dev.topoc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code compile --target networkd}. */
class CompileNetworkdTest {
    @TempDir
    Path dir;

    static CliTest.Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new CliTest.Run(code, out.toString(), err.toString());
    }

    @Test
    void writesOneFolderPerNode() throws IOException {
        Path f = dir.resolve("two.topo");
        Files.writeString(f, CliTest.GOOD);
        Path out = dir.resolve("out");
        CliTest.Run r = run("compile", "--target", "networkd", f.toString(), "-o", out.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertEquals("# topoc: veth eth0 of node a (generated; do not edit)\n\n[Match]\nName=eth0\n\n[Network]\n"
                + "LinkLocalAddressing=ipv6\nIPv6AcceptRA=no\nConfigureWithoutCarrier=yes\nAddress=10.0.0.1/24\n",
                Files.readString(out.resolve("a/systemd/network/01-eth0.network")));
        assertTrue(Files.exists(out.resolve("b/systemd/network/00-lo.network")));
        assertFalse(Files.exists(out.resolve("sandbox-up.sh")));
    }

    @Test
    void sandboxWritesExecutableScripts() throws IOException {
        Path f = dir.resolve("two.topo");
        Files.writeString(f, CliTest.GOOD);
        Path out = dir.resolve("out");
        CliTest.Run r = run("compile", "--target", "networkd", f.toString(), "-o", out.toString(), "--sandbox", "--prefix", "lab-");
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(Files.isExecutable(out.resolve("sandbox-up.sh")));
        assertTrue(Files.readString(out.resolve("sandbox-up.sh")).contains("ip netns add lab-a\n"));
    }

    @Test
    void refusalPrintsTheDiagnosticAndWritesNothing() throws IOException {
        Path f = dir.resolve("mv.topo");
        Files.writeString(f, """
                node a { iface eth0 physical { address 10.0.0.1/24 } }
                node b {
                  macvlan m1 parent a:eth0 mode bridge { address 10.0.0.2/24 }
                }
                """);
        Path out = dir.resolve("out");
        CliTest.Run r = run("compile", "--target", "networkd", "--color", "never", f.toString(), "-o", out.toString());
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains(f + ":3:11: error[E0850]: macvlan b:m1 has its parent a:eth0 on another node"), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void badPrefixIsAUsageError() throws IOException {
        Path f = dir.resolve("two.topo");
        Files.writeString(f, CliTest.GOOD);
        CliTest.Run r = run("compile", "--target", "networkd", f.toString(), "-o", dir.resolve("o").toString(), "--prefix", "a;b");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--prefix"), r.err());
    }
}
