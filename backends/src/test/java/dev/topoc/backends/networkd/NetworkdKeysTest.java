package dev.topoc.backends.networkd;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.topoc.backends.ArtifactWriter;
import dev.topoc.backends.Artifacts;
import dev.topoc.backends.BackendOptions;
import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.Compiler;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.syntax.SourceFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every key the backend can write is read by this machine's real systemd-networkd (252) without a
 * complaint: kinds.topo (every kind and key) is brought up in a sandbox and networkd's log must have no
 * configuration warning (those name the unit file and line, e.g. {@code …/01-eth0.network:7: Unknown
 * key…}). Kinds this kernel or container cannot create (8021q, ipvlan, dummy, tun without
 * /dev/net/tun access) fail to come up, which this test does not judge: the sandbox test does.
 */
class NetworkdKeysTest {
    private static final Pattern CONFIG_WARNING = Pattern.compile("\\.(network|netdev):\\d+:|(?i)unknown (key|section)|failed to parse|invalid");

    @Test
    void realNetworkdAcceptsEveryKeyWeWrite() throws Exception {
        assumeTrue(Sh.isRoot() && Sh.onPath("ip") && Files.isExecutable(Path.of("/lib/systemd/systemd-networkd")),
                "needs root, ip and /lib/systemd/systemd-networkd (installed by .ci/run)");
        Path file = Path.of(System.getProperty("topoc.root", "..")).resolve("backends/src/test/resources/networkd/kinds.topo");
        Compilation c = Compiler.compile(new SourceFile(file.toString(), Files.readString(file)));
        String prefix = "tnd" + ProcessHandle.current().pid() % 100000 + "k-";
        Artifacts a = new NetworkdBackend().generate(c.model(), new BackendOptions(prefix, true), new Diagnostics());
        Path dir = Files.createTempDirectory("topoc-networkd-keys");
        ArtifactWriter.write(a, dir);
        Path down = dir.resolve("sandbox-down.sh");
        Thread hook = new Thread(() -> Sh.run(60, List.of(down.toString())));
        Runtime.getRuntime().addShutdownHook(hook);
        String log;
        try {
            Sh.run(60, List.of("env", "TOPOC_SANDBOX_TIMEOUT=3", dir.resolve("sandbox-up.sh").toString()));
            log = Files.readString(dir.resolve(".sandbox/host.log"));
        } finally {
            Sh.run(60, List.of(down.toString()));
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        assertTrue(Sh.namespaces().stream().noneMatch(n -> n.startsWith(prefix)), "namespaces left");
        assertTrue(log.contains("br0: Configuring with /etc/systemd/network/02-br0.network"), log);
        List<String> warnings = log.lines().filter(l -> CONFIG_WARNING.matcher(l).find()).toList();
        assertTrue(warnings.isEmpty(), () -> "networkd complained about our units:\n" + String.join("\n", warnings));
    }
}
