package dev.switchboard.store.sqlite;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Copies the WAL back into the database file from its own thread. Left to SQLite, the checkpoint
 * runs inside whichever commit crosses the threshold and stalls the writer for an extra fsync of the
 * whole file; a passive checkpoint here never blocks the writer or the readers.
 */
final class Checkpointer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Checkpointer.class);
    private static final long PERIOD_MILLIS = 200;
    /** About 64 MiB of 4 KiB pages. */
    private static final int MAX_WAL_FRAMES = 16_384;

    private final Connection connection;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread t = new Thread(task, "switchboard-store-checkpointer");
        t.setDaemon(true);
        return t;
    });

    Checkpointer(Connection connection) {
        this.connection = connection;
        thread.scheduleWithFixedDelay(this::checkpoint, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void checkpoint() {
        try (Statement statement = connection.createStatement()) {
            int walFrames = 0;
            try (ResultSet r = statement.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
                if (r.next()) walFrames = r.getInt(2);
            }
            // Under steady traffic some reader always holds a snapshot, so SQLite never rewinds the
            // WAL and it grows without bound; past a size, wait briefly for readers and rewind it.
            // RESTART, not TRUNCATE: it blocks the writer while it runs, and giving a large file's
            // blocks back to the file system only for the next commits to allocate them again took
            // 60-100 ms where the rewind alone takes a few.
            if (walFrames > MAX_WAL_FRAMES) {
                statement.execute("PRAGMA wal_checkpoint(RESTART)");
            }
        } catch (SQLException e) {
            log.warn("checkpoint failed; the next one will try again", e);
        }
    }

    /** A last full checkpoint leaves the file self-contained for backups. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
        } catch (SQLException e) {
            log.warn("final checkpoint failed; the WAL stays beside the file and is replayed on open", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // nothing more to release
            }
        }
    }
}
