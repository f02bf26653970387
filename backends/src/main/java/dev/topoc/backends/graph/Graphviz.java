package dev.topoc.backends.graph;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs Graphviz {@code dot} on a DOT text. The command is {@code dot} on the PATH, or the value of the
 * system property {@code topoc.graphviz.dot}.
 */
public final class Graphviz {
    /** The Debian/Ubuntu package that provides {@code dot}. */
    public static final String PACKAGE = "graphviz";

    private Graphviz() {}

    /** Graphviz is not installed (or the command cannot be started). */
    public static final class Missing extends Exception {
        private static final long serialVersionUID = 1L;

        Missing(String message) {
            super(message);
        }
    }

    public static String command() {
        return System.getProperty("topoc.graphviz.dot", "dot");
    }

    /** {@code dot -T<format>} of {@code dot}; the output bytes. Fails with dot's own message on errors. */
    public static byte[] render(String dot, String format, long timeoutSeconds) throws Missing, IOException {
        Process p;
        try {
            p = new ProcessBuilder(List.of(command(), "-T" + format)).start();
        } catch (IOException e) {
            throw new Missing("`" + command() + "` (Graphviz) is not installed; install the `" + PACKAGE
                    + "` package (e.g. apt-get install " + PACKAGE + ") or use --format dot|mermaid");
        }
        CompletableFuture<byte[]> stdout = drain(p.getInputStream());
        CompletableFuture<byte[]> stderr = drain(p.getErrorStream());
        try (OutputStream in = p.getOutputStream()) {
            in.write(dot.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // dot exited early; its message on stderr says why
        }
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(command() + " took longer than " + timeoutSeconds + " s");
            }
            byte[] err = stderr.join();
            if (p.exitValue() != 0) {
                String msg = new String(err, StandardCharsets.UTF_8).strip().replace('\n', ' ');
                throw new IOException(command() + " failed (exit " + p.exitValue() + "): " + msg);
            }
            return stdout.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted while running " + command());
        }
    }

    private static CompletableFuture<byte[]> drain(InputStream s) {
        return CompletableFuture.supplyAsync(() -> {
            try (s; ByteArrayOutputStream b = new ByteArrayOutputStream()) {
                s.transferTo(b);
                return b.toByteArray();
            } catch (IOException e) {
                return new byte[0];
            }
        });
    }
}
