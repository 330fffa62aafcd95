package dev.switchboard.store.sqlite;

import dev.switchboard.core.store.CallCodec;
import dev.switchboard.core.store.CallWrites;
import dev.switchboard.core.store.PendingNotification;
import dev.switchboard.core.time.Clock;
import dev.switchboard.store.sql.JdbcCallWrites;
import dev.switchboard.store.sql.OutboxRows;
import dev.switchboard.store.sql.PreparedStatements;
import dev.switchboard.store.sql.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The one thread that writes the file. A durable commit costs an fsync whether it holds one work or
 * hundreds, so the writer runs every work already waiting in one transaction (and, while it is busy,
 * those that arrive within its {@link CommitDelay}), each inside its own savepoint so that a failing
 * work is undone alone. Futures complete only after COMMIT returned, on a separate completion thread
 * so that callers' callbacks never delay the next commit: callbacks must therefore not block on
 * another write. The same thread then hands the outbox rows the batch added to
 * {@link #onNotifications} listeners. Being the file's only writer, it numbers those rows itself.
 */
final class GroupCommitWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);
    private static final int MAX_BATCH = 501;
    /** Past this many waiting works, writers wait: backpressure instead of unbounded memory. */
    private static final int QUEUE_CAPACITY = 16_384;

    private final Connection connection;
    private final CommitDelay delay;
    private final PreparedStatements statements;
    private final CallWrites writes;
    private final BlockingQueue<Job<?>> queue = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
    private final Job<Void> stop = new Job<>(tx -> null);
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<List<PendingNotification>>> outboxListeners = new CopyOnWriteArrayList<>();
    /** The rows the work running now has enqueued; owned by the writer thread. */
    private final List<PendingNotification> enqueued = new ArrayList<>();
    /** The seq of the last outbox row written, committed or not; owned by the writer thread. */
    private long lastSeq;
    private final ExecutorService completer;
    private final Thread thread;
    private volatile boolean closing;
    private volatile boolean stopped;
    private volatile boolean lastCommitFailed;

    GroupCommitWriter(Connection connection, CallCodec codec, Clock clock, CommitDelay delay) throws SQLException {
        this.connection = connection;
        this.delay = delay;
        this.statements = new PreparedStatements(connection);
        this.lastSeq = lastSeq(connection);
        this.writes = new JdbcCallWrites(statements, codec, clock, new OutboxRows() {
            @Override
            public long nextSeq() {
                return ++lastSeq;
            }

            @Override
            public void written(PendingNotification row) {
                enqueued.add(row);
            }
        });
        this.completer = Executors.newSingleThreadExecutor(task -> daemon(task, "switchboard-store-completer"));
        this.thread = daemon(this::run, "switchboard-store-writer");
        thread.start();
    }

    <T> CompletableFuture<T> submit(Function<CallWrites, T> work) {
        Job<T> job = new Job<>(work);
        if (closing || stopped) return job.refused();
        try {
            queue.put(job);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return job.refused();
        }
        // the writer may have stopped between the check and the put; whoever removes the job answers it
        if (stopped && queue.remove(job)) return job.refused();
        return job.future;
    }

    void onCommit(Runnable listener) {
        listeners.add(listener);
    }

    void onNotifications(Consumer<List<PendingNotification>> listener) {
        outboxListeners.add(listener);
    }

    boolean healthy() {
        return !closing && !stopped && !lastCommitFailed;
    }

    private void run() {
        try {
            boolean stopping = false;
            boolean busy = false;
            while (!stopping) {
                List<Job<?>> batch = nextBatch(busy);
                busy = batch.size() > 1;
                stopping = batch.remove(stop);
                if (batch.isEmpty()) continue;
                List<PendingNotification> added = new ArrayList<>();
                boolean committed = commit(batch, added);
                completer.execute(() -> finish(batch, committed, added));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stopped = true;
            List<Job<?>> leftovers = new ArrayList<>();
            queue.drainTo(leftovers);
            leftovers.forEach(Job::refused);
        }
    }

    /**
     * Every work waiting; and when the last commit carried more than one (the writer is busy), also
     * what arrives within the {@link CommitDelay}, until there are enough.
     */
    private List<Job<?>> nextBatch(boolean busy) throws InterruptedException {
        List<Job<?>> batch = new ArrayList<>(MAX_BATCH);
        batch.add(queue.take());
        queue.drainTo(batch, MAX_BATCH - 1);
        if (!busy) return batch;
        long until = System.nanoTime() + delay.longest().toNanos();
        while (batch.size() < delay.enough() && batch.get(batch.size() - 1) != stop) {
            Job<?> more = queue.poll(until - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (more == null) break;
            batch.add(more);
            queue.drainTo(batch, MAX_BATCH - batch.size());
        }
        return batch;
    }

    /**
     * Whether the batch was committed; if not, every job in it now holds a failure. {@code added}
     * receives the outbox rows of the works that were kept.
     */
    private boolean commit(List<Job<?>> batch, List<PendingNotification> added) {
        long seqBefore = lastSeq;
        try {
            statements.get("BEGIN IMMEDIATE").execute();
            for (Job<?> job : batch) {
                statements.get("SAVEPOINT work").execute();
                long seqBeforeWork = lastSeq;
                enqueued.clear();
                if (job.run(writes)) {
                    added.addAll(enqueued);
                } else {
                    statements.get("ROLLBACK TO work").execute();
                    lastSeq = seqBeforeWork;  // undone with the rows: AUTOINCREMENT's counter is too
                }
                statements.get("RELEASE work").execute();
            }
            statements.get("COMMIT").execute();
            lastCommitFailed = false;
            return true;
        } catch (Throwable e) { // even an Error: every future of the batch must still be answered
            lastCommitFailed = true;
            log.error("a transaction of {} writes failed; none of them is kept", batch.size(), e);
            rollback();
            lastSeq = seqBefore;
            added.clear();
            StoreException failure = new StoreException("the transaction could not be committed", e);
            for (Job<?> job : batch) job.failUnlessFailed(failure);
            return false;
        }
    }

    private void finish(List<Job<?>> batch, boolean committed, List<PendingNotification> added) {
        for (Job<?> job : batch) job.complete();
        if (!committed) return;
        if (!added.isEmpty()) {
            List<PendingNotification> rows = List.copyOf(added);
            for (Consumer<List<PendingNotification>> listener : outboxListeners) {
                try {
                    listener.accept(rows);
                } catch (RuntimeException e) {
                    log.warn("an outbox listener failed", e);
                }
            }
        }
        for (Runnable listener : listeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                log.warn("a commit listener failed", e);
            }
        }
    }

    /** Where AUTOINCREMENT would go on from: past every seq ever used, deleted rows' too. */
    private static long lastSeq(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT max(coalesce((SELECT seq FROM sqlite_sequence"
                     + " WHERE name = 'outbox'), 0), coalesce((SELECT max(seq) FROM outbox), 0))")) {
            row.next();
            return row.getLong(1);
        }
    }

    private void rollback() {
        try (Statement statement = connection.createStatement()) {
            statement.execute("ROLLBACK");
        } catch (SQLException ignored) {
            // SQLite may already have rolled back on its own; there is nothing left to undo then
        }
    }

    /** Lets the works already submitted commit, then closes the connection. */
    @Override
    public void close() {
        synchronized (this) {
            if (closing) return;
            closing = true;
        }
        if (!stopped) {
            putUninterruptibly(stop);
        }
        joinUninterruptibly(thread);
        completer.shutdown();
        try {
            if (!completer.awaitTermination(30, TimeUnit.SECONDS)) log.warn("commit callbacks still running at close");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        statements.close();
        try {
            connection.close();
        } catch (SQLException e) {
            log.warn("closing the write connection failed", e);
        }
    }

    private void putUninterruptibly(Job<?> job) {
        boolean interrupted = false;
        while (true) {
            try {
                queue.put(job);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    private static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    /** One submitted work; its outcome is held until the batch is committed or abandoned. */
    private static final class Job<T> {
        private final Function<CallWrites, T> work;
        private final CompletableFuture<T> future = new CompletableFuture<>();
        private T result;
        private Throwable failure;

        Job(Function<CallWrites, T> work) {
            this.work = work;
        }

        /** Whether the work returned; if it threw, the exception is kept for its future, as thrown. */
        boolean run(CallWrites writes) {
            try {
                result = work.apply(writes);
                return true;
            } catch (Throwable t) {
                failure = t;
                return false;
            }
        }

        void failUnlessFailed(Throwable why) {
            if (failure == null) failure = why;
        }

        void complete() {
            if (failure != null) future.completeExceptionally(failure);
            else future.complete(result);
        }

        CompletableFuture<T> refused() {
            future.completeExceptionally(new IllegalStateException("the store is closed"));
            return future;
        }
    }
}
