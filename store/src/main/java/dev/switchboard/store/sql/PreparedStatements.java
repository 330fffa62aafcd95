package dev.switchboard.store.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * Each statement prepared once per connection and reused: on the writer's hot path, preparing costs
 * more than running. Not thread-safe; belongs to whoever holds the connection.
 */
public final class PreparedStatements implements AutoCloseable {

    private final Connection connection;
    private final Map<String, PreparedStatement> prepared = new HashMap<>();

    public PreparedStatements(Connection connection) {
        this.connection = connection;
    }

    public PreparedStatement get(String sql) throws SQLException {
        PreparedStatement statement = prepared.get(sql);
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            prepared.put(sql, statement);
        }
        return statement;
    }

    @Override
    public void close() {
        for (PreparedStatement statement : prepared.values()) {
            try {
                statement.close();
            } catch (SQLException ignored) {
                // closing the connection next releases it anyway
            }
        }
        prepared.clear();
    }
}
