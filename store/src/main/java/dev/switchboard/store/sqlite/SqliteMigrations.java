package dev.switchboard.store.sqlite;

import org.flywaydb.core.Flyway;

/** Brings the file's schema up to date; the SQL lives in {@code db/migration/sqlite}. */
final class SqliteMigrations {

    private SqliteMigrations() {
    }

    static void migrate(String url) {
        Flyway.configure(SqliteMigrations.class.getClassLoader())
                .dataSource(url, "", "")
                .locations("classpath:db/migration/sqlite")
                .load()
                .migrate();
    }
}
