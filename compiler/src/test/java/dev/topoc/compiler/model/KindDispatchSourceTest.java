package dev.topoc.compiler.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.compiler.TestSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The main sources branch on an interface's kind only in the two exhaustive ways {@link Interface}
 * documents: no {@code instanceof Interface.X}, and every {@code switch} over {@code ifKind()} is an
 * expression without {@code default}, so that a new kind is a compile error wherever it is not handled.
 */
class KindDispatchSourceTest {
    private static final Pattern SWITCH = Pattern.compile("switch\\s*\\(([^()]*\\([^()]*\\))*[^()]*ifKind\\(\\)\\s*\\)\\s*\\{");

    @Test
    void noInstanceofChainsOverInterfaceRecords() {
        List<String> found = new ArrayList<>();
        for (Path file : mainSources()) {
            List<String> lines = read(file);
            for (int n = 0; n < lines.size(); n++) {
                if (lines.get(n).contains("instanceof Interface.")) {
                    found.add(rel(file) + ":" + (n + 1) + ": " + lines.get(n).trim());
                }
            }
        }
        assertEquals(List.of(), found, "use Interface.accept(Cases) or a switch expression over ifKind()");
    }

    @Test
    void switchesOverIfKindAreExpressionsWithoutDefault() {
        List<String> found = new ArrayList<>();
        int switches = 0;
        for (Path file : mainSources()) {
            String text = String.join("\n", read(file));
            Matcher m = SWITCH.matcher(text);
            while (m.find()) {
                switches++;
                String where = rel(file) + ":" + (1 + text.substring(0, m.start()).chars().filter(c -> c == '\n').count());
                String before = text.substring(text.lastIndexOf('\n', m.start()) + 1, m.start()).trim();
                if (!(before.endsWith("=") || before.endsWith("return") || before.endsWith("->") || before.endsWith("(")
                        || before.endsWith(","))) {
                    found.add(where + ": a switch statement (a missing kind compiles): make it an expression");
                }
                String body = block(text, m.end() - 1);
                if (Pattern.compile("(?m)^\\s*default\\s*(->|:)").matcher(body).find()) {
                    found.add(where + ": `default` lets a new kind fall through: name every kind");
                }
            }
        }
        assertTrue(switches > 5, "the scan found only " + switches + " switches over ifKind(): is the pattern stale?");
        assertEquals(List.of(), found);
    }

    private static String block(String text, int open) {
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return text.substring(open, i + 1);
            }
        }
        return text.substring(open);
    }

    private static List<Path> mainSources() {
        Path root = TestSupport.root();
        List<Path> out = new ArrayList<>();
        for (String module : List.of("compiler", "backends", "cli", "live")) {
            Path main = root.resolve(module).resolve("src/main/java");
            if (!Files.isDirectory(main)) {
                continue;
            }
            try (Stream<Path> s = Files.walk(main)) {
                s.filter(p -> p.toString().endsWith(".java"))
                        .forEach(out::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        assertTrue(out.size() > 50, "found only " + out.size() + " main sources under " + root);
        return out;
    }

    private static String rel(Path p) {
        return TestSupport.root().relativize(p).toString().replace('\\', '/');
    }

    private static List<String> read(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
