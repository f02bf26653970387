package dev.topoc.backends.networkd;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.backends.Artifacts;
import dev.topoc.backends.BackendOptions;
import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.Compiler;
import dev.topoc.compiler.syntax.SourceFile;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Issue 18, item 1 for systemd units and nftables.conf: whatever the file name and the comments hold, no
 * generated unit, sysctl.d file or ruleset carries a control character other than a line break (a line break
 * inside a value would start a new key), and none carries text of the file name or of a comment: units and
 * rulesets are made of checked names, parsed addresses and numbers only.
 */
class NetworkdInjectionProperties {
    private static final String PAYLOAD = "PAYLOAD-touch-x";

    @Property(tries = 100, seed = "18010")
    void noInputTextReachesAUnitOrARuleset(@ForAll long seed, @ForAll("hostile") String fileName, @ForAll("hostile") String comment) {
        String text = dev.topoc.compiler.TopologyGen.generate(new Random(seed)) + "\n# " + comment.replace('\n', ' ') + "\n";
        Compilation c = Compiler.compile(new SourceFile(fileName + ".topo", text));
        if (!c.ok()) {
            return; // a comment with an invisible character: refused (E0020), nothing generated
        }
        for (boolean sandbox : new boolean[] {false, true}) {
            Artifacts a = new NetworkdBackend().generate(c.model(), new BackendOptions("p-", sandbox), new dev.topoc.compiler.diag.Diagnostics());
            a.files().forEach((path, f) -> {
                if (path.endsWith(".sh")) {
                    return; // the sandbox scripts: covered like the bash backend's by their own tests
                }
                assertFalse(f.content().contains(PAYLOAD), path + " carries input text");
                assertTrue(f.content().chars().allMatch(ch -> ch == '\n' || ch == '\t' || (ch >= 0x20 && ch != 0x7f)),
                        path + " carries a control character");
            });
        }
    }

    /** A prefix starting with `-` would make every `ip netns exec PREFIXnode` of the sandbox scripts an option. */
    @net.jqwik.api.Example
    void aPrefixStartingWithADashIsRefused() {
        Compilation c = Compiler.compile(new SourceFile("t.topo", "node a { iface eth0 { address 10.0.0.1/24 } }\n"));
        var d = new dev.topoc.compiler.diag.Diagnostics();
        Artifacts a = new NetworkdBackend().generate(c.model(), new BackendOptions("-n", true), d);
        assertTrue(a.files().isEmpty() && d.all().stream().anyMatch(x -> x.code() == dev.topoc.backends.networkd.NetworkdCode.NETWORKD_BAD_PREFIX),
                d.all()::toString);
    }

    @Provide
    Arbitrary<String> hostile() {
        return Arbitraries.strings().withChars("\n\r\u000b\u000c;=[]#\"'$ \u2028" ).ofMaxLength(8).map(s -> s + PAYLOAD + s);
    }
}
