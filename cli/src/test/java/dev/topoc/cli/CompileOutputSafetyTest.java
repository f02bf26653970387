package dev.topoc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 18, items 4 and 16, and issue 17, item 12: where and how `compile` writes. */
class CompileOutputSafetyTest {
    @TempDir
    Path dir;

    private Path topo() throws IOException {
        Path f = dir.resolve("two.topo");
        Files.writeString(f, CliTest.GOOD);
        return f;
    }

    @Test
    void item04_aLinkPlantedAtApplyShIsReplacedNotFollowed() throws Exception {
        Path out = Files.createDirectory(dir.resolve("out"));
        Path victim = dir.resolve("victim.txt");
        Files.writeString(victim, "precious\n");
        Files.setPosixFilePermissions(victim, PosixFilePermissions.fromString("rw-------"));
        Files.createSymbolicLink(out.resolve("apply.sh"), victim);
        Files.createSymbolicLink(out.resolve("destroy.sh"), dir.resolve("missing-target"));
        CliTest.Run r = CliTest.run("compile", topo().toString(), "--target", "bash", "-o", out.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertEquals("precious\n", Files.readString(victim), "compile wrote through the link");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(victim)));
        assertFalse(Files.exists(dir.resolve("missing-target")), "compile created the link's target");
        for (String s : List.of("apply.sh", "destroy.sh")) {
            Path p = out.resolve(s);
            assertFalse(Files.isSymbolicLink(p));
            assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS)));
        }
        try (var s = Files.list(out)) {
            assertEquals(List.of("apply.sh", "destroy.sh"), s.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no temporary file left");
        }
    }

    @Test
    void item04_aLinkedSubfolderOfTheOutputIsRefused() throws Exception {
        Path out = Files.createDirectory(dir.resolve("etc"));
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        Files.createSymbolicLink(out.resolve("a"), elsewhere);
        CliTest.Run r = CliTest.run("compile", topo().toString(), "--target", "networkd", "-o", out.toString());
        assertEquals(4, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("is a symbolic link"), r.err());
        try (var s = Files.list(elsewhere)) {
            assertEquals(0, s.count(), "compile wrote through the link");
        }
    }

    @Test
    void item16_anOutputFolderWritableByOthersIsRefused() throws Exception {
        Path out = Files.createDirectory(dir.resolve("shared"));
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxrwxrwx"));
        CliTest.Run r = CliTest.run("compile", topo().toString(), "--target", "bash", "-o", out.toString());
        assertEquals(4, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("writable by others"), r.err());
        assertFalse(Files.exists(out.resolve("apply.sh")));
    }

    @Test
    void item16_anOutputFolderOfAnotherUserIsRefused() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to give a folder to another user");
        Path out = Files.createDirectory(dir.resolve("theirs"));
        Process chown = new ProcessBuilder("chown", "nobody", out.toString()).inheritIO().start();
        assertTrue(chown.waitFor(10, TimeUnit.SECONDS) && chown.exitValue() == 0);
        CliTest.Run r = CliTest.run("compile", topo().toString(), "--target", "bash", "-o", out.toString());
        assertEquals(4, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("belongs to nobody"), r.err());
        assertFalse(Files.exists(out.resolve("apply.sh")));
    }

    /** Runs the CLI in its own JVM, in {@code cwd}: the default output folder is relative to it. */
    @Test
    void issue17item12_compileWithoutOutputWritesIntoAFolderNamedAfterTheTopologyAndSaysSo() throws Exception {
        Path f = topo();
        Path cwd = Files.createDirectory(dir.resolve("cwd"));
        Path log = dir.resolve("log.txt");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "dev.topoc.cli.Main", "compile", f.toString(), "--target", "bash")
                .directory(cwd.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String said = Files.readString(log);
        assertEquals(0, p.exitValue(), said);
        assertTrue(Files.isRegularFile(cwd.resolve("two/apply.sh")) && Files.isRegularFile(cwd.resolve("two/destroy.sh")), said);
        assertFalse(Files.exists(cwd.resolve("apply.sh")), "wrote into the current folder itself");
        assertTrue(said.contains("named after the topology") && said.contains("two/apply.sh"), said);
    }
}
