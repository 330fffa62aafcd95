package dev.switchboard.store.sql;

import java.sql.SQLException;

/** A piece of JDBC work whose {@link SQLException} becomes a {@link StoreException} in one place. */
@FunctionalInterface
public interface SqlAction<T> {

    T run() throws SQLException;

    /** Runs {@code action}, turning a database failure into an unchecked {@link StoreException}. */
    static <T> T unchecked(SqlAction<T> action) {
        try {
            return action.run();
        } catch (SQLException e) {
            throw new StoreException(e.getMessage(), e);
        }
    }
}
