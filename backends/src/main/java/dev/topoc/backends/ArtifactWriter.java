package dev.topoc.backends;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;

/**
 * Writes artifacts under a folder, safely for scripts that root will run (issue 18, items 4 and 16):
 *
 * <ul>
 *   <li>the output folder, and every folder under it that a file goes into, must be owned by the user running
 *       topoc and writable by no one else (group or others could replace apply.sh before root runs it); a
 *       missing folder is created (0755), a symbolic link below the output folder is refused;
 *   <li>each file is written to a fresh temporary file in its folder (created exclusively, never through a
 *       link), given its mode — 0755 for scripts, 0644 for the rest — and renamed over the destination, so a
 *       link planted at {@code OUT/apply.sh} is replaced, not followed, and a reader never sees half a file.
 * </ul>
 */
public final class ArtifactWriter {
    private static final Set<PosixFilePermission> SCRIPT = PosixFilePermissions.fromString("rwxr-xr-x");
    private static final Set<PosixFilePermission> DATA = PosixFilePermissions.fromString("rw-r--r--");

    private ArtifactWriter() {}

    public static void write(Artifacts artifacts, Path dir) throws IOException {
        Path root = dir.toAbsolutePath().normalize();
        UserPrincipal me = currentUser();
        if (Files.exists(root)) {
            root = root.toRealPath();
            checkFolder(root, me);
        } else {
            Files.createDirectories(root);
            folderMode(root);
            root = root.toRealPath();
        }
        // every folder first: a refused one stops the write before any file is written
        java.util.Map<Path, Path> folders = new java.util.HashMap<>();
        for (String name : artifacts.files().keySet()) {
            Path target = root.resolve(name).normalize();
            if (!target.startsWith(root) || target.equals(root)) {
                throw new IOException("artifact path escapes the output folder: " + name);
            }
            if (!folders.containsKey(target.getParent())) {
                folders.put(target.getParent(), folderFor(root, target.getParent(), me));
            }
        }
        for (var e : artifacts.files().entrySet()) {
            Path target = root.resolve(e.getKey()).normalize();
            Path folder = folders.get(target.getParent());
            Path tmp = Files.createTempFile(folder, "." + target.getFileName(), ".tmp");
            try {
                Files.writeString(tmp, e.getValue().content(), StandardCharsets.UTF_8);
                try {
                    Files.setPosixFilePermissions(tmp, e.getValue().executable() ? SCRIPT : DATA);
                } catch (UnsupportedOperationException ignored) {
                    tmp.toFile().setExecutable(e.getValue().executable());
                }
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException notAtomic) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** {@code folder} (under {@code root}) made and checked component by component, links refused. */
    private static Path folderFor(Path root, Path folder, UserPrincipal me) throws IOException {
        Path at = root;
        for (Path part : root.relativize(folder)) {
            at = at.resolve(part);
            if (Files.isSymbolicLink(at)) {
                throw new IOException(at + " is a symbolic link: refusing to write through it");
            }
            if (Files.exists(at, LinkOption.NOFOLLOW_LINKS)) {
                checkFolder(at, me);
            } else {
                Files.createDirectory(at);
                folderMode(at);
            }
        }
        return at;
    }

    /** 0755 whatever the umask: a folder topoc made must pass its own check next time. */
    private static void folderMode(Path folder) throws IOException {
        try {
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (UnsupportedOperationException ignored) {
            // no modes on this file system
        }
    }

    private static void checkFolder(Path folder, UserPrincipal me) throws IOException {
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(folder + " is not a folder");
        }
        PosixFileAttributes a;
        try {
            a = Files.readAttributes(folder, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException notPosix) {
            return; // no owners or modes to check on this file system
        }
        if (me != null && !a.owner().equals(me)) {
            throw new IOException(folder + " belongs to " + a.owner().getName() + ", not to " + me.getName()
                    + ": its owner could replace the scripts before they run; write into a folder of your own");
        }
        if (a.permissions().contains(PosixFilePermission.GROUP_WRITE) || a.permissions().contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new IOException(folder + " is writable by " + (a.permissions().contains(PosixFilePermission.OTHERS_WRITE) ? "others"
                    : "its group") + ": they could replace the scripts before they run; use a folder only you can write to");
        }
    }

    private static UserPrincipal currentUser() {
        try {
            return FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(System.getProperty("user.name"));
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }
}
