package dev.topoc.compiler.samples;

import static dev.topoc.compiler.TestSupport.describe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.Compiler;
import dev.topoc.compiler.TestSupport;
import dev.topoc.compiler.ast.Syntax;
import dev.topoc.compiler.diag.Code;
import dev.topoc.compiler.diag.Diagnostic;
import dev.topoc.compiler.print.DslPrinter;
import dev.topoc.compiler.print.YamlPrinter;
import dev.topoc.compiler.syntax.SourceFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every sample is valid, its two spellings mean the same, it is laid out canonically, and its
 * conversions match the reviewed golden files in src/test/resources/golden (regenerate with
 * {@code -Dtopoc.golden.update=true}, then review the diff).
 */
class SamplesTest {
    /**
     * Samples that demonstrate a mistake of the notes on purpose, and the warnings they must produce:
     * the dead address on a bridge port; the router the notes forgot to let forward; the /24 on lo that
     * swallows its neighbour's subnet; the trunk whose VLAN 200 and VLAN 300 share a subnet but no wire.
     */
    private static final java.util.Map<String, java.util.Set<Code>> EXPECTED_WARNINGS = java.util.Map.of(
            "bridge-port-address.topo", java.util.Set.of(Code.BRIDGE_PORT_ADDRESS),
            "router-no-forwarding.topo", java.util.Set.of(Code.GATEWAY_WITHOUT_FORWARDING),
            "router-no-forwarding.yaml", java.util.Set.of(Code.GATEWAY_WITHOUT_FORWARDING),
            "router-no-forwarding-dual.topo", java.util.Set.of(Code.GATEWAY_WITHOUT_FORWARDING),
            "netns-lo-subnet.topo", java.util.Set.of(Code.OVERLAPPING_SUBNETS, Code.SAME_SUBNET_ON_NODE),
            "vlan-trunk.topo", java.util.Set.of(Code.OVERLAPPING_SUBNETS),
            "vlan-trunk.yaml", java.util.Set.of(Code.OVERLAPPING_SUBNETS));
    private static final boolean UPDATE = Boolean.getBoolean("topoc.golden.update");

    static Stream<Path> allSamples() {
        return Stream.concat(TestSupport.samples("*.topo").stream(),
                Stream.concat(TestSupport.samples("*.yaml").stream(), TestSupport.samples("*.yml").stream()));
    }

    static Stream<Path> dslSamples() {
        return TestSupport.samples("*.topo").stream();
    }

    static Stream<Path> yamlSamples() {
        return TestSupport.samples("*.yaml").stream();
    }

    private static Compilation compile(Path p) throws IOException {
        return Compiler.compile(new SourceFile("samples/" + p.getFileName(), Files.readString(p)));
    }

    @Test
    void thereAreSamplesInBothSpellings() {
        assertTrue(TestSupport.samples("*.topo").size() >= 20, "one sample per scenario of the notes");
        assertTrue(TestSupport.samples("*.yaml").size() >= 5, "at least five scenarios in both spellings");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allSamples")
    void everySampleValidatesWithoutError(Path sample) throws IOException {
        Compilation c = compile(sample);
        assertTrue(c.ok(), () -> describe(c));
        java.util.Set<Code> expected = EXPECTED_WARNINGS.getOrDefault(sample.getFileName().toString(), java.util.Set.of());
        java.util.Set<dev.topoc.compiler.diag.DiagnosticCode> warnings = c.diagnostics().all().stream().map(Diagnostic::code)
                .collect(java.util.stream.Collectors.toSet());
        assertEquals(expected, warnings, () -> describe(c));
        assertFalse(c.model().nodes().isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("yamlSamples")
    void bothSpellingsOfASampleMeanTheSame(Path yaml) throws IOException {
        Path dsl = yaml.resolveSibling(yaml.getFileName().toString().replaceAll("\\.yaml$", ".topo"));
        assertTrue(Files.exists(dsl), "a YAML sample has a DSL twin: " + dsl);
        assertEquals(compile(dsl).model(), compile(yaml).model());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dslSamples")
    void dslSamplesAreCanonicallyFormatted(Path sample) throws IOException {
        Compilation c = compile(sample);
        assertEquals(Files.readString(sample), DslPrinter.print(c.ast()), "run `topoc fmt -w " + sample + "`");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allSamples")
    void conversionsMatchTheGoldenFiles(Path sample) throws IOException {
        Compilation c = compile(sample);
        boolean isYaml = c.ast().syntax() == Syntax.YAML;
        String name = sample.getFileName().toString();
        String converted = isYaml ? DslPrinter.print(c.ast()) : YamlPrinter.print(c.ast());
        golden(name + (isYaml ? ".topo" : ".yaml"), converted);
        if (isYaml) {
            golden(name + ".fmt.yaml", YamlPrinter.print(c.ast()));
        }
        // the conversion means the same as the sample
        String convertedName = "samples/converted-" + name + (isYaml ? ".topo" : ".yaml");
        Compilation back = Compiler.compile(new SourceFile(convertedName, converted));
        assertTrue(back.ok(), () -> describe(back));
        assertEquals(c.model(), back.model());
    }

    private static void golden(String name, String actual) throws IOException {
        Path file = goldenDir().resolve(name);
        if (UPDATE) {
            Files.writeString(file, actual);
            return;
        }
        assertTrue(Files.exists(file), "missing golden file " + file + " (run with -Dtopoc.golden.update=true and review)");
        assertEquals(Files.readString(file), actual, "golden " + name);
    }

    private static Path goldenDir() {
        return TestSupport.root().resolve("compiler/src/test/resources/golden");
    }

    @Test
    void noSampleUsesAPublicAddressOutsideTheDocumentationRanges() throws IOException {
        var pattern = java.util.regex.Pattern.compile("\\b(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\b");
        for (Path p : allSamples().toList()) {
            // configuration only: comments may quote what the notes did (e.g. "the notes ping 8.8.8.8")
            String config = Files.readString(p).replaceAll("(?m)(#|//).*$", "");
            var m = pattern.matcher(config);
            while (m.find()) {
                String ip = m.group();
                int a = Integer.parseInt(m.group(1));
                int b = Integer.parseInt(m.group(2));
                int c = Integer.parseInt(m.group(3));
                boolean ok = a == 10 || a == 127 || a == 0 || (a == 172 && b >= 16 && b <= 31)
                        || (a == 192 && b == 168) || (a == 192 && b == 0 && c == 2)
                        || (a == 198 && (b == 18 || b == 19)) || (a == 198 && b == 51 && c == 100)
                        || (a == 203 && b == 0 && c == 113) || (a >= 224 && a <= 239) || (a == 169 && b == 254)
                        || a == 255;
                assertTrue(ok, p.getFileName() + " uses " + ip
                        + ", which is neither private nor a documentation address");
            }
        }
    }
}
