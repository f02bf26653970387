package dev.topoc.live.read;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Dumps captured from this kernel by {@link Capture}, kept under {@code captured/LAB/NODE.txt}. */
final class Captured {
    private Captured() {}

    static Map<String, NamespaceDump> lab(String lab, String... nodes) {
        Map<String, NamespaceDump> dumps = new LinkedHashMap<>();
        for (String node : nodes) {
            String path = "captured/" + lab + "/" + node + ".txt";
            try (InputStream in = Captured.class.getResourceAsStream(path)) {
                if (in == null) {
                    throw new IllegalArgumentException("no resource " + path);
                }
                dumps.put(node, NamespaceDump.parse("cap-" + node, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dumps;
    }
}
