package dev.topoc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.topoc.backends.ansible.AnsibleCode;
import dev.topoc.backends.bash.BashCode;
import dev.topoc.backends.bash.BashMsg;
import dev.topoc.backends.networkd.NetworkdCode;
import dev.topoc.compiler.diag.Code;
import dev.topoc.compiler.diag.Codes;
import dev.topoc.compiler.diag.DiagnosticCode;
import dev.topoc.compiler.diag.FileReport;
import dev.topoc.compiler.diag.SarifReport;
import dev.topoc.compiler.diag.Severity;
import dev.topoc.compiler.diag.Template;
import dev.topoc.live.exec.LiveCode;
import dev.topoc.live.exec.LiveMsg;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * All registered code sets together, as the CLI sees them: the compiler's codes and the ones the backends and
 * the live stage register (META-INF/services), with unique ids, each documented, in a stable order.
 */
class CodeRegistryTest {
    @Test
    void theBackendAndLiveSetsAreRegisteredAfterTheCompilersCodes() {
        List<DiagnosticCode> expected = new ArrayList<>(List.of(Code.values()));
        expected.addAll(List.of(BashCode.values()));
        expected.addAll(List.of(NetworkdCode.values()));
        expected.addAll(List.of(AnsibleCode.values()));
        expected.addAll(List.of(LiveCode.values()));
        assertEquals(expected, Codes.all());
        assertEquals(Code.values().length, Codes.indexOf(BashCode.BASH_CYCLE));
    }

    @Test
    void idsAreUniqueAcrossAllSetsAndTheirLetterMatchesTheSeverity() {
        Set<String> ids = new HashSet<>();
        for (DiagnosticCode c : Codes.all()) {
            assertTrue(ids.add(c.id()), "duplicate id " + c.id() + " (" + c.name() + ")");
            assertTrue(c.id().matches("[EW]\\d{4}"), c.id());
            assertTrue(c.id().startsWith(c.severity() == Severity.ERROR ? "E" : "W"), c.name() + " " + c.id());
        }
    }

    @Test
    void everyRegisteredCodeIsDocumented() throws IOException {
        String doc = Files.readString(SimulateCommandTest.root().resolve("docs/diagnostics.md"));
        List<String> missing = new ArrayList<>();
        for (DiagnosticCode c : Codes.all()) {
            if (!doc.contains("### " + c.id() + " " + c.title())) {
                missing.add("### " + c.id() + " " + c.title());
            }
        }
        assertEquals(List.of(), missing, "docs/diagnostics.md lacks these headings");
    }

    @Test
    void everyModuleCodeHasAWording() {
        List<Template> module = new ArrayList<>(List.of(BashCode.values()));
        module.addAll(List.of(NetworkdCode.values()));
        module.addAll(List.of(AnsibleCode.values()));
        module.addAll(List.of(LiveCode.values()));
        List<Template> variants = new ArrayList<>(List.of(BashMsg.values()));
        variants.addAll(List.of(LiveMsg.values()));
        for (Template t : module) {
            boolean has = variants.stream().anyMatch(v -> v.code() == t);
            assertTrue(t.text() != null ^ has, t + ": one wording of its own, or wordings in its module's Msg enum");
        }
    }

    @Test
    void sarifListsEveryRegisteredCodeAsARuleAtItsIndex() throws IOException {
        JsonNode run = new ObjectMapper().readTree(SarifReport.render(List.<FileReport>of(), "0")).at("/runs/0");
        JsonNode rules = run.at("/tool/driver/rules");
        assertEquals(Codes.all().size(), rules.size());
        int bash = Codes.indexOf(BashCode.BASH_NOT_PROVISIONED);
        assertEquals("W0800", rules.get(bash).at("/id").asText());
        assertEquals("BashNotProvisioned", rules.get(bash).at("/name").asText());
        assertEquals("warning", rules.get(bash).at("/defaultConfiguration/level").asText());
        assertEquals("E0909", rules.get(rules.size() - 1).at("/id").asText());
    }
}
