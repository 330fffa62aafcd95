package dev.switchboard.store.sql;

import java.sql.SQLException;

/** A function over a JDBC resource, so that callers translate {@link SQLException} in one place. */
@FunctionalInterface
public interface SqlFunction<C, T> {
    T apply(C resource) throws SQLException;
}
