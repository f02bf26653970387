package dev.topoc.live.lab;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The lab records on this machine: one JSON file per lab, {@code DIR/TOPOLOGY@PREFIX.json} (see {@link LabId}),
 * in a folder only root may read ({@code 0700}; records {@code 0600}). {@code DIR} is {@code /run/topoc/live}:
 * {@code /run} is a tmpfs, so records vanish on reboot together with the namespaces they describe.
 *
 * <p>Writes are atomic (a temporary file in the same folder, then a rename), so a reader never sees half a record
 * and a crash leaves the old one. Changing a lab takes its {@link #lock exclusive lock} first: a POSIX lock on
 * {@code DIR/TOPOLOGY@PREFIX.lock}, a file that is never renamed (a lock on the record itself would be lost with the
 * inode each atomic write replaces). The kernel drops the lock when its process dies, so a killed {@code up} never
 * leaves a lab locked. {@code down} removes the lock file while it holds the lock ({@link LabLock#retire()}): it
 * first writes a mark into the file, and whoever gets the lock of a marked file (it opened it before the unlink)
 * lets it go and opens the path again, so two processes never hold the locks of two different files of one lab.
 */
public final class LabStore {
    /** Where records live unless {@code TOPOC_LIVE_DIR} says otherwise (tests use their own folder). */
    public static final Path DEFAULT_DIR = Path.of("/run/topoc/live");

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path dir;

    public LabStore(Path dir) {
        this.dir = dir;
    }

    /** The machine's store: {@code $TOPOC_LIVE_DIR} when set, else {@link #DEFAULT_DIR}. */
    public static LabStore system() {
        String env = System.getenv("TOPOC_LIVE_DIR");
        return new LabStore(env == null || env.isBlank() ? DEFAULT_DIR : Path.of(env));
    }

    public Path dir() {
        return dir;
    }

    public Path recordPath(LabId id) {
        return dir.resolve(id.name() + ".json");
    }

    private Path lockPath(LabId id) {
        return dir.resolve(id.name() + ".lock");
    }

    /** Every lab on this machine, by name. Unreadable records are skipped (they are named by {@link #damaged()}). */
    public List<LabRecord> list() {
        List<LabRecord> labs = new ArrayList<>();
        for (Path p : recordFiles()) {
            try {
                labs.add(read(p));
            } catch (IOException e) {
                // reported by damaged()
            }
        }
        labs.sort(java.util.Comparator.comparing(LabRecord::name));
        return labs;
    }

    /** Records that exist but cannot be read (a user's edit gone wrong), by path. */
    public List<Path> damaged() {
        List<Path> bad = new ArrayList<>();
        for (Path p : recordFiles()) {
            try {
                read(p);
            } catch (IOException e) {
                bad.add(p);
            }
        }
        return bad;
    }

    private List<Path> recordFiles() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list lab records in " + dir, e);
        }
    }

    /** The lab called {@code name} ({@code TOPOLOGY} or {@code TOPOLOGY@PREFIX}). */
    public Optional<LabRecord> find(String name) {
        return LabId.parse(name).flatMap(this::find);
    }

    public Optional<LabRecord> find(LabId id) {
        Path p = recordPath(id);
        try {
            return Optional.of(read(p));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the lab record " + p + ": " + e.getMessage(), e);
        }
    }

    /** The lab whose nodes include the namespace {@code ns}, if any. */
    public Optional<LabRecord> owner(String namespace) {
        return list().stream().filter(r -> r.namespaces().contains(namespace)).findFirst();
    }

    private static LabRecord read(Path p) throws IOException {
        try {
            return JSON.readValue(Files.readString(p, StandardCharsets.UTF_8), LabRecord.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException("not a lab record: " + e.getOriginalMessage(), e);
        }
    }

    /** Writes {@code record} atomically (mode 0600, folder 0700). */
    public void write(LabRecord record) throws IOException {
        ensureDir();
        Path target = recordPath(record.id());
        Path tmp = Files.createTempFile(dir, "." + record.name(), ".tmp", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(tmp, JSON.writeValueAsString(record) + "\n", StandardCharsets.UTF_8);
            try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                c.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Deletes the record of {@code id}. The lock file goes with {@link LabLock#retire()}, which marks it before
     * unlinking it so that a process already waiting on it takes the lock of a new file instead.
     */
    public void delete(LabId id) throws IOException {
        Files.deleteIfExists(recordPath(id));
    }

    private void ensureDir() throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }

    /**
     * Takes the exclusive lock of lab {@code id}, waiting up to {@code wait} while another process (or thread) holds
     * it; {@code waiting} hears once that it waits, with the holder's pid. Throws {@link LabBusyException} when the
     * time is up ({@code Duration.ZERO}: refuse at once).
     */
    public LabLock lock(LabId id, Duration wait, Consumer<String> waiting) throws IOException {
        ensureDir();
        Path p = lockPath(id);
        FileChannel channel = open(p);
        long deadline = System.nanoTime() + wait.toNanos();
        boolean told = false;
        try {
            while (true) {
                FileLock lock = tryLock(channel);
                if (lock != null && LabLock.retired(channel)) {
                    // the holder removed this lock file (its lab went down) after we opened it: take the path's file
                    lock.release();
                    channel.close();
                    channel = open(p);
                    continue;
                }
                if (lock != null) {
                    channel.truncate(0);
                    channel.write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
                    return new LabLock(id, p, channel, lock);
                }
                String holder = holder(p);
                if (System.nanoTime() >= deadline) {
                    throw new LabBusyException(id, holder);
                }
                if (!told) {
                    waiting.accept("lab " + id.name() + " is being changed by another topoc (pid " + holder
                            + "): waiting up to " + wait.toSeconds() + " s for it to finish");
                    told = true;
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            channel.close();
            throw new LabBusyException(id, holder(p));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static FileChannel open(Path p) throws IOException {
        FileChannel channel = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        return channel;
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // held by another thread of this JVM
        }
    }

    private static String holder(Path lockFile) {
        try {
            String s = Files.readString(lockFile, StandardCharsets.US_ASCII).trim();
            return s.isEmpty() ? "unknown" : s;
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Hex SHA-256 of {@code text} (UTF-8): a file's version in its record. */
    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
