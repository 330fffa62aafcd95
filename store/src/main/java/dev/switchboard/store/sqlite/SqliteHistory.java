package dev.switchboard.store.sqlite;

import dev.switchboard.core.calls.Call;
import dev.switchboard.core.store.CallCodec;
import dev.switchboard.core.store.CallHistory;
import dev.switchboard.core.store.TimelineEntry;
import dev.switchboard.store.sql.StoreException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * An SQLite store's calls, only to read: it may be opened while a {@link SqliteCallStore} (in this
 * process or a running server) writes the file, and it sees each of that store's commits as it lands.
 * It neither creates nor migrates the file.
 *
 * <pre>{@code
 * try (CallHistory history = SqliteHistory.open(Path.of("data/switchboard.db"), codec)) {
 *     history.recent(20).forEach(call -> System.out.println(call.id() + " " + call.state()));
 * }
 * }</pre>
 */
public final class SqliteHistory implements CallHistory {

    private final ReadPool reads;

    private SqliteHistory(ReadPool reads) {
        this.reads = reads;
    }

    /** @throws StoreException when there is no store at {@code databaseFile}, or it cannot be read */
    public static SqliteHistory open(Path databaseFile, CallCodec codec) {
        if (!Files.isRegularFile(databaseFile)) throw new StoreException("no store at " + databaseFile, null);
        try {
            return new SqliteHistory(new ReadPool(new SqliteConnections(databaseFile), codec, 1));
        } catch (SQLException e) {
            throw new StoreException("cannot read " + databaseFile + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<Call> find(String callId) {
        return reads.read(q -> q.find(callId));
    }

    @Override
    public List<Call> recent(int limit) {
        return reads.read(q -> q.recent(limit));
    }

    @Override
    public List<TimelineEntry> timeline(String callId) {
        return reads.read(q -> q.timeline(callId));
    }

    @Override
    public void close() {
        reads.close();
    }
}
