package dev.topoc.backends;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The program {@code topoc check --live} probes with ({@code probe/probe.py} beside this class): on one host the live
 * stage runs it from the default namespace, one process per expect; across machines the Ansible backend writes it
 * beside {@code check.yml}, which sends it inline ({@code python3 -c}: nothing is copied) for its {@code --counters} and {@code --send} steps
 * there (docs/live.md, "check --live"). One text for both, so that both count the same counters.
 */
public final class ProbeScript {
    private static final String SCRIPT = load();

    private ProbeScript() {}

    /** The program's text. */
    public static String text() {
        return SCRIPT;
    }

    private static String load() {
        try (InputStream in = ProbeScript.class.getResourceAsStream("probe/probe.py")) {
            if (in == null) {
                throw new IllegalStateException("missing resource probe/probe.py");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
