package dev.topoc.backends;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a backend produces: files by relative path, in a stable order, byte-identical for the same
 * input. Nothing is written by the backend itself; {@link ArtifactWriter} does that in a separate step.
 */
public final class Artifacts {
    /** One file: its text and whether it is a script to be made executable. */
    public record File(String content, boolean executable) {}

    private final Map<String, File> files = new LinkedHashMap<>();

    public Artifacts add(String path, String content) {
        return add(path, content, false);
    }

    public Artifacts add(String path, String content, boolean executable) {
        if (files.putIfAbsent(path, new File(content, executable)) != null) {
            throw new IllegalStateException("artifact written twice: " + path);
        }
        return this;
    }

    public Map<String, File> files() {
        return Collections.unmodifiableMap(files);
    }

    public String content(String path) {
        File f = files.get(path);
        return f == null ? null : f.content();
    }
}
