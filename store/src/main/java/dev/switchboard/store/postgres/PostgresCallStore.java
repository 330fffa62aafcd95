package dev.switchboard.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
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
import dev.switchboard.store.sql.PreparedStatements;
import dev.switchboard.store.sql.SqlFunction;
import dev.switchboard.store.sql.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.LongConsumer;

/**
 * The {@link CallStore} in a PostgreSQL database that several nodes may share (cluster mode).
 * Thread-safe.
 *
 * <p><b>Writes.</b> Each work runs in a transaction of its own on a pooled connection, on one of
 * {@link PostgresSettings#poolSize()} writer threads, at READ COMMITTED: the one compare-and-set
 * ({@code UPDATE … WHERE id = ? AND version = ?}) decides races, on this node or between nodes, and a
 * conversation is locked in a fixed order when a step reads it (see {@link PostgresCallWrites}). The
 * future completes only after COMMIT returned, and on a separate completion thread, so callbacks
 * never hold a connection; they must not block on another write. There is no group commit: the
 * server already overlaps the WAL flushes of concurrent transactions, which is what SQLite's single
 * writer batches for. A work that throws is rolled back alone.
 *
 * <p><b>The outbox cursor.</b> A seq is taken from a sequence when the row is inserted, but the
 * transactions of several connections (or nodes) commit in any order: seq 12 may be visible before
 * seq 11 is. {@link #pending} and {@link #claim} return what is visible now, in seq order; a reader
 * that keeps a cursor ({@code afterSeq}) may step past a seq that commits later. Every commit that
 * adds to the outbox therefore NOTIFYs its lowest seq to every node ({@link #onOutbox}, heard by
 * {@link OutboxSignals}), and readers look again from there; should a notification be missed (the
 * listening connection down), the {@code Dispatcher} still reads the whole outbox every second. Order
 * per call is kept: a work enqueues a call's notice after it updated (so locked) that call's row, so
 * one call's seqs commit in seq order.
 *
 * <p><b>Several nodes.</b> {@link #claim} grants each call's notifications to one node at a time
 * ({@link DeliveryLeases}); deadlines need no claim of their own, since a timeout is a state-machine
 * step like a reject and the conversation's row locks and version check let exactly one win.
 *
 * <p><b>Health.</b> {@link #healthy()} turns false when a connection cannot be had (for a write or a
 * read), a COMMIT fails or a rollback fails (the connection is gone); a probe then tries the database every second, and the
 * first successful commit or probe makes it true again.
 *
 * <pre>{@code
 * PostgresSettings db = new PostgresSettings("jdbc:postgresql://db:5432/switchboard", "switchboard", secret, 10);
 * try (CallStore store = PostgresCallStore.open(db, codec, Clock.system())) {
 *     store.write(tx -> { tx.insert(call); return null; }).join(); // committed once joined
 * }
 * }</pre>
 */
public final class PostgresCallStore implements CallStore {

    private static final Logger log = LoggerFactory.getLogger(PostgresCallStore.class);
    /** How long a write or read waits for a connection before the store counts as unhealthy. */
    private static final long CONNECTION_TIMEOUT_MILLIS = 5_000;
    private static final long PROBE_PERIOD_MILLIS = 1_000;
    private static final int PROBE_VALIDATION_SECONDS = 2;
    /** Past this many waiting works, writers wait: backpressure instead of unbounded memory. */
    private static final int QUEUE_CAPACITY = 16_384;

    private final HikariDataSource pool;
    private final OutboxSignals signals;
    private final CallCodec codec;
    private final Clock clock;
    private final ThreadPoolExecutor writers;
    private final ExecutorService completer;
    private final ScheduledExecutorService prober;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    private volatile boolean failing;

