package dev.topoc.compiler.diag;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.compiler.TestSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every code of the catalogue is documented in docs/diagnostics.md, with its title, and codes are unique. */
class DiagnosticDocsTest {
    @Test
    void everyCodeHasADocEntry() throws IOException {
        String doc = Files.readString(TestSupport.root().resolve("docs/diagnostics.md"));
        for (Code c : Code.values()) {
            assertTrue(doc.contains("### " + c.id() + " " + c.title()), "docs/diagnostics.md lacks `### " + c.id() + " "
                    + c.title() + "`");
        }
    }

    @Test
    void codesAreUniqueAndTheirLetterMatchesTheSeverity() {
        Set<String> ids = new HashSet<>();
        for (Code c : Code.values()) {
            assertTrue(ids.add(c.id()), "duplicate id " + c.id());
            assertTrue(c.id().matches("[EW]\\d{4}"), c.id());
            assertTrue(c.id().startsWith(c.severity() == Severity.ERROR ? "E" : "W"), c + " " + c.id());
        }
    }
}
