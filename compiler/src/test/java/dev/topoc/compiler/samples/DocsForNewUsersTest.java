package dev.topoc.compiler.samples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.compiler.TestSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Issue 17, items 16 and 17: what a new user reads on a fresh clone must hold on their machine. */
class DocsForNewUsersTest {
    @Test
    void samplesReadmeNamesSeedFilesWithoutAnAbsolutePath() throws IOException {
        String readme = Files.readString(TestSupport.root().resolve("samples/README.md"));
        Matcher absolute = Pattern.compile("(?<![\\w.])/(?:work|home|root|tmp|srv|mnt|Users)/\\S*").matcher(readme);
        assertTrue(!absolute.find(), () -> "samples/README.md names an absolute path of one machine: " + absolute.group());
    }

    /** Issue 17, item 14: what tests write stays under target/, so the launcher does not rebuild. */
    @Test
    void jqwikKeepsItsDatabaseUnderTarget() throws IOException {
        for (String module : List.of("compiler", "backends")) {
            String properties = Files.readString(TestSupport.root().resolve(module + "/src/test/resources/junit-platform.properties"));
            assertTrue(properties.contains("jqwik.database = target/.jqwik-database"), module + ": " + properties);
        }
    }

    @Test
    void readmeNamesEveryPackageCiInstallsForTheTests() throws IOException {
        String readme = Files.readString(TestSupport.root().resolve("README.md"));
        String ci = Files.readString(TestSupport.root().resolve(".ci/run"));
        Matcher install = Pattern.compile("apt-get install (?:-\\S+ )*([^>\\n]+)").matcher(ci);
        assertTrue(install.find(), ".ci/run installs packages with apt-get");
        List<String> packages = List.of(install.group(1).trim().split("\\s+"));
        assertTrue(packages.contains("python3"), packages.toString());
        for (String p : packages) {
            assertTrue(readme.contains("`" + p + "`"), "README.md does not say which tests need `" + p + "`");
        }
    }
}
