package dev.switchboard.store.sqlite;

import dev.switchboard.core.calls.Call;
import dev.switchboard.core.calls.CallState;
import dev.switchboard.core.store.CallCodec;
import dev.switchboard.core.store.CallStore;
import dev.switchboard.core.store.CallWrites;
import dev.switchboard.core.store.ClaimedNotifications;
import dev.switchboard.core.store.OutboxClaim;
import dev.switchboard.core.store.PendingNotification;
import dev.switchboard.core.store.TimelineEntry;
import dev.switchboard.core.time.Clock;
import dev.switchboard.store.sql.CallQueries;
import dev.switchboard.store.sql.StoreException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongConsumer;

/**
 * The {@link CallStore} in one SQLite file: the embedded default. Writes are group-committed by one
 * writer thread (see {@link GroupCommitWriter}); reads use a small pool of their own connections.
 * Thread-safe. A work runs on the writer thread, so it must not wait for another write.
 *
 * <pre>{@code
 * try (CallStore store = SqliteCallStore.open(Path.of("data/calls.db"), codec, Clock.system())) {
 *     store.write(tx -> { tx.insert(call); return null; }).join(); // durable once joined
 * }
 * }</pre>
 */
public final class SqliteCallStore implements CallStore {

    /** Later than any due time, and still a whole number of epoch milliseconds. */
    private static final Instant EVER = Instant.ofEpochMilli(Long.MAX_VALUE);

    private static final int READERS = 4;

    private final WriterLock lock;
    private final GroupCommitWriter writer;
    private final ReadPool reads;
    private final Checkpointer checkpointer;

    private SqliteCallStore(WriterLock lock, GroupCommitWriter writer, ReadPool reads, Checkpointer checkpointer) {
        this.lock = lock;
        this.writer = writer;
        this.reads = reads;
        this.checkpointer = checkpointer;
    }

    /**
     * Opens the file, creating it and its directories if needed, and migrates its schema. One store
     * writes a file at a time: to read it beside the one that writes, open a {@link SqliteHistory}.
     *
     * @throws StoreException when another store, in this process or another, has the file open
     */
    public static SqliteCallStore open(Path databaseFile, CallCodec codec, Clock clock) {
        return open(databaseFile, codec, clock, CommitDelay.DEFAULT);
    }

    static SqliteCallStore open(Path databaseFile, CallCodec codec, Clock clock, CommitDelay delay) {
        try {
            Path parent = databaseFile.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
        } catch (IOException e) {
            throw new StoreException("cannot create the directory of " + databaseFile, e);
        }
        WriterLock lock = WriterLock.acquire(databaseFile);
        SqliteConnections connections = new SqliteConnections(databaseFile);
        Connection writeConnection = null;
        Connection checkpointConnection = null;
        try {
            SqliteMigrations.migrate(connections.url());
            writeConnection = connections.writer();
            checkpointConnection = connections.checkpointer();
            ReadPool reads = new ReadPool(connections, codec, READERS);
            GroupCommitWriter writer;
            try {
                writer = new GroupCommitWriter(writeConnection, codec, clock, delay);
            } catch (SQLException e) {
                reads.close();
                throw e;
            }
            return new SqliteCallStore(lock, writer, reads, new Checkpointer(checkpointConnection));
        } catch (SQLException | RuntimeException e) {
            closeQuietly(writeConnection);
            closeQuietly(checkpointConnection);
            lock.close();
            if (e instanceof RuntimeException r) throw r;
            throw new StoreException("cannot open " + databaseFile + ": " + e.getMessage(), e);
        }
    }

    @Override
    public <T> CompletableFuture<T> write(Function<CallWrites, T> work) {
        return writer.submit(work);
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
    public List<Call> held(String ownerAppId, CallState state, int limit) {
        return reads.read(q -> q.held(ownerAppId, state, limit));
    }

    @Override
    public Optional<String> dialog(String callId) {
        return reads.read(q -> q.dialog(callId));
    }

    @Override
    public List<String> dueBy(Instant upTo, int limit) {
        return reads.read(q -> q.dueBy(upTo, limit));
    }

    @Override
    public Optional<Instant> nextDeadline() {
        return reads.read(CallQueries::nextDeadline);
    }

    @Override
    public List<PendingNotification> pending(long afterSeq, Instant dueBy, int limit) {
        return reads.read(q -> q.pending(afterSeq, dueBy, limit));
    }

    /**
     * One node owns an SQLite file, so every call is granted at once and there is no lease to keep:
     * this is {@link #pending} without the due time, less the internal callbacks of other nodes.
     */
    @Override
    public ClaimedNotifications claim(OutboxClaim claim) {
        List<PendingNotification> page = reads.read(q -> q.pending(claim.afterSeq(), EVER, claim.limit()));
        long scannedTo = page.isEmpty() ? claim.afterSeq() : page.get(page.size() - 1).seq();
        List<PendingNotification> reachable = page.stream().filter(n -> claim.reaches(n.callbackUri())).toList();
        return new ClaimedNotifications(reachable, scannedTo, page.size() == claim.limit());
    }

    @Override
    public void renewClaims(String node, Collection<String> callIds, Instant until) {
        // nothing to renew: no other node can take a call over
    }

    @Override
    public List<TimelineEntry> timeline(String callId) {
        return reads.read(q -> q.timeline(callId));
    }

    @Override
    public void onCommit(Runnable listener) {
        writer.onCommit(listener);
    }

    /** This process is the file's only writer, so its writer sees (and numbers) every row the outbox gets. */
    @Override
    public boolean onNotifications(Consumer<List<PendingNotification>> listener) {
        writer.onNotifications(listener);
        return true;
    }

    /** Never called: the single writer commits seqs in order, so a cursor never steps past one. */
    @Override
    public void onOutbox(LongConsumer listener) {
        Objects.requireNonNull(listener, "listener");
    }

    @Override
    public boolean healthy() {
        return writer.healthy();
    }

    /** Commits what was already submitted, then releases the file. */
    @Override
    public void close() {
        writer.close();
        reads.close();
        checkpointer.close();
        lock.close();
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) return;
        try {
            connection.close();
        } catch (SQLException ignored) {
            // already failing; the first error is the one worth reporting
        }
    }
}
