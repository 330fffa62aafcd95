package dev.switchboard.store.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL for every test class of the run: starting one costs about a second, a schema
 * a millisecond. Each test gets a fresh schema, so the tests stay independent. The server stops with
 * the JVM (the library's shutdown hook).
 */
final class EmbeddedPostgresServer {

    private static final AtomicInteger schemas = new AtomicInteger();
    private static EmbeddedPostgres server;

    private EmbeddedPostgresServer() {
    }

    /** Settings for a new, empty schema; opening them again finds the same data. */
    static PostgresSettings freshSchema(int poolSize) {
        String schema = "test_" + schemas.incrementAndGet();
        admin("CREATE SCHEMA " + schema);
        return settings(schema, "postgres", poolSize);
    }

    /** A new login role owning a new schema: a test can lock the role out to take the database away. */
    static PostgresSettings freshSchemaOfOwnRole(int poolSize) {
        int n = schemas.incrementAndGet();
        String role = "role_" + n;
        String schema = "test_" + n;
        admin("CREATE ROLE " + role + " LOGIN");
        admin("CREATE SCHEMA " + schema + " AUTHORIZATION " + role);
        return settings(schema, role, poolSize);
    }

    /** Runs {@code sql} as the superuser. */
    static void admin(String sql) {
        try (Connection connection = server().getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run " + sql, e);
        }
    }

    private static PostgresSettings settings(String schema, String user, int poolSize) {
        return new PostgresSettings("jdbc:postgresql://localhost:" + server().getPort() + "/postgres?currentSchema="
                + schema, user, null, poolSize);
    }

    static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
            }
        }
        return server;
    }
}
