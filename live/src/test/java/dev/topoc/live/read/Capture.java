package dev.topoc.live.read;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Captures the reader's raw input from live namespaces into test resources:
 * {@code Capture DIR NODE=NS…} writes {@code DIR/NODE.txt} per namespace (run as root, by hand, when the
 * kernel or iproute2 changes; the unit tests read these files).
 */
public final class Capture {
    private Capture() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        for (int i = 1; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            Files.writeString(dir.resolve(kv[0] + ".txt"), NamespaceDump.capture(kv[1], true));
        }
    }
}
