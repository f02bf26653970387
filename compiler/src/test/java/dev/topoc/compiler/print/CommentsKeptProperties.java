package dev.topoc.compiler.print;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.compiler.TestSupport;
import dev.topoc.compiler.TopologyGen;
import dev.topoc.compiler.ast.Syntax;
import dev.topoc.compiler.ast.TopologyAst;
import dev.topoc.compiler.diag.Code;
import dev.topoc.compiler.diag.Diagnostic;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.syntax.FrontEnd;
import dev.topoc.compiler.syntax.SourceFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 17, item 1: comments survive {@code fmt} and both {@code convert} directions, text and order,
 * and YAML anchors are refused rather than expanded. Comments are read back from the printed text with
 * a line scanner of their own (not the front end under test).
 */
class CommentsKeptProperties {
    /** Comment texts ({@code #…} to the end of the line, outside double quotes), in file order. */
    static List<String> comments(String text) {
        List<String> out = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            boolean quoted = false;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (c == '"' && (i == 0 || line.charAt(i - 1) != '\\')) {
                    quoted = !quoted;
                } else if (c == '#' && !quoted && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                    out.add(line.substring(i).stripTrailing());
                    break;
                }
            }
        }
        return out;
    }

    private static TopologyAst parse(String path, String text) {
        Diagnostics d = new Diagnostics();
        TopologyAst ast = FrontEnd.parse(new SourceFile(path, text), d);
        assertFalse(d.hasErrors(), () -> d.all() + "\n--- " + path + " ---\n" + text);
        return ast;
    }

    /** A generated topology in YAML with comments put in at random: own-line ones and line ends. */
    static String commentedYaml(long seed) {
        Random r = new Random(seed);
        String yaml = YamlPrinter.print(parse("gen.topo", TopologyGen.generate(r)));
        StringBuilder out = new StringBuilder();
        int n = 0;
        for (String line : yaml.split("\n")) {
            if (r.nextInt(5) == 0) {
                String indent = line.substring(0, line.length() - line.stripLeading().length());
                out.append(indent).append(comment(r, n++)).append('\n');
            }
            out.append(line);
            if (!line.isBlank() && !line.contains("#") && r.nextInt(4) == 0) {
                out.append(" ".repeat(1 + r.nextInt(3))).append(comment(r, n++));
            }
            out.append('\n');
        }
        if (r.nextBoolean()) {
            out.append(comment(r, n)).append('\n');
        }
        return out.toString();
    }

    private static String comment(Random r, int n) {
        String[] words = {"uplink", "see RFC 7348", "tcp:80 -> \"web\"", "# twice", "// not DSL", "x: [1, 2]", "ünïcode"};
        return "#" + (r.nextBoolean() ? " " : "") + "c" + n + " " + words[r.nextInt(words.length)];
    }

    @Property(tries = 200, seed = "17")
    void commentsAndTheirOrderSurviveFmtAndBothConversions(@ForAll long seed) {
        String yaml = commentedYaml(seed);
        List<String> written = comments(yaml);
        TopologyAst ast = parse("c.yaml", yaml);
        String formatted = YamlPrinter.print(ast);
        assertEquals(written, comments(formatted), () -> "fmt:\n" + formatted + "\n--- from ---\n" + yaml);
        String dsl = DslPrinter.print(ast);
        assertEquals(written, comments(dsl), () -> "YAML -> DSL:\n" + dsl + "\n--- from ---\n" + yaml);
        String back = YamlPrinter.print(parse("c.topo", dsl));
        assertEquals(written, comments(back), () -> "YAML -> DSL -> YAML:\n" + back + "\n--- from ---\n" + yaml);
        assertEquals(formatted, YamlPrinter.print(parse("c.yaml", formatted)), "fmt is idempotent with comments");
    }

    @Property(tries = 100, seed = "17")
    void aFileWithAliasesIsRefusedAtEachAliasAndOneWithoutIsNot(@ForAll long seed) {
        Random r = new Random(seed);
        String yaml = YamlPrinter.print(parse("gen.topo", TopologyGen.generate(r)));
        SourceFile plain = new SourceFile("a.yaml", yaml);
        Diagnostics none = new Diagnostics();
        AsWritten.check(plain, Syntax.YAML, none);
        assertTrue(none.all().isEmpty(), none.all()::toString);
        // anchor the first node's body and alias it from 1-3 copies, inserted right after it
        List<String> lines = new ArrayList<>(List.of(yaml.split("\n")));
        int node = lines.indexOf("nodes:") + 1;
        while (!lines.get(node).matches("  [^ #].*")) {
            node++; // past comments: the first node's key
        }
        String first = lines.get(node);
        int colon = first.indexOf(':', 2);
        lines.set(node, first.substring(0, colon + 1) + " &body" + first.substring(colon + 1));
        int end = node + 1;
        while (end < lines.size() && (lines.get(end).startsWith(" ") || lines.get(end).startsWith("#"))) {
            end++; // the end of the nodes map
        }
        int copies = 1 + r.nextInt(3);
        List<Integer> aliasLines = new ArrayList<>();
        for (int i = 0; i < copies; i++) {
            lines.add(end + i, "  copy" + i + ": *body");
            aliasLines.add(end + i + 1);
        }
        String aliased = String.join("\n", lines) + "\n";
        int anchorLine = node + 1;
        parse("aliased.yaml", aliased);
        Diagnostics d = new Diagnostics();
        AsWritten.check(new SourceFile("aliased.yaml", aliased), Syntax.YAML, d);
        assertEquals(aliasLines, d.all().stream().map(x -> x.span().line()).toList(), aliased);
        assertTrue(d.all().stream().allMatch(x -> x.code() == Code.YAML_ALIAS_NOT_KEPT && x.span().column() == 10
                && x.notes().get(0).span().line() == anchorLine), d.all()::toString);
    }

    static Stream<Path> yamlSamples() {
        return TestSupport.samples("*.yaml").stream();
    }

    /** Every YAML sample: fmt, and YAML → DSL → YAML, keep each comment byte for byte, in order. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("yamlSamples")
    void everyYamlSampleKeepsItsCommentsByteForByte(Path sample) throws IOException {
        String text = Files.readString(sample);
        List<String> written = comments(text);
        assertFalse(written.isEmpty(), "the samples open with a comment block");
        TopologyAst ast = parse(sample.getFileName().toString(), text);
        assertEquals(written, comments(YamlPrinter.print(ast)), "fmt");
        String dsl = DslPrinter.print(ast);
        assertEquals(written, comments(dsl), "convert --to dsl");
        assertEquals(written, comments(YamlPrinter.print(parse("back.topo", dsl))), "and back to yaml");
    }

    /** The code's case, as DiagnosticCasesTest has for the compiler's codes. */
    @org.junit.jupiter.api.Test
    void printerCodesHaveACase() {
        Diagnostics d = new Diagnostics();
        AsWritten.check(new SourceFile("a.yaml", "nodes:\n  h1: &host { }\n  h2: *host\n"), Syntax.YAML, d);
        List<Diagnostic> all = d.all();
        assertEquals(1, all.size(), all::toString);
        assertEquals(Code.YAML_ALIAS_NOT_KEPT, all.get(0).code());
        assertEquals("3:7", all.get(0).span().line() + ":" + all.get(0).span().column());
        assertEquals("2:7", all.get(0).notes().get(0).span().line() + ":" + all.get(0).notes().get(0).span().column());
        for (Code c : Code.values()) {
            assertTrue(!c.isPrinterCode() || c == Code.YAML_ALIAS_NOT_KEPT, c + " needs a case here");
        }
    }
}
