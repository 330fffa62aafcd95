package dev.switchboard.store.sqlite;

import dev.switchboard.core.store.CallCodec;
import dev.switchboard.store.sql.CallQueries;
import dev.switchboard.store.sql.PreparedStatements;
import dev.switchboard.store.sql.SqlFunction;
import dev.switchboard.store.sql.StoreException;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A few read-only connections, lent one query at a time. In WAL mode each read sees the last commit
 * and never waits for the writer.
 */
final class ReadPool implements AutoCloseable {

    private record Reader(Connection connection, PreparedStatements statements, CallQueries queries) {}

    private final BlockingQueue<Reader> idle;
    private final List<Reader> all = new ArrayList<>();
    private volatile boolean closed;

    ReadPool(SqliteConnections connections, CallCodec codec, int size) throws SQLException {
        idle = new ArrayBlockingQueue<>(size);
        try {
            for (int i = 0; i < size; i++) {
                Connection connection = connections.reader();
                PreparedStatements statements = new PreparedStatements(connection);
                Reader reader = new Reader(connection, statements, new CallQueries(statements, codec));
                all.add(reader);
                idle.add(reader);
            }
        } catch (SQLException e) {
            close();
            throw e;
        }
    }

    <T> T read(SqlFunction<CallQueries, T> query) {
        if (closed) throw new IllegalStateException("the store is closed");
        Reader reader;
        try {
            reader = idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a read connection", e);
        }
        try {
            return query.apply(reader.queries());
        } catch (SQLException e) {
            throw new StoreException(e.getMessage(), e);
        } finally {
            idle.add(reader);
        }
    }

    /** Waits a little for reads in flight, then closes every connection. */
    @Override
    public void close() {
        closed = true;
        for (int returned = 0; returned < all.size(); returned++) {
            try {
                if (idle.poll(5, TimeUnit.SECONDS) == null) break;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (Reader reader : all) {
            reader.statements().close();
            try {
                reader.connection().close();
            } catch (SQLException ignored) {
                // nothing more to release
            }
        }
    }
}
