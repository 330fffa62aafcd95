package dev.switchboard.store.sqlite;

import dev.switchboard.store.sql.StoreException;
import org.sqlite.SQLiteConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Gives a stopped store's free pages back to the file system. Retention frees the pages of the calls it
 * forgets, and SQLite reuses them for new calls, so a store in steady use stays the size of what it
 * keeps; but the file never shrinks by itself. After a one-off purge (a shorter retention, a burst of
 * traffic) an operator who wants the disk back runs this, with the server stopped:
 *
 * <pre>{@code
 * SqliteCompaction.Result r = SqliteCompaction.compact(Path.of("data/switchboard.db"));
 * System.out.println(r.bytesBefore() + " -> " + r.bytesAfter());
 * }</pre>
 *
 * It takes the store's writer lock, so it refuses a store that a server has open, and then rewrites
 * the file with SQLite's {@code VACUUM}, which needs free disk about the size of the file while it runs.
 */
public final class SqliteCompaction {

    /** Sizes of the database file and its write-ahead log together, before and after. */
    public record Result(long bytesBefore, long bytesAfter) {
    }

    private SqliteCompaction() {
    }

    /**
     * @throws StoreException when there is no store at that path, when a server (or a store of this
     *                        process) has it open, or when SQLite cannot rewrite it; the file is then unchanged
     */
    public static Result compact(Path databaseFile) {
        if (!Files.isRegularFile(databaseFile)) throw new StoreException("no store at " + databaseFile, null);
        try (WriterLock ignored = WriterLock.acquire(databaseFile)) {
            long before = size(databaseFile);
            SQLiteConfig config = new SQLiteConfig();
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
            try (Connection connection = config.createConnection("jdbc:sqlite:" + databaseFile.toAbsolutePath());
                 Statement statement = connection.createStatement()) {
                // VACUUM copies the committed pages; the log's frames go into the file first, and the
                // log's own space is given back too
                statement.execute("PRAGMA wal_checkpoint(TRUNCATE)");
                statement.execute("VACUUM");
                statement.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            } catch (SQLException e) {
                throw new StoreException("cannot compact " + databaseFile + ": " + e.getMessage(), e);
            }
            return new Result(before, size(databaseFile));
        }
    }

    private static long size(Path databaseFile) {
        try {
            Path wal = databaseFile.resolveSibling(databaseFile.getFileName() + "-wal");
            return Files.size(databaseFile) + (Files.exists(wal) ? Files.size(wal) : 0);
        } catch (IOException e) {
            throw new StoreException("cannot read the size of " + databaseFile, e);
        }
    }
}
