package dev.switchboard.store.sqlite;

import dev.switchboard.store.sql.StoreException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * Makes a process the file's only writer, as {@link GroupCommitWriter} assumes when it numbers the
 * outbox rows itself: a second writer would collide with it on every row. The lock lives on a file
 * beside the database, {@code <database>.lock}, which names its holder. The operating system drops it
 * when the process ends however it ends, so a crash never leaves a store locked.
 */
final class WriterLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private WriterLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** @throws StoreException naming the holder, when another process (or store in this one) writes the file */
    static WriterLock acquire(Path databaseFile) {
        Path path = lockFile(databaseFile);
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new StoreException("cannot open the lock file " + path, e);
        }
        try {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;  // a store of this process has it open
            }
            if (lock == null) {
                throw new StoreException(databaseFile + " is in use by another Switchboard (" + holder(channel)
                        + "); a store has one writer: stop that one, or give this one another data directory", null);
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + ", since " + Instant.now() + "\n")
                    .getBytes(StandardCharsets.UTF_8)), 0);
            return new WriterLock(channel, lock);
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            if (e instanceof StoreException s) throw s;
            throw new StoreException("cannot lock " + path, e);
        }
    }

    static Path lockFile(Path databaseFile) {
        return databaseFile.resolveSibling(databaseFile.getFileName() + ".lock");
    }

    private static String holder(FileChannel channel) throws IOException {
        ByteBuffer text = ByteBuffer.allocate(200);
        channel.read(text, 0);
        String said = new String(text.array(), 0, text.position(), StandardCharsets.UTF_8).strip();
        return said.isEmpty() ? "it did not say which" : said;
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it as well
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing more to release
        }
    }
}
