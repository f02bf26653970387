package dev.topoc.compiler.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.Compiler;
import dev.topoc.compiler.TestSupport;
import dev.topoc.compiler.syntax.SourceFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The machine-readable printers: SARIF output is valid against the official SARIF 2.1.0 JSON schema
 * (OASIS errata01, committed under src/test/resources/sarif) and carries every location; the JSON output
 * has the shape docs/diagnostics-json.md promises; the text output draws a caret under the whole token.
 */
class ReportFormatsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static JsonSchema sarifSchema;

    static final String LOOP = """
            node a {
              forwarding
              iface eth0 { address 10.0.0.1/24 }
              route 198.18.0.0/24 via 10.0.0.2
            }
            node b {
              forwarding
              iface eth0 { address 10.0.0.2/24 }
              route 198.18.0.0/24 via 10.0.0.1
            }
            link a:eth0 -- b:eth0
            """;

    static final String DUPLICATE = """
            node a {
              iface eth0 { address 10.0.0.1/24 }
            }
            node b {
              iface eth0 { address 10.0.0.1/24 }
            }
            link a:eth0 -- b:eth0
            """;

    @BeforeAll
    static void loadSchema() throws IOException {
        try (InputStream in = ReportFormatsTest.class.getResourceAsStream("/sarif/sarif-schema-2.1.0.json")) {
            sarifSchema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(in);
        }
    }

    private static FileReport report(String path, String text) {
        Compilation c = Compiler.compile(new SourceFile(path, text));
        return FileReport.of(path, c.diagnostics());
    }

    private static List<FileReport> several() throws IOException {
        List<FileReport> files = new ArrayList<>();
        files.add(report("labs/loop.topo", LOOP));
        files.add(report("labs/dup address.topo", DUPLICATE));
        files.add(report("labs/syntax.yaml", "a: b: c\n"));
        Path sample = TestSupport.root().resolve("samples/router-no-forwarding.topo");
        files.add(report("samples/router-no-forwarding.topo", Files.readString(sample)));
        files.add(report("samples/veth-pair.topo", Files.readString(TestSupport.root().resolve("samples/veth-pair.topo"))));
        return files;
    }

    @Test
    void sarifIsValidAgainstTheOfficialSchema() throws IOException {
        String sarif = SarifReport.render(several(), "0.1.0");
        Set<ValidationMessage> problems = sarifSchema.validate(MAPPER.readTree(sarif));
        assertEquals(Set.of(), problems, sarif);
    }

    @Test
    void theSchemaCheckRejectsABrokenLog() throws IOException {
        ObjectNode log = (ObjectNode) MAPPER.readTree(SarifReport.render(several(), "0.1.0"));
        ((ObjectNode) log.at("/runs/0/results/0")).put("level", "fatal");
        assertFalse(sarifSchema.validate(log).isEmpty(), "the schema must reject level `fatal`");
        ObjectNode region = (ObjectNode) MAPPER.readTree(SarifReport.render(several(), "0.1.0"));
        ((ObjectNode) region.at("/runs/0/results/0/locations/0/physicalLocation/region")).put("startLine", 0);
        assertFalse(sarifSchema.validate(region).isEmpty(), "the schema must reject line 0");
    }

    @Test
    void sarifCarriesRulesRegionsAndRelatedLocations() throws IOException {
        JsonNode run = MAPPER.readTree(SarifReport.render(several(), "0.1.0")).at("/runs/0");
        assertEquals(Code.values().length, run.at("/tool/driver/rules").size());
        assertEquals("E0402", run.at("/tool/driver/rules/" + Code.ROUTING_LOOP.ordinal() + "/id").asText());
        JsonNode loop = find(run.at("/results"), "E0402");
        assertEquals("error", loop.at("/level").asText());
        assertEquals("labs/loop.topo", loop.at("/locations/0/physicalLocation/artifactLocation/uri").asText());
        JsonNode region = loop.at("/locations/0/physicalLocation/region");
        assertEquals(4, region.at("/startLine").asInt());
        assertEquals(3, region.at("/startColumn").asInt());
        assertEquals(8, region.at("/endColumn").asInt(), "`route` is 5 code points long");
        assertEquals(9, loop.at("/relatedLocations/0/physicalLocation/region/startLine").asInt());
        assertTrue(loop.at("/message/text").asText().contains("](1)"), "the note is linked from the message");
        JsonNode dup = find(run.at("/results"), "E0300");
        assertEquals("labs/dup%20address.topo", dup.at("/locations/0/physicalLocation/artifactLocation/uri").asText());
        assertEquals(2, dup.at("/relatedLocations/0/physicalLocation/region/startLine").asInt());
        JsonNode warning = find(run.at("/results"), "W0400");
        assertEquals("warning", warning.at("/level").asText());
        assertEquals("E0002", find(run.at("/results"), "E0002").at("/ruleId").asText());
    }

    private static JsonNode find(JsonNode results, String ruleId) {
        for (JsonNode r : results) {
            if (r.at("/ruleId").asText().equals(ruleId)) {
                assertEquals(ruleId, r.at("/ruleId").asText());
                return r;
            }
        }
        throw new AssertionError("no result " + ruleId + " in " + results);
    }

    @Test
    void jsonHasTheDocumentedShape() throws IOException {
        JsonNode doc = MAPPER.readTree(JsonReport.render(several()));
        assertEquals("topoc-diagnostics", doc.at("/format").asText());
        assertEquals(1, doc.at("/version").asInt());
        assertEquals(5, doc.at("/files").size());
        assertEquals("labs/loop.topo", doc.at("/files/0/path").asText());
        assertFalse(doc.at("/files/0/valid").asBoolean());
        assertTrue(doc.at("/files/3/valid").asBoolean(), "warnings leave a file valid");
        assertEquals(1, doc.at("/files/3/warnings").asInt());
        assertFalse(doc.at("/summary/valid").asBoolean());
        JsonNode first = doc.at("/diagnostics/0");
        assertEquals(List.of("severity", "code", "title", "message", "location", "notes"), fields(first));
        assertEquals(List.of("file", "line", "column", "length"), fields(first.at("/location")));
        int errors = 0;
        int warnings = 0;
        for (JsonNode d : doc.at("/diagnostics")) {
            errors += d.at("/severity").asText().equals("error") ? 1 : 0;
            warnings += d.at("/severity").asText().equals("warning") ? 1 : 0;
        }
        assertEquals(errors, doc.at("/summary/errors").asInt());
        assertEquals(warnings, doc.at("/summary/warnings").asInt());
    }

    private static List<String> fields(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void jsonStringsSurviveEscaping() throws IOException {
        String nasty = "quote \" backslash \\ newline \n tab \t bell \u0007 ünïcode 网桥 \u2028";
        JsonNode back = MAPPER.readTree(Json.write(Map.of("m", nasty)));
        assertEquals(nasty, back.at("/m").asText());
    }

    @Test
    void textCaretSpansTheWholeToken() {
        Compilation c = Compiler.compile(new SourceFile("t.topo", DUPLICATE));
        String text = new TextReport(Map.of("t.topo", c.source()), false).render(c.diagnostics().sorted());
        assertTrue(text.contains("t.topo:5:9: error[E0300]: address 10.0.0.1"), text);
        assertTrue(text.contains("5 |   iface eth0 { address 10.0.0.1/24 }\n  |         ^^^^\n"), text);
        assertTrue(text.contains("t.topo:2:9: note: first assigned here"), text);
        assertFalse(text.contains("\u001b["), "no colour unless asked");
    }
}
