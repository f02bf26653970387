package dev.topoc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `topoc compile`: what it writes, and that it writes nothing for invalid input or a bad option. */
class CompileCommandTest {
    @TempDir
    Path dir;

    Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void writesExecutableApplyAndDestroyScripts() throws IOException {
        Path f = write("two.topo", CliTest.GOOD);
        Path out = dir.resolve("out");
        CliTest.Run r = CliTest.run("compile", f.toString(), "--target", "bash", "--sandbox", "--prefix", "lab1-", "-o", out.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        String apply = Files.readString(out.resolve("apply.sh"));
        assertTrue(apply.startsWith("#!/usr/bin/env bash\n"), apply);
        assertTrue(apply.contains("NAMESPACES=(lab1-a lab1-b)"), apply);
        assertTrue(apply.contains("link add name eth0 type veth peer name eth0 netns lab1-b"), apply);
        assertTrue(Files.isExecutable(out.resolve("apply.sh")) && Files.isExecutable(out.resolve("destroy.sh")));
        assertTrue(r.out().contains("wrote"), r.out());
    }

    @Test
    void sameInputGivesByteIdenticalScripts() throws IOException {
        Path f = write("two.topo", CliTest.GOOD);
        CliTest.run("compile", f.toString(), "--target", "bash", "-o", dir.resolve("x").toString());
        CliTest.run("compile", f.toString(), "--target", "bash", "-o", dir.resolve("y").toString());
        assertEquals(Files.readString(dir.resolve("x/apply.sh")), Files.readString(dir.resolve("y/apply.sh")));
        assertEquals(Files.readString(dir.resolve("x/destroy.sh")), Files.readString(dir.resolve("y/destroy.sh")));
    }

    @Test
    void invalidInputIsRefusedWithDiagnosticsAndNothingIsWritten() throws IOException {
        Path f = write("bad.topo", "node a { iface eth0 { address 10.0.0.300/24 } }\n");
        Path out = dir.resolve("out");
        CliTest.Run r = CliTest.run("compile", "--color", "never", f.toString(), "--target", "bash", "-o", out.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("error[E0200]"), r.err());
        assertFalse(Files.exists(out), "nothing may be written");
    }

    @Test
    void unknownTargetsAndNetworkdWithoutAFolderAreUsageErrors() throws IOException {
        Path f = write("two.topo", CliTest.GOOD);
        CliTest.Run r = CliTest.run("compile", f.toString(), "--target", "salt", "-o", dir.resolve("out").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("bash, networkd, ansible"), r.err());
        CliTest.Run noDir = CliTest.run("compile", f.toString(), "--target", "networkd");
        assertEquals(2, noDir.exit());
        assertTrue(noDir.err().contains("-o DIR"), noDir.err());
        assertFalse(Files.exists(dir.resolve("out")));
    }

    @Test
    void aPrefixThatIsNotANameIsAUsageError() throws IOException {
        Path f = write("two.topo", CliTest.GOOD);
        CliTest.Run r = CliTest.run("compile", f.toString(), "--target", "bash", "--prefix", "a;b", "-o", dir.resolve("out").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--prefix 'a;b'"), r.err());
    }

    @Test
    void linksToExternalNodesAreReportedWhenNotSandboxed() throws IOException {
        Path f = write("ext.topo", """
                node a { iface eth0 { address 10.0.0.1/24 } }
                node up external { iface eth0 { address 10.0.0.2/24 } }
                link a:eth0 -- up:eth0
                """);
        CliTest.Run r = CliTest.run("compile", "--color", "never", f.toString(), "--target", "bash", "-o", dir.resolve("out").toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("warning[W0800]"), r.err());
        assertFalse(Files.readString(dir.resolve("out/apply.sh")).contains("dev eth0"), "the unbuilt end is not configured");
    }
}
