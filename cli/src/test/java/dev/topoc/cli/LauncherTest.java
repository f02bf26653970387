package dev.topoc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./topoc} launcher rebuilds the jar only when a source changed: a file that tests write into
 * the tree while {@code mvn verify} runs (jqwik's database, reports) must not start a second build.
 * The launcher is copied into a folder laid out like the repository and asked with {@code --launcher-stale}.
 */
class LauncherTest {
    @TempDir
    Path root;

    private static final Instant JAR_TIME = Instant.parse("2026-01-01T00:00:00Z");

    private int stale() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", root.resolve("topoc").toString(), "--launcher-stale")
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }

    private Path touch(String relative, Instant when) throws IOException {
        Path f = root.resolve(relative);
        Files.createDirectories(f.getParent());
        Files.writeString(f, "x");
        Files.setLastModifiedTime(f, FileTime.from(when));
        return f;
    }

    @Test
    void onlySourcesNewerThanTheJarTriggerABuild() throws Exception {
        Path launcher = Path.of(System.getProperty("topoc.root", "..")).resolve("topoc");
        Files.copy(launcher, root.resolve("topoc"));
        Instant before = JAR_TIME.minusSeconds(60);
        Instant after = JAR_TIME.plusSeconds(60);
        touch("pom.xml", before);
        touch("compiler/pom.xml", before);
        touch("compiler/src/main/java/A.java", before);
        assertEquals(0, stale(), "no jar yet: build");
        touch("cli/target/topoc.jar", JAR_TIME);
        assertEquals(1, stale(), "sources older than the jar: no build");
        touch("compiler/.jqwik-database", after);
        touch("compiler/target/surefire-reports/x.xml", after);
        touch("compiler/src/test/java/ATest.java", after);
        touch(".topoc-build.log", after);
        assertEquals(1, stale(), "files written by tests and test sources do not count");
        touch("compiler/src/main/java/A.java", after);
        assertEquals(0, stale(), "a changed main source does");
        touch("compiler/src/main/java/A.java", before);
        touch("compiler/pom.xml", after);
        assertEquals(0, stale(), "a changed pom does");
    }
}
