package dev.switchboard.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link BotFloor}'s durable commits: a SQLite file (WAL, {@code synchronous=FULL} unless told
 * otherwise, checkpoints on a thread of their own, as the server's store) with a call row and an outbox
 * row per commit, about the size of Switchboard's. Each commit blocks its caller until it is on disk.
 * Three shapes of group commit:
 * <ul>
 *   <li>{@code writer}: one writer thread takes every waiting work into one transaction and completes
 *       the callers' futures, as {@code GroupCommitWriter} (without its separate completion thread);
 *   <li>{@code pipelined}: the same writer commits without a sync and hands the batch to a second
 *       thread, which fsyncs the WAL and then completes the futures, while the writer runs the next batch;
 *   <li>{@code inline}: no writer thread; the first caller to take the lock commits every work waiting,
 *       its own and the others', on its own thread (leader and followers).
 * </ul>
 */
final class FloorStore {

    private static final String ROW = "r".repeat(1_300);

    private record Work(String id, String state, CompletableFuture<Void> done) { }

    private final String mode;
    private final Connection connection;
    private final PreparedStatement call;
    private final PreparedStatement outbox;
    private final BlockingQueue<Work> queue = new LinkedBlockingQueue<>();
    private final ReentrantLock leader = new ReentrantLock();
    private final BlockingQueue<List<Work>> synced = new LinkedBlockingQueue<>();
    private final Path wal;

    FloorStore(String mode, String sync, Path dir) throws Exception {
        this.mode = mode;
        Files.createDirectories(dir);
        connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("floor.db"));
        try (Statement s = connection.createStatement()) {
            s.execute("PRAGMA journal_mode = WAL");
            s.execute("PRAGMA synchronous = " + sync);
            s.execute("PRAGMA wal_autocheckpoint = 0"); // as the server: checkpoints off the commit path
            s.execute("CREATE TABLE IF NOT EXISTS calls (id TEXT PRIMARY KEY, state TEXT, body TEXT)");
            s.execute("CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, call TEXT, body TEXT)");
            s.execute("CREATE INDEX IF NOT EXISTS outbox_call ON outbox (call)");
        }
        connection.setAutoCommit(false);
        call = connection.prepareStatement("INSERT INTO calls (id, state, body) VALUES (?, ?, ?)"
                + " ON CONFLICT (id) DO UPDATE SET state = excluded.state, body = excluded.body");
        outbox = connection.prepareStatement("INSERT INTO outbox (call, body) VALUES (?, ?)");
        Connection checkpoints = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("floor.db"));
        ScheduledExecutorService checkpointer = Executors.newSingleThreadScheduledExecutor(
                FullLoop.daemons("floor-store-checkpointer"));
        checkpointer.scheduleWithFixedDelay(() -> checkpoint(checkpoints), 200, 200, TimeUnit.MILLISECONDS);
        wal = dir.resolve("floor.db-wal");
        if (mode.equals("writer") || mode.equals("pipelined")) {
            Thread writer = new Thread(this::writeForever, "floor-store-writer");
            writer.setDaemon(true);
            writer.start();
        } else if (!mode.equals("inline")) {
            throw new IllegalArgumentException("store: writer, pipelined or inline, not " + mode);
        }
        if (mode.equals("pipelined")) {
            Thread syncer = new Thread(this::syncForever, "floor-store-syncer");
            syncer.setDaemon(true);
            syncer.start();
        }
    }

    /** As the server's {@code Checkpointer}: passive every 200 ms, a rewind past 64 MiB of WAL. */
    private static void checkpoint(Connection connection) {
        try (Statement s = connection.createStatement()) {
            int frames;
            try (ResultSet r = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
                frames = r.next() ? r.getInt(2) : 0;
            }
            if (frames > 16_384) s.execute("PRAGMA wal_checkpoint(RESTART)");
        } catch (SQLException e) {
            System.err.println("checkpoint failed: " + e);
        }
    }

    /** Returns once the call's row and its notification's row are committed to disk. */
    void commit(String id, String state) {
        Work work = new Work(id, state, new CompletableFuture<>());
        queue.add(work);
        if (mode.equals("inline")) {
            leader.lock();
            try {
                if (!work.done().isDone()) commitWaiting(new ArrayList<>());
            } finally {
                leader.unlock();
            }
        }
        work.done().join();
    }

    /**
     * {@code pipelined}: the writer commits without a sync ({@code synchronous=OFF}) and goes on with
     * the next batch while this thread fsyncs the WAL file (an fsync on any descriptor of a file
     * flushes all of its written pages) and only then releases the callers of every batch committed
     * before it began.
     */
    private void syncForever() {
        try (FileChannel file = FileChannel.open(wal, StandardOpenOption.READ)) {
            while (true) {
                List<List<Work>> batches = new ArrayList<>();
                batches.add(synced.take());
                synced.drainTo(batches);
                file.force(false);
                batches.forEach(b -> b.forEach(w -> w.done().complete(null)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void writeForever() {
        while (true) {
            try {
                List<Work> batch = new ArrayList<>();
                batch.add(queue.take());
                commitWaiting(batch);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Commits {@code batch} and every work waiting behind it, in one transaction. */
    private void commitWaiting(List<Work> batch) {
        queue.drainTo(batch);
        try {
            for (Work w : batch) {
                call.setString(1, w.id());
                call.setString(2, w.state());
                call.setString(3, ROW);
                call.executeUpdate();
                outbox.setString(1, w.id());
                outbox.setString(2, ROW);
                outbox.executeUpdate();
            }
            connection.commit();
            if (mode.equals("pipelined")) synced.add(batch);
            else batch.forEach(w -> w.done().complete(null));
        } catch (SQLException e) {
            batch.forEach(w -> w.done().completeExceptionally(e));
        }
    }
}