    private PostgresCallStore(HikariDataSource pool, int writerThreads, CallCodec codec, Clock clock,
                              OutboxSignals signals) {
        this.pool = pool;
        this.signals = signals;
        this.codec = codec;
        this.clock = clock;
        AtomicInteger writerCount = new AtomicInteger();
        this.writers = new ThreadPoolExecutor(writerThreads, writerThreads, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(QUEUE_CAPACITY),
                task -> daemon(task, "switchboard-store-writer-" + writerCount.incrementAndGet()),
                PostgresCallStore::waitForRoom);
        this.completer = Executors.newSingleThreadExecutor(task -> daemon(task, "switchboard-store-completer"));
        this.prober = Executors.newSingleThreadScheduledExecutor(task -> daemon(task, "switchboard-store-probe"));
        prober.scheduleWithFixedDelay(this::probe, PROBE_PERIOD_MILLIS, PROBE_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Connects, migrates the schema and starts the writers.
     *
     * @throws StoreException if the database cannot be reached or migrated
     */
    public static PostgresCallStore open(PostgresSettings settings, CallCodec codec, Clock clock) {
        return open(settings, codec, clock, CONNECTION_TIMEOUT_MILLIS);
    }

    /** With a shorter wait for connections, for tests that take the database away. */
    static PostgresCallStore open(PostgresSettings settings, CallCodec codec, Clock clock, long connectionTimeoutMillis) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("switchboard-store");
        config.setJdbcUrl(settings.url());
        if (settings.user() != null) config.setUsername(settings.user());
        if (settings.password() != null) config.setPassword(settings.password());
        config.setMaximumPoolSize(settings.poolSize());
        config.setMinimumIdle(settings.poolSize());
        config.setConnectionTimeout(connectionTimeoutMillis);
        config.setAutoCommit(true); // reads; a write turns it off for its transaction
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        config.addDataSourceProperty("ApplicationName", "switchboard");
        config.addDataSourceProperty("tcpKeepAlive", "true");
        config.addDataSourceProperty("connectTimeout", Long.toString(PostgresSettings.CONNECT_TIMEOUT.toSeconds()));
        config.addDataSourceProperty("socketTimeout", Long.toString(PostgresSettings.SOCKET_TIMEOUT.toSeconds()));
        config.addDataSourceProperty("options", "-c statement_timeout=" + PostgresSettings.STATEMENT_TIMEOUT.toMillis()
                + " -c lock_timeout=" + PostgresSettings.LOCK_TIMEOUT.toMillis());
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreException("cannot connect to " + settings.url() + ": " + rootMessage(e), e);
        }
        try {
            PostgresMigrations.migrate(pool);
        } catch (RuntimeException e) {
            pool.close();
            throw new StoreException("cannot migrate the schema at " + settings.url() + ": " + rootMessage(e), e);
        }
        return new PostgresCallStore(pool, settings.poolSize(), codec, clock, new OutboxSignals(settings).start());
    }

    @Override
    public <T> CompletableFuture<T> write(Function<CallWrites, T> work) {
        CompletableFuture<T> future = new CompletableFuture<>();
        if (closed) return refused(future);
        try {
            writers.execute(() -> run(work, future));
        } catch (RejectedExecutionException e) {
            return refused(future);
        }
        return future;
    }

    private <T> void run(Function<CallWrites, T> work, CompletableFuture<T> future) {
        Connection connection;
        try {
            connection = pool.getConnection();
        } catch (SQLException e) {
            unhealthy("no connection to the database", e);
            finish(future, null, new StoreException("no connection to the database: " + e.getMessage(), e), false);
            return;
        }
        T result = null;
        Throwable failure = null;
        boolean committed = false;
        try (connection; PreparedStatements statements = new PreparedStatements(connection)) {
            connection.setAutoCommit(false);
            try {
                PostgresCallWrites writes = new PostgresCallWrites(statements, codec, clock);
                result = work.apply(writes);
                writes.beforeCommit();
            } catch (Throwable t) { // even an Error: the future must still be answered
                failure = t;
            }
            if (failure == null) {
                try {
                    connection.commit();
                    committed = true;
                    failing = false;
                } catch (SQLException e) {
                    unhealthy("a commit failed", e);
                    failure = new StoreException("the transaction could not be committed: " + e.getMessage(), e);
                }
            }
            if (!committed) rollback(connection);
        } catch (SQLException e) { // setAutoCommit or close: the connection is unusable
            unhealthy("a connection failed", e);
            if (failure == null && !committed) failure = new StoreException(e.getMessage(), e);
        }
        finish(future, result, failure, committed);
    }

