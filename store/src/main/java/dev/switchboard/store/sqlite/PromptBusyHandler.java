package dev.switchboard.store.sqlite;

import org.sqlite.BusyHandler;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Retries a busy lock every {@value #STEP_MICROS} µs until the timeout. SQLite's own busy timeout
 * sleeps 1, 2, 5, 10, 15, 20, 25 ms and more between tries: a WAL truncation that waits a moment
 * for the last reader then takes about 80 ms, and the writer behind it backs off just as long, so
 * every commit of that moment waits on sleeps rather than on the lock. One per connection.
 */
final class PromptBusyHandler extends BusyHandler {

    private static final long STEP_MICROS = 100;

    private final long timeoutNanos;
    private long firstTry;

    private PromptBusyHandler(long timeoutMillis) {
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    }

    static void install(Connection connection, long timeoutMillis) throws SQLException {
        BusyHandler.setHandler(connection, new PromptBusyHandler(timeoutMillis));
    }

    /** Non-zero: try again; zero: give up, and the statement fails with SQLITE_BUSY. */
    @Override
    protected int callback(int triesSoFar) {
        long now = System.nanoTime();
        if (triesSoFar == 0) firstTry = now;
        if (now - firstTry >= timeoutNanos) return 0;
        LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(STEP_MICROS));
        return 1;
    }
}
