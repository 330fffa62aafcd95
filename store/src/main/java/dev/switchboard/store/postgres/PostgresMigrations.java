package dev.switchboard.store.postgres;

import org.flywaydb.core.Flyway;

import javax.sql.DataSource;

/**
 * Brings the database's schema up to date; the SQL lives in {@code db/migration/postgres}. Nodes
 * starting together are safe: Flyway holds a PostgreSQL advisory lock while it migrates.
 */
final class PostgresMigrations {

    private PostgresMigrations() {
    }

    static void migrate(DataSource dataSource) {
        Flyway.configure(PostgresMigrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/migration/postgres")
                .load()
                .migrate();
    }
}
