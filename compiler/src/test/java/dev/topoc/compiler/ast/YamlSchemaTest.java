package dev.topoc.compiler.ast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.compiler.TestSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The published JSON Schema is the one generated from the key table (regenerate with -Dtopoc.golden.update=true). */
class YamlSchemaTest {
    @Test
    void publishedSchemaMatchesTheKeyTable() throws IOException {
        Path file = TestSupport.root().resolve("docs/schema/topoc.schema.json");
        String generated = YamlSchema.generate();
        if (Boolean.getBoolean("topoc.golden.update")) {
            Files.writeString(file, generated);
        }
        assertEquals(Files.readString(file), generated, "run the tests with -Dtopoc.golden.update=true");
    }

    @Test
    void everyKeyOfEveryContextIsInTheSchema() {
        String schema = YamlSchema.generate();
        for (Keys.Context c : Keys.Context.values()) {
            for (String key : Keys.of(c)) {
                assertTrue(schema.contains("\"" + key + "\":"), c + "." + key);
            }
        }
    }
}