    private void rollback(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            unhealthy("a rollback failed", e);
        }
    }

    private <T> void finish(CompletableFuture<T> future, T result, Throwable failure, boolean committed) {
        try {
            completer.execute(() -> {
                if (failure != null) future.completeExceptionally(failure);
                else future.complete(result);
                if (committed) notifyListeners();
            });
        } catch (RejectedExecutionException e) { // closing: answer on this thread rather than never
            if (failure != null) future.completeExceptionally(failure);
            else future.complete(result);
        }
    }

    private void notifyListeners() {
        for (Runnable listener : listeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                log.warn("a commit listener failed", e);
            }
        }
    }

    @Override
    public Optional<Call> find(String callId) {
        return read(q -> q.find(callId));
    }

    @Override
    public List<Call> recent(int limit) {
        return read(q -> q.recent(limit));
    }

    @Override
    public List<Call> held(String ownerAppId, CallState state, int limit) {
        return read(q -> q.held(ownerAppId, state, limit));
    }

    @Override
    public Optional<String> dialog(String callId) {
        return read(q -> q.dialog(callId));
    }

    @Override
    public List<String> dueBy(Instant upTo, int limit) {
        return read(q -> q.dueBy(upTo, limit));
    }

    @Override
    public Optional<Instant> nextDeadline() {
        return read(CallQueries::nextDeadline);
    }

    /**
     * The visible undelivered rows after {@code afterSeq}, in seq order. A row with a lower seq may
     * still become visible later (its transaction commits after a higher one's): readers keeping a
     * cursor must read from 0 again now and then, as the Dispatcher does. See the class comment.
     */
    @Override
    public List<PendingNotification> pending(long afterSeq, Instant dueBy, int limit) {
        return read(q -> q.pending(afterSeq, dueBy, limit));
    }

    @Override
    public ClaimedNotifications claim(OutboxClaim claim) {
        return transaction(connection -> DeliveryLeases.claim(connection, claim));
    }

    @Override
    public void renewClaims(String node, Collection<String> callIds, Instant until) {
        if (callIds.isEmpty()) return;
        transaction(connection -> {
            DeliveryLeases.renew(connection, node, callIds, until);
            return null;
        });
    }

    @Override
    public List<TimelineEntry> timeline(String callId) {
        return read(q -> q.timeline(callId));
    }

    private <T> T read(SqlFunction<CallQueries, T> query) {
        Connection connection = connection();
        try (connection; PreparedStatements statements = new PreparedStatements(connection)) {
            return query.apply(new CallQueries(statements, codec));
        } catch (SQLException e) {
            throw new StoreException(e.getMessage(), e);
        }
    }

    /** A pooled connection for a read or a lease transaction; a failure to get one makes the store unhealthy. */
    private Connection connection() {
        if (closed) throw new IllegalStateException("the store is closed");
        try {
            return pool.getConnection();
        } catch (SQLException e) {
            unhealthy("no connection to the database", e);
            throw new StoreException("no connection to the database: " + e.getMessage(), e);
        }
    }

    /** A short transaction outside the writers, on the caller's thread: leases, not calls. */
    private <T> T transaction(SqlFunction<Connection, T> work) {
        Connection connection = connection();
        try (connection) {
            connection.setAutoCommit(false);
            try {
                T result = work.apply(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollback(connection);
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException(e.getMessage(), e);
        }
    }

    @Override
    public void onCommit(Runnable listener) {
        listeners.add(listener);
    }

    @Override
    public void onOutbox(LongConsumer listener) {
        signals.add(listener);
    }

    @Override
    public boolean healthy() {
        return !closed && !failing;
    }

    private void unhealthy(String what, SQLException e) {
        if (!failing) log.error("{}; the store is unhealthy until the database answers again", what, e);
        failing = true;
    }

    /** While unhealthy, asks the database once a period whether it is back. */
    private void probe() {
        if (!failing || closed) return;
        try (Connection connection = pool.getConnection()) {
            if (connection.isValid(PROBE_VALIDATION_SECONDS)) {
                failing = false;
                log.info("the database answers again; the store is healthy");
            }
        } catch (SQLException e) {
            log.debug("the database is still unreachable", e);
        }
    }

    /** Lets the works already submitted commit, then closes the pool. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        prober.shutdownNow();
        signals.close();
        writers.shutdown();
        awaitQuietly(writers, "writes");
        completer.shutdown();
        awaitQuietly(completer, "commit callbacks");
        pool.close();
    }

    private static void awaitQuietly(ExecutorService executor, String what) {
        try {
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) log.warn("{} still running at close", what);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static <T> CompletableFuture<T> refused(CompletableFuture<T> future) {
        future.completeExceptionally(new IllegalStateException("the store is closed"));
        return future;
    }

    /** A full queue makes the submitter wait, unless the store is closing. */
    private static void waitForRoom(Runnable task, ThreadPoolExecutor executor) {
        if (executor.isShutdown()) throw new RejectedExecutionException("the store is closed");
        try {
            while (!executor.getQueue().offer(task, 100, TimeUnit.MILLISECONDS)) {
                if (executor.isShutdown()) throw new RejectedExecutionException("the store is closed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RejectedExecutionException("interrupted while waiting to write", e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        return root.getMessage();
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }
}
