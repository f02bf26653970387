package dev.topoc.compiler.syntax.yaml;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.compiler.ast.TopologyAst;
import dev.topoc.compiler.diag.Diagnostic;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.syntax.SourceFile;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/** Whatever the input, {@code parse} returns, and every diagnostic points into the file. */
class YamlParserFuzzTest {
    private static final List<String> LINES = YamlTesting.EXAMPLE.lines().toList();

    private static void assertWellBehaved(String text) {
        Diagnostics diagnostics = new Diagnostics();
        TopologyAst ast = YamlFrontEnd.parse(new SourceFile("f.yaml", text), diagnostics);
        assertNotNull(ast);
        long lines = text.lines().count() + 2;
        for (Diagnostic d : diagnostics.all()) {
            assertTrue(d.span().isKnown(), () -> "unknown span: " + d);
            assertTrue(d.span().line() <= lines && d.span().column() >= 1, () -> "span outside the file: " + d);
            assertTrue(d.span().length() >= 1);
            assertTrue(!d.message().isBlank() && !d.message().contains("org.yaml"), d::message);
        }
    }

    @Property(tries = 300)
    void arbitraryStrings(@ForAll @StringLength(max = 300) String text) {
        assertWellBehaved(text);
    }

    @Property(tries = 500)
    void yamlishStrings(@ForAll("yamlish") String text) {
        assertWellBehaved(text);
    }

    @Property(tries = 500)
    void mutatedExample(@ForAll @IntRange(max = 1500) int at, @ForAll @IntRange(max = 40) int cut,
            @ForAll("yamlish") String insert) {
        String doc = YamlTesting.EXAMPLE;
        int from = Math.min(at, doc.length());
        int to = Math.min(doc.length(), from + cut);
        assertWellBehaved(doc.substring(0, from) + insert + doc.substring(to));
    }

    @Property(tries = 300)
    void reorderedExampleLines(@ForAll @Size(max = 40) List<@IntRange(max = 28) Integer> order) {
        StringBuilder doc = new StringBuilder();
        order.forEach(i -> doc.append(LINES.get(i)).append('\n'));
        assertWellBehaved(doc.toString());
    }

    @Provide
    Arbitrary<String> yamlish() {
        return Arbitraries.oneOf(
                        Arbitraries.strings().withChars(" :-[]{},&*!#|>'\"\n\t?%@`~.ab01"),
                        Arbitraries.of("nodes:", "topology: t", "interfaces:", "- ", "  ", "\n", "&a ", "*a",
                                "!!str ", "!!python/object:x ", "{", "}", "[", "]", ": ", "mtu: ", "links:",
                                "- [a:e, b:e]", "<<: *a", "? ", "---\n", "...\n", "|\n", "\"", "'", "#", "\t"))
                .list().ofMaxSize(30)
                .map(parts -> String.join("", parts));
    }
}
