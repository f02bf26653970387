package dev.topoc.compiler.ast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.compiler.TestSupport;
import dev.topoc.compiler.model.IfKey;
import dev.topoc.compiler.model.IfKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/yaml.md carries the key reference generated from the key table (regenerate with -Dtopoc.golden.update=true). */
class KeyReferenceTest {
    @Test
    void docsYamlCarriesTheGeneratedKeyReference() throws IOException {
        Path file = TestSupport.root().resolve("docs/yaml.md");
        String written = Files.readString(file);
        String expected = KeyReference.splice(written);
        if (Boolean.getBoolean("topoc.golden.update")) {
            Files.writeString(file, expected);
            written = expected;
        }
        assertEquals(expected, written, "docs/yaml.md is out of step with Keys/IfKind: run the tests with "
                + "-Dtopoc.golden.update=true");
    }

    @Test
    void everyKeyOfEveryContextAndEveryKindIsListed() {
        String ref = KeyReference.generate();
        for (Keys.Context c : Keys.Context.values()) {
            if (c == Keys.Context.IFACE) {
                continue;
            }
            for (String key : Keys.of(c)) {
                assertTrue(ref.contains("| `" + key + "` |"), c + "." + key);
            }
        }
        for (IfKind k : IfKind.values()) {
            assertTrue(ref.contains("`" + k.word() + "`") || ref.contains("#### `kind: " + k.word() + "`"), k.word());
            for (IfKey key : k.ownKeys()) {
                String section = ref.substring(ref.indexOf("#### `kind: " + k.word() + "`"));
                assertTrue(section.contains("| `" + key.name() + "` |"), k + "." + key.name());
            }
        }
        for (IfKey key : IfKind.COMMON_KEYS) {
            assertTrue(ref.contains("| `" + key.name() + "` |"), key.name());
        }
    }

    @Test
    void spliceReplacesOnlyTheGeneratedPart() {
        String doc = "# t\n\nbefore\n\n" + KeyReference.BEGIN + "\nstale\n" + KeyReference.END + "\nafter\n";
        String out = KeyReference.splice(doc);
        assertTrue(out.startsWith("# t\n\nbefore\n\n" + KeyReference.BEGIN + "\n"), out);
        assertTrue(out.endsWith(KeyReference.END + "\nafter\n"), out);
        assertTrue(!out.contains("stale"));
        assertEquals(out, KeyReference.splice(out));
    }
}
