package dev.topoc.backends.networkd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.backends.Artifacts;
import dev.topoc.backends.BackendOptions;
import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.Compiler;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.syntax.SourceFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The exact generated tree (every path, its mode and bytes, with --sandbox and prefix {@code t-}) of a
 * few samples and of {@code backends/src/test/resources/networkd/kinds.topo} (every interface kind and
 * key), against reviewed golden files in {@code backends/src/test/resources/networkd/golden/}.
 * Regenerate with {@code -Dtopoc.golden.update=true}, then review the diff.
 */
class NetworkdGoldenTest {
    private static final Path RESOURCES = Path.of(System.getProperty("topoc.root", "..")).resolve("backends/src/test/resources/networkd");

    @ParameterizedTest
    @ValueSource(strings = {"samples/docker-bridge.topo", "samples/policy-routing.topo", "samples/vxlan-overlay.topo",
        "samples/lpm-blackhole.topo", "samples/macvlan-vepa.topo", "backends/src/test/resources/networkd/kinds.topo"})
    void generatedTreeMatchesGolden(String source) throws IOException {
        Path file = Path.of(System.getProperty("topoc.root", "..")).resolve(source);
        Compilation c = Compiler.compile(new SourceFile(file.getFileName().toString(), Files.readString(file)));
        assertTrue(c.ok(), c.diagnostics().all().toString());
        Diagnostics d = new Diagnostics();
        Artifacts a = new NetworkdBackend().generate(c.model(), new BackendOptions("t-", true), d);
        String actual = d.hasErrors() ? "refused:\n" + d.sorted().stream()
                .map(x -> x.span().line() + ":" + x.span().column() + " " + x.code().id() + " " + x.message() + "\n")
                .reduce("", String::concat) : flatten(a);
        String name = file.getFileName().toString().replaceAll("\\.topo$", ".txt");
        Path golden = RESOURCES.resolve("golden").resolve(name);
        if (Boolean.getBoolean("topoc.golden.update")) {
            Files.createDirectories(golden.getParent());
            Files.writeString(golden, actual);
        }
        assertFalse(actual.isEmpty());
        assertEquals(Files.readString(golden), actual, "golden " + golden);
    }

    /** The whole tree as one text: a header per file with its path and mode, then its bytes. */
    static String flatten(Artifacts a) {
        StringBuilder sb = new StringBuilder();
        a.files().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey()).forEach(e -> sb.append("=== ")
                .append(e.getKey()).append(e.getValue().executable() ? " (0755)" : "").append(" ===\n")
                .append(e.getValue().content()));
        return sb.toString();
    }

}
