package dev.switchboard.store.sqlite;

import org.sqlite.SQLiteConfig;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** How every connection to the file is set up, so that writer and readers agree on the journal. */
final class SqliteConnections {

    private static final int BUSY_TIMEOUT_MILLIS = 10_000;

    private final String url;

    SqliteConnections(Path databaseFile) {
        this.url = "jdbc:sqlite:" + databaseFile.toAbsolutePath();
    }

    String url() {
        return url;
    }

    /** WAL lets readers run beside the writer; FULL syncs the WAL on every commit, because 202 means durable. */
    Connection writer() throws SQLException {
        SQLiteConfig config = common();
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setCacheSize(-16_384);
        config.setWalAutocheckpoint(0); // the Checkpointer does it off the commit path
        // Each work runs in a savepoint, whose journal (about 22 pages a work) outgrows SQLite's 64 KiB
        // in-memory limit and spills to a temporary file: 45 write calls a call, for nothing durable.
        config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        return prompt(config.createConnection(url));
    }

    /** Checkpoints sync the database file, so they need FULL as well. */
    Connection checkpointer() throws SQLException {
        SQLiteConfig config = common();
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        return prompt(config.createConnection(url));
    }

    Connection reader() throws SQLException {
        Connection connection = prompt(common().createConnection(url));
        try (Statement pragma = connection.createStatement()) {
            pragma.execute("PRAGMA query_only = true");
        }
        return connection;
    }

    private static Connection prompt(Connection connection) throws SQLException {
        PromptBusyHandler.install(connection, BUSY_TIMEOUT_MILLIS);
        return connection;
    }

    private static SQLiteConfig common() {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // the driver would otherwise run an extra query after every insert to fetch keys nobody reads
        config.setGetGeneratedKeys(false);
        return config;
    }
}
