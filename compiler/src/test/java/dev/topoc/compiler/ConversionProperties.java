package dev.topoc.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.compiler.diag.Code;
import dev.topoc.compiler.print.DslPrinter;
import dev.topoc.compiler.print.YamlPrinter;
import dev.topoc.compiler.syntax.SourceFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Issue 18, item 14: every valid input converts to a valid file with an equal model, in both directions. The
 * inputs are samples and generated topologies damaged by random edits that include control characters,
 * invisible Unicode, repeated keys and empty files; those that stay valid must survive conversion.
 */
class ConversionProperties {
    private static final List<Path> SAMPLES = TestSupport.samples("*.{topo,yaml}").stream()
            .filter(p -> !p.getFileName().toString().startsWith("star-")).toList();
    private static final String[] SNIPPETS = {"\u0000", "\u000b", "\u000c", "\u007f", "\u0085", "\u2028", "\u2029",
        "\u202e", "\u200b", "\ufeff", "# x", "#", "\n", " ", "\t", "\r\n", "mtu 1500 ", "forwarding ", "up false ",
        "stp ", "\"a b\"", "'", ":", "- ", "{}", "[]", "~", "null", "''", "e\u0301"};

    @Property(tries = 600, seed = "18014")
    void validInputsConvertToValidFilesWithEqualModels(@ForAll long seed, @ForAll @IntRange(min = 0, max = 4) int edits) {
        Random r = new Random(seed);
        boolean generated = r.nextInt(3) == 0;
        Path sample = SAMPLES.get(r.nextInt(SAMPLES.size()));
        String name = generated ? "gen.topo" : sample.getFileName().toString();
        String text = mutate(generated ? TopologyGen.generate(r) : read(sample), r, edits);
        Compilation c = assertTimeoutPreemptively(Duration.ofMinutes(5), // a hang guard (a parser that never ends), not a speed test
                () -> Compiler.compile(new SourceFile(name, text)));
        if (!c.ok()) {
            return;
        }
        boolean yaml = name.endsWith(".yaml");
        String converted = yaml ? DslPrinter.print(c.ast()) : YamlPrinter.print(c.ast());
        String stem = name.substring(0, name.lastIndexOf('.'));
        String target = stem + (yaml ? ".topo" : ".yaml"); // the default topology name comes from the file name
        Compilation back = Compiler.compile(new SourceFile(target, converted));
        assertTrue(back.ok(), () -> "valid " + name + " converts to an invalid " + target + ":\n" + TestSupport.describe(back)
                + "\n--- input ---\n" + text + "\n--- converted ---\n" + converted);
        assertEquals(c.model(), back.model(), () -> "--- input ---\n" + text + "\n--- converted ---\n" + converted);
    }

    @Example
    void anEmptyDslFileConvertsToAValidYamlFile() {
        for (String text : List.of("", "\n", "# only a comment\n")) {
            Compilation c = Compiler.compile(new SourceFile("empty.topo", text));
            assertTrue(c.ok(), TestSupport.describe(c));
            String yaml = YamlPrinter.print(c.ast());
            Compilation back = Compiler.compile(new SourceFile("empty.yaml", yaml));
            assertTrue(back.ok(), () -> TestSupport.describe(back) + "\n" + yaml);
            assertEquals(c.model(), back.model());
        }
    }

    /** Item 3: a comment that would become YAML code when converted is refused at the character. */
    @Example
    void item03_aLineSeparatorInADslCommentIsRefusedAtTheCharacter() {
        for (char c : new char[] {'\u2028', '\u2029', '\u0085', '\u202e', '\u2066', '\u200b', '\u000b', '\u0000', '\u007f'}) {
            String text = "node a { }\n# note" + c + "node evil { sysctl kernel.sysrq 1 }\n";
            Compilation comp = Compiler.compile(new SourceFile("t.topo", text));
            assertFalse(comp.ok(), "U+" + Integer.toHexString(c));
            var d = comp.diagnostics().all().stream().filter(x -> x.code() == Code.HIDDEN_CHARACTER).findFirst().orElseThrow();
            assertEquals(2, d.span().line());
            assertEquals(7, d.span().column());
            assertTrue(d.message().contains(String.format("U+%04X", (int) c)), d.message());
        }
        for (String yaml : List.of("topology: t # a\u2028nodes: {}\n", "topology: \"t\u202e\"\n", "nodes:\n  a\u200b: {}\n")) {
            Compilation comp = Compiler.compile(new SourceFile("t.yaml", yaml));
            assertTrue(comp.diagnostics().all().stream().anyMatch(x -> x.code() == Code.HIDDEN_CHARACTER), yaml);
        }
    }

    private static String mutate(String text, Random r, int count) {
        StringBuilder sb = new StringBuilder(text);
        for (int i = 0; i < count; i++) {
            int at = sb.length() == 0 ? 0 : r.nextInt(sb.length() + 1);
            switch (r.nextInt(3)) {
                case 0 -> {
                    if (sb.length() > 0 && at < sb.length()) {
                        sb.deleteCharAt(at);
                    }
                }
                case 1 -> sb.insert(at, SNIPPETS[r.nextInt(SNIPPETS.length)]);
                default -> {
                    // a comment at the end of a line, holding a snippet
                    int eol = sb.indexOf("\n", at);
                    sb.insert(eol < 0 ? sb.length() : eol, "  # " + SNIPPETS[r.nextInt(SNIPPETS.length)]);
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
