package dev.topoc.compiler.syntax.yaml;

import static dev.topoc.compiler.syntax.yaml.YamlTesting.parse;
import static dev.topoc.compiler.syntax.yaml.YamlTesting.show;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.compiler.diag.Code;
import dev.topoc.compiler.diag.Diagnostic;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Hostile documents must end with a diagnostic: the limits that stop them are counted (aliases, values),
 * so what is asserted is the diagnostic, never a time. Each runs under a hang guard of five minutes (it fails
 * only a parser that never ends, whatever the machine's load) and prints how long it took; in practice a
 * few milliseconds.
 */
class YamlBombTest {
    private static final Duration BOUND = Duration.ofMinutes(5);

    private static List<Diagnostic> timed(String name, String text) {
        return assertTimeoutPreemptively(BOUND, () -> {
            long start = System.nanoTime();
            List<Diagnostic> diagnostics = parse(text).diagnostics();
            System.out.printf("%s: %d ms%n", name, (System.nanoTime() - start) / 1_000_000);
            return diagnostics;
        });
    }

    private static void assertOneOf(List<Diagnostic> all, Code... codes) {
        assertTrue(!all.isEmpty() && List.of(codes).contains(all.get(0).code()), show(all));
        assertTrue(all.get(0).span().isKnown(), show(all));
    }

    private static String repeat(String item, int times) {
        return IntStream.range(0, times).mapToObj(i -> item).collect(Collectors.joining(", "));
    }

    @Test
    void testBillionLaughs() {
        StringBuilder doc = new StringBuilder("a0: &a0 [" + repeat("\"lol\"", 10) + "]\n");
        for (int level = 1; level <= 10; level++) {
            doc.append("a").append(level).append(": &a").append(level).append(" [")
                    .append(repeat("*a" + (level - 1), 10)).append("]\n");
        }
        var all = timed("billion laughs", doc.toString());
        assertOneOf(all, Code.INPUT_LIMIT);
        assertEquals(1, all.size(), show(all));
        assertTrue(all.get(0).message().contains("aliases"), all.get(0).message());
    }

    @Test
    void testBillionLaughsInsideATopology() {
        StringBuilder doc = new StringBuilder("x: &v0 [" + repeat("r", 10) + "]\n");
        for (int level = 1; level <= 10; level++) {
            doc.append("x").append(level).append(": &v").append(level).append(" [")
                    .append(repeat("*v" + (level - 1), 10)).append("]\n");
        }
        doc.append("expect:\n  - { from: a, to: b, via: *v10 }\n");
        assertOneOf(timed("laughs in via", doc.toString()), Code.INPUT_LIMIT);
    }

    @Test
    void testAliasedWorkIsBounded() {
        // Under the collection-alias limit, but 50 expects × 50,000 scalar aliases = 2.5 million values.
        String via = "via: [" + repeat("*s", 50_000) + "]";
        String doc = "s: &s r1\nexpect:\n  - &e { from: a, to: b, " + via + " }\n"
                + IntStream.range(0, 49).mapToObj(i -> "  - *e\n").collect(Collectors.joining());
        var all = timed("aliased work", doc);
        assertEquals(Code.INPUT_LIMIT, all.get(all.size() - 1).code(), show(all));
        assertTrue(all.stream().anyMatch(d -> d.code() == Code.INPUT_LIMIT && d.message().contains("2000000")));
    }

    @Test
    void testDeepFlowNesting() {
        String doc = "topology: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n";
        var all = timed("deep flow", doc);
        assertOneOf(all, Code.INPUT_LIMIT, Code.YAML_SYNTAX);
        assertTrue(all.get(0).message().contains("nested"), all.get(0).message());
    }

    @Test
    void testDeepBlockNesting() {
        assertOneOf(timed("deep block", "- ".repeat(10_000) + "x\n"), Code.INPUT_LIMIT, Code.YAML_SYNTAX);
    }

    @Test
    void testDeepMapNesting() {
        assertOneOf(timed("deep maps", "{a: ".repeat(10_000) + "x" + "}".repeat(10_000)), Code.INPUT_LIMIT,
                Code.YAML_SYNTAX);
    }

    @Test
    void testRecursiveAlias() {
        var all = timed("recursive", "nodes: &n\n  x: *n\nlinks: &l [*l]\nexpect: &e [{ via: *e }]\n");
        assertTrue(all.stream().allMatch(d -> d.span().isKnown()), show(all));
        assertTrue(!all.isEmpty());
    }
}
