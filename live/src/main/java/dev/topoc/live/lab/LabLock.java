package dev.topoc.live.lab;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The exclusive lock of one lab, held while {@code up} or {@code down} changes it; released by {@link #close()}. */
public final class LabLock implements AutoCloseable {
    /** What a removed lock file holds: a process that locks it afterwards opens the path again (LabStore#lock). */
    static final String RETIRED = "retired\n";

    private final LabId id;
    private final Path path;
    private final FileChannel channel;
    private final FileLock lock;
    private boolean retired;

    LabLock(LabId id, Path path, FileChannel channel, FileLock lock) {
        this.id = id;
        this.path = path;
        this.channel = channel;
        this.lock = lock;
    }

    public LabId id() {
        return id;
    }

    /**
     * Removes the lock file (the lab is gone): marks it {@link #RETIRED}, then unlinks it, still holding the lock, so
     * a process waiting on the old file sees the mark when it gets the lock and takes the path's new file instead.
     */
    public void retire() throws IOException {
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(RETIRED.getBytes(StandardCharsets.US_ASCII)), 0);
        channel.force(false);
        Files.deleteIfExists(path);
        retired = true;
    }

    /** Whether the file behind {@code channel} was retired by the process that held its lock. */
    static boolean retired(FileChannel channel) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(RETIRED.length());
        channel.read(b, 0);
        return new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).equals(RETIRED);
    }

    @Override
    public void close() throws IOException {
        try {
            if (!retired) {
                channel.truncate(0);
            }
            lock.release();
        } finally {
            channel.close();
        }
    }
}
