package dev.topoc.live.read;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link NamespaceDump.Parts#LEAN Lean} dumps of many namespaces through one process: {@code nsread.py} (a resource
 * next to this class) enters each namespace with {@code setns(2)} and runs {@code ip -j -d -batch -} of
 * {@link NamespaceDump#LEAN_BATCH} there. Per namespace that is one exec ({@code ip}) where
 * {@code nsenter --net=… ip …} makes two, and one process started by the JVM for a whole group of namespaces instead
 * of one per namespace (bench/README.md, live-star: about a third of the reading's CPU).
 *
 * <p>Best effort: without {@code python3} (or with one too old for the script), or for a namespace the helper
 * could not read, the caller reads those namespaces one {@code nsenter} at a time as before, which also gives the
 * usual one-line message when a namespace cannot be read. The dumps are the same either way: the same {@code ip}
 * command with the same batch, in the same namespace.
 */
public final class BatchDumps {
    private BatchDumps() {}

    private static final String SCRIPT = script();
    /** Set when python3 could not be started: not tried again by this process. */
    private static volatile boolean unavailable;

    private static String script() {
        try (InputStream in = BatchDumps.class.getResourceAsStream("nsread.py")) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Lean dumps (no IPv6 rules) of {@code namespaces} (names under /run/netns, never the default namespace), read by
     * one helper process: namespace → dump, for the namespaces it read; any other namespace is absent from the
     * result (the helper is missing or failed, or {@code ip} failed there), for the caller to read on its own.
     */
    public static Map<String, NamespaceDump> read(List<String> namespaces) {
        Map<String, NamespaceDump> out = new LinkedHashMap<>();
        if (namespaces.isEmpty() || unavailable || SCRIPT == null) {
            return out;
        }
        Process p;
        try {
            // -I: no environment variables or user site; -S: no site module (faster start)
            p = new ProcessBuilder("python3", "-I", "-S", "-c", SCRIPT, NamespaceDump.LEAN_BATCH)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            unavailable = true;
            return out;
        }
        try {
            try (var stdin = p.getOutputStream()) {
                stdin.write((String.join("\n", namespaces) + "\n").getBytes(StandardCharsets.UTF_8));
            }
            InputStream in = new BufferedInputStream(p.getInputStream(), 1 << 16);
            while (true) {
                String header = line(in);
                if (header == null || !header.startsWith("@@topoc ")) {
                    break;
                }
                String[] f = header.substring(8).split(" ");
                if (f.length < 3) {
                    break;
                }
                int length = Integer.parseInt(f[f.length - 1]);
                int code = Integer.parseInt(f[f.length - 2]);
                String ns = String.join(" ", java.util.Arrays.asList(f).subList(0, f.length - 2));
                byte[] data = in.readNBytes(length);
                if (data.length != length) {
                    break; // cut short: the rest is read one namespace at a time
                }
                if (code == 0) {
                    out.put(ns, NamespaceDump.leanFromBatch(ns, new String(data, StandardCharsets.UTF_8)));
                }
            }
            in.transferTo(java.io.OutputStream.nullOutputStream());
            int code = p.waitFor();
            if (code != 0 && out.isEmpty()) {
                unavailable = true; // e.g. a python3 without os.memfd_create or ctypes: do not start it again
            }
        } catch (IOException | NumberFormatException | NamespaceDump.ReadException e) {
            // a garbled frame or unreadable JSON: what was read stands, the rest is read one namespace at a time
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            p.destroy();
        }
        return out;
    }

    /** A line up to '\n' (without it), or null at the end of the stream. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(80);
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            b.write(c);
        }
        return c == -1 && b.size() == 0 ? null : b.toString(StandardCharsets.UTF_8);
    }
}
