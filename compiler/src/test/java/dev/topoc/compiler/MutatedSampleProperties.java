package dev.topoc.compiler;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.compiler.diag.Diagnostic;
import dev.topoc.compiler.syntax.SourceFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The whole pipeline (front end, resolver, validation) on mutated samples: whatever the damage, it
 * returns diagnostics with known positions and never throws or hangs.
 */
class MutatedSampleProperties {
    private static final List<Path> SAMPLES = TestSupport.samples("*.{topo,yaml}").stream()
            .filter(p -> !p.getFileName().toString().startsWith("star-")).toList();
    private static final String[] SNIPPETS = {"{", "}", "[", "]", ":", "--", "->", "\"", "#", "//", "\n", " ", "-",
        "auto", "[1..3]", "[3..1]", "0", "99999999999999999999", "10.0.0.0/33", "::", "!", "lo", "node", "iface",
        "master", "parent", "x:y:z", "- ", ": ", "&a", "*a", "!!str", "via", "dev", "table", "0x", "/", ".."};

    @Property(tries = 400)
    void mutatedSamplesNeverCrashThePipeline(@ForAll long seed, @ForAll @IntRange(min = 1, max = 8) int mutations) {
        Random r = new Random(seed);
        Path sample = SAMPLES.get(r.nextInt(SAMPLES.size()));
        String text = mutate(read(sample), r, mutations);
        String name = sample.getFileName().toString();
        Compilation c = assertTimeoutPreemptively(Duration.ofMinutes(5), // a hang guard (a parser that never ends), not a speed test
               
                () -> Compiler.compile(new SourceFile(name, text)));
        for (Diagnostic d : c.diagnostics().all()) {
            assertTrue(d.span().isKnown() && d.span().file().equals(name), () -> "diagnostic without a position: " + d
                    + "\n--- input ---\n" + text);
        }
    }

    private static String mutate(String text, Random r, int count) {
        StringBuilder sb = new StringBuilder(text);
        for (int i = 0; i < count && sb.length() > 0; i++) {
            int at = r.nextInt(sb.length());
            switch (r.nextInt(4)) {
                case 0 -> sb.deleteCharAt(at);
                case 1 -> sb.insert(at, SNIPPETS[r.nextInt(SNIPPETS.length)]);
                case 2 -> sb.delete(at, Math.min(sb.length(), at + 1 + r.nextInt(20)));
                default -> {
                    int other = r.nextInt(sb.length());
                    char c = sb.charAt(at);
                    sb.setCharAt(at, sb.charAt(other));
                    sb.setCharAt(other, c);
                }
            }
        }
        return sb.toString();
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
