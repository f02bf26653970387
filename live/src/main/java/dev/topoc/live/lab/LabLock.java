package dev.topoc.live.lab;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;

/** The exclusive lock of one lab, held while {@code up} or {@code down} changes it; released by {@link #close()}. */
public final class LabLock implements AutoCloseable {
    private final LabId id;
    private final FileChannel channel;
    private final FileLock lock;

    LabLock(LabId id, FileChannel channel, FileLock lock) {
        this.id = id;
        this.channel = channel;
        this.lock = lock;
    }

    public LabId id() {
        return id;
    }

    @Override
    public void close() throws IOException {
        try {
            channel.truncate(0);
            lock.release();
        } finally {
            channel.close();
        }
    }
}
