package dev.topoc.backends.ansible;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.backends.Artifacts;
import dev.topoc.backends.BackendOptions;
import dev.topoc.backends.bash.Shell;
import dev.topoc.backends.lab.Lab;
import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.Compiler;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.syntax.SourceFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A node's {@code run} is input text that reaches a machine as a command (--via networkd): whatever it holds, it is in
 * the playbooks, host_vars and inventory nowhere, and in {@code networkd.sh} only as one single-quoted shell word on its
 * {@code start_run} line (its unit, in the trees, is carried base64-encoded); and {@code networkd.sh} stays a valid
 * script ({@code bash -n}).
 */
class AnsibleInjectionProperties {
    private static final String PAYLOAD = "PAYLOAD-touch-x";

    @Property(tries = 40, seed = "15870")
    void aRunReachesNetworkdShOnlyAsOneQuotedWord(@ForAll("hostile") String command) throws IOException {
        String text = AnsibleNetworkdGoldenTest.DUO.replace("python3 -m http.server 8080 --bind 10.0.2.30", command);
        Compilation c = Compiler.compile(new SourceFile("duo.topo", text));
        if (!c.ok()) {
            return; // refused by validation: nothing generated
        }
        for (boolean sandbox : new boolean[] {false, true}) {
            Diagnostics d = new Diagnostics();
            Artifacts a = new AnsibleBackend().generate("duo", AnsibleNetworkdGoldenTest.parts(text), new BackendOptions("t-", sandbox),
                    AnsibleBackend.Via.NETWORKD, d);
            assertFalse(d.hasErrors(), d.all()::toString);
            for (var e : a.files().entrySet()) {
                String path = e.getKey();
                String content = e.getValue().content();
                if (path.startsWith("machines/hv2/nodes/cache/systemd/system/")) {
                    continue; // the unit itself: the networkd backend's quoting (NetworkdInjectionProperties, execQuote)
                }
                if (path.equals("machines/hv2/networkd.sh")) {
                    String line = "\n  start_run cache t-cache 1 " + Shell.quote(command) + "\n";
                    assertTrue(content.contains(line), "no start_run line with the quoted command");
                    assertEquals(content.indexOf(PAYLOAD), content.indexOf(line) + line.indexOf(PAYLOAD), "the command elsewhere");
                    assertEquals(content.lastIndexOf(PAYLOAD), content.indexOf(line) + line.lastIndexOf(PAYLOAD), "the command elsewhere");
                    bashN(content);
                } else {
                    assertFalse(content.contains(PAYLOAD), path + " carries the command");
                }
            }
        }
    }

    private static void bashN(String script) throws IOException {
        Path f = Files.createTempFile("networkd", ".sh");
        try {
            Files.writeString(f, script);
            var r = Lab.run(Map.of(), 30, "bash", "-n", f.toString());
            assertEquals(0, r.code(), r::toString);
        } finally {
            Files.deleteIfExists(f);
        }
    }

    @Provide
    Arbitrary<String> hostile() {
        return Arbitraries.strings().withChars("'$`;&|<>(){}*?!#%: {{}}").ofMaxLength(6).map(s -> "echo " + s + PAYLOAD + s);
    }
}
