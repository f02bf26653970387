package dev.topoc.backends.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.topoc.backends.lab.Lab;
import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.Compiler;
import dev.topoc.compiler.diag.Code;
import dev.topoc.compiler.syntax.SourceFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The bridge port limit that validation enforces (E0506) is the running kernel's: in a throw-away
 * namespace, ports are enslaved to one bridge until the kernel refuses, and the count that fitted must
 * be what validation accepts, one more what it refuses.
 */
class BridgePortsLimitTest {
    private static final int TRY = 1030;

    @Test
    void validationAcceptsExactlyTheBridgePortsTheKernelTakes() throws Exception {
        assumeTrue(Lab.isRoot() && Lab.onPath("ip"), "needs root and ip (iproute2)");
        String ns = Lab.BASE + "brports";
        Path batch = Files.createTempFile("topoc-brports", ".batch");
        try {
            StringBuilder b = new StringBuilder("link add name br0 type bridge\n");
            for (int i = 1; i <= TRY; i++) {
                b.append("link add name p").append(i).append(" type veth peer name q").append(i).append('\n');
                b.append("link set dev p").append(i).append(" master br0\n");
            }
            Files.writeString(batch, b);
            Lab.Result add = Lab.run(Map.of(), 30, "ip", "netns", "add", ns);
            assertEquals(0, add.code(), add::toString);
            Lab.Result built = Lab.run(Map.of(), 120, "ip", "-n", ns, "-batch", batch.toString());
            assertTrue(built.err().contains("Exchange full"), () -> "the kernel refuses a port at some point: " + built);
            Lab.Result ports = Lab.run(Map.of(), 30, "ip", "-n", ns, "-o", "link", "show", "master", "br0");
            int kernel = (int) ports.out().lines().filter(l -> !l.isBlank()).count();
            assertTrue(kernel < TRY, "measured " + kernel);
            assertTrue(valid(kernel), kernel + " ports fit the kernel, so they must validate");
            assertFalse(valid(kernel + 1), (kernel + 1) + " ports do not fit, so they must not validate");
        } finally {
            Lab.run(Map.of(), 30, "ip", "netns", "del", ns);
            Files.deleteIfExists(batch);
        }
    }

    private static boolean valid(int ports) {
        Compilation c = Compiler.compile(new SourceFile("ports.topo",
                "node sw {\n  bridge br0\n  iface p[1.." + ports + "] { master br0 }\n}\n"));
        assertTrue(c.diagnostics().all().stream().allMatch(d -> d.code() == Code.BRIDGE_TOO_MANY_PORTS),
                () -> c.diagnostics().all().toString());
        return c.ok();
    }
}
