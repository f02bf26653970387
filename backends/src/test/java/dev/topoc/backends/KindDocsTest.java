package dev.topoc.backends;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.topoc.compiler.model.IfKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The hand-written lists of interface kinds that stay prose (the README, each backend's mapping table)
 * name every kind of {@link IfKind}: a new kind is documented where users look for it.
 */
class KindDocsTest {
    private static final Path ROOT = Path.of(System.getProperty("topoc.root", ".."));

    @Test
    void readmeListsEveryInterfaceKind() throws IOException {
        String line = Files.readAllLines(ROOT.resolve("README.md")).stream().filter(l -> l.startsWith("Interface kinds:"))
                .findFirst().orElseThrow(() -> new AssertionError("README.md has no line `Interface kinds:`"));
        int from = Files.readString(ROOT.resolve("README.md")).indexOf(line);
        String paragraph = Files.readString(ROOT.resolve("README.md")).substring(from).split("\n\n")[0];
        assertEquals(List.of(), missing(paragraph), "README.md, paragraph `Interface kinds:`");
    }

    @Test
    void everyBackendTableMapsEveryInterfaceKind() throws IOException {
        for (String doc : List.of("docs/backends/bash.md", "docs/backends/networkd.md")) {
            StringBuilder rows = new StringBuilder();
            for (String l : Files.readAllLines(ROOT.resolve(doc))) {
                if (l.startsWith("| ")) {
                    rows.append(l.substring(0, l.indexOf(" |", 2) + 2)).append('\n'); // the first column: the model
                }
            }
            assertEquals(List.of(), missing(rows.toString()), doc + ": kinds without a row");
        }
    }

    private static List<String> missing(String text) {
        List<String> out = new ArrayList<>();
        for (IfKind k : IfKind.values()) {
            String word = k == IfKind.LOOPBACK ? "lo" : k.word();
            if (!text.contains("`" + word + "`")) {
                out.add(word);
            }
        }
        return out;
    }
}
