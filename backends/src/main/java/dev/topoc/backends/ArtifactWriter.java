package dev.topoc.backends;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Writes artifacts under a directory (created if needed); scripts get mode 0755. */
public final class ArtifactWriter {
    private ArtifactWriter() {}

    public static void write(Artifacts artifacts, Path dir) throws IOException {
        Path root = dir.toAbsolutePath().normalize();
        for (var e : artifacts.files().entrySet()) {
            Path target = root.resolve(e.getKey()).normalize();
            if (!target.startsWith(root)) {
                throw new IOException("artifact path escapes the output folder: " + e.getKey());
            }
            Files.createDirectories(target.getParent());
            Files.writeString(target, e.getValue().content(), StandardCharsets.UTF_8);
            if (e.getValue().executable()) {
                try {
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
                } catch (UnsupportedOperationException ignored) {
                    target.toFile().setExecutable(true);
                }
            }
        }
    }
}
