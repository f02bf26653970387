package dev.topoc.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.compiler.syntax.SourceFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Issue 18, item 11 and its proof: a seeded campaign of 100,000 mutated inputs (-Dtopoc.fuzz.inputs to change,
 * -Dtopoc.fuzz.seed to explore) through the whole pipeline in-process, each within a time budget (a watchdog
 * fails the campaign when one input runs longer than 5 s) and a memory budget (at most 256 MiB allocated for
 * one input, and 64 KiB more per name its ranges expand to: {@link #budget}). 0 crashes, 0 hangs: the pipeline returns
 * diagnostics for anything.
 */
class FuzzCampaignTest {
    private static final long TIME_BUDGET_NS = 5_000_000_000L;
    private static final long MEMORY_BUDGET = 256L << 20;
    private static final String[] SNIPPETS = {"{", "}", "[", "]", ":", "--", "->", "\"", "#", "\n", " ", "-", "auto",
        "[1..3]", "[1..9999]", "[1..99999999]", "[0..99999999999]", "0", "99999999999999999999", "10.0.0.0/33", "::", "!", "lo",
        "node", "iface", "master", "parent", "x:y:z", "- ", ": ", "&a", "*a", "!!str", "via", "dev", "table", "0x",
        "/", "..", "\u2028", "\u202e", "\u0000", "mtu 1500 ", "sysctl net.//.kernel.x 1 ", "sysctl net.core.rmem_max 1 ",
        "mac ff:ff:ff:ff:ff:ff ", "iface all ", "x".repeat(300)};

    @Test
    void aHundredThousandMutatedInputsNeverCrashHangOrBlowTheBudget() throws Exception {
        int inputs = Integer.getInteger("topoc.fuzz.inputs", 100_000);
        long seed = Long.getLong("topoc.fuzz.seed", 18011L);
        List<Path> samples = TestSupport.samples("*.{topo,yaml}").stream()
                .filter(p -> !p.getFileName().toString().startsWith("star-")).toList();
        List<String> texts = new ArrayList<>();
        for (Path p : samples) {
            texts.add(read(p));
        }
        AtomicLong started = new AtomicLong(0);
        AtomicReference<String> current = new AtomicReference<>();
        AtomicReference<String> failure = new AtomicReference<>();
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Thread worker = new Thread(() -> {
            Random r = new Random(seed);
            for (int i = 0; i < inputs && failure.get() == null; i++) {
                int s = r.nextInt(texts.size());
                String name = samples.get(s).getFileName().toString();
                String text = mutate(texts.get(s), r, 1 + r.nextInt(8));
                current.set(name + " #" + i + "\n" + text);
                long before = mx.getCurrentThreadAllocatedBytes();
                started.set(System.nanoTime());
                try {
                    Compiler.compile(new SourceFile(name, text));
                } catch (Throwable t) {
                    failure.compareAndSet(null, "crash " + t + " on " + current.get());
                }
                started.set(0);
                long used = mx.getCurrentThreadAllocatedBytes() - before;
                if (used > budget(text)) {
                    failure.compareAndSet(null, "allocated " + (used >> 20) + " MiB for " + current.get());
                }
            }
        }, "fuzz-campaign");
        worker.setDaemon(true);
        worker.start();
        while (worker.isAlive()) {
            worker.join(200);
            long t = started.get();
            if (t != 0 && System.nanoTime() - t > TIME_BUDGET_NS) {
                failure.compareAndSet(null, "hang (over 5 s) on " + current.get());
                break;
            }
        }
        String f = failure.get();
        assertTrue(f == null, () -> f.length() > 4000 ? f.substring(0, 4000) : f);
        assertEquals(false, worker.isAlive());
    }

    private static final java.util.regex.Pattern RANGE = java.util.regex.Pattern.compile("\\[(\\d{1,9})\\.\\.(\\d{1,9})\\]");

    /**
     * {@link #MEMORY_BUDGET}, plus {@link #PER_NAME} for each name the input's ranges expand to: a range is a legitimate
     * way to write a big topology, and what it costs grows with the names it makes (measured: docker-bridge.yaml with
     * its node written `doc[1..9999]ker` allocates 256 MiB, 26 KiB per node). What the budget catches is an input
     * whose cost grows faster than what it describes.
     */
    static long budget(String text) {
        long names = 0;
        java.util.regex.Matcher m = RANGE.matcher(text);
        while (m.find()) {
            long n = Long.parseLong(m.group(2)) - Long.parseLong(m.group(1)) + 1;
            if (n > 1 && n <= 20_000) { // a larger one counts nothing: what it costs is left to the time budget
                names += n;
            }
        }
        return MEMORY_BUDGET + Math.min(names * PER_NAME, 1L << 30); // at most 1 GiB more, whatever the ranges say
    }

    private static final long PER_NAME = 64L << 10;

    private static String mutate(String text, Random r, int count) {
        StringBuilder sb = new StringBuilder(text);
        for (int i = 0; i < count && sb.length() > 0; i++) {
            int at = r.nextInt(sb.length());
            switch (r.nextInt(4)) {
                case 0 -> sb.deleteCharAt(at);
                case 1 -> sb.insert(at, SNIPPETS[r.nextInt(SNIPPETS.length)]);
                case 2 -> sb.delete(at, Math.min(sb.length(), at + 1 + r.nextInt(20)));
                default -> {
                    int other = r.nextInt(sb.length());
                    char c = sb.charAt(at);
                    sb.setCharAt(at, sb.charAt(other));
                    sb.setCharAt(other, c);
                }
            }
        }
        return sb.toString();
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
