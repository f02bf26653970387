package dev.topoc.compiler.diag;

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
 * The main sources report diagnostics only through templates ({@link Template}: a code's own wording or a
 * {@code Msg}), so that the severity comes from the code and the wording from the catalogue: no
 * {@code new Diagnostic(…)}, no {@code diagnostics.error/warning(Code, span, "text")}, no {@code Severity.ERROR}
 * or {@code WARNING} chosen outside the diag package, and no sentence assembled with {@code +} from literals
 * among a template's arguments.
 */
class DiagnosticSourceTest {
    private static final Pattern OLD = Pattern.compile(
            "new Diagnostic\\(|\\.(error|warning)\\(\\s*[\\w.]*Code\\.|Severity\\.(ERROR|WARNING)|new Refusal\\([A-Z]\\w*\\.");
    /** A call that fills a template: its arguments follow the template and the span. */
    private static final Pattern FILL = Pattern.compile("\\.(report|at|of|failed)\\(\\s*[A-Z]\\w*\\.[A-Z][A-Z0-9_]+\\s*,");
    private static final Pattern CONCAT = Pattern.compile("\"\\s*\\+|\\+\\s*\"");

    @Test
    void noOldStyleDiagnosticsInMainSources() {
        List<String> found = new ArrayList<>();
        for (Path file : mainSources()) {
            if (rel(file).startsWith("compiler/src/main/java/dev/topoc/compiler/diag/")) {
                continue; // the catalogue, the reports and the deprecated entry points themselves
            }
            List<String> lines = read(file);
            if (lines.stream().anyMatch(l -> l.contains("implements DiagnosticCode") || l.contains("implements OwnCode"))) {
                continue; // a module's code enum: where severities are declared
            }
            for (int n = 0; n < lines.size(); n++) {
                if (OLD.matcher(lines.get(n)).find()) {
                    found.add(rel(file) + ":" + (n + 1) + ": " + lines.get(n).trim());
                }
            }
        }
        assertEquals(List.of(), found, "report through a template: diagnostics.report(Msg.X, span, args…) or "
                + "Code.X.at(span, args…), so that severity and wording come from the code");
    }

    @Test
    void noWordingAssembledAmongTemplateArguments() {
        List<String> found = new ArrayList<>();
        int calls = 0;
        for (Path file : mainSources()) {
            String text = String.join("\n", read(file));
            Matcher m = FILL.matcher(text);
            while (m.find()) {
                calls++;
                String args = arguments(text, m.end() - 1);
                if (CONCAT.matcher(args).find()) {
                    found.add(rel(file) + ":" + (1 + text.substring(0, m.start()).chars().filter(c -> c == '\n').count())
                            + ": " + args.replaceAll("\\s+", " "));
                }
            }
        }
        assertTrue(calls > 100, "the scan found only " + calls + " template calls: is the pattern stale?");
        assertEquals(List.of(), found, "put the wording in the template and pass only values");
    }

    /** The text from {@code from} to the parenthesis closing the call (strings skipped). */
    private static String arguments(String text, int from) {
        int depth = 1;
        for (int i = from + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\'') {
                for (i++; i < text.length() && text.charAt(i) != c; i++) {
                    if (text.charAt(i) == '\\') {
                        i++;
                    }
                }
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return text.substring(from + 1, i);
            }
        }
        return text.substring(from + 1);
    }

    static List<Path> mainSources() {
        Path root = TestSupport.root();
        List<Path> out = new ArrayList<>();
        for (String module : List.of("compiler", "backends", "cli", "live")) {
            Path main = root.resolve(module).resolve("src/main/java");
            if (!Files.isDirectory(main)) {
                continue;
            }
            try (Stream<Path> s = Files.walk(main)) {
                s.filter(p -> p.toString().endsWith(".java")).forEach(out::add);
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
