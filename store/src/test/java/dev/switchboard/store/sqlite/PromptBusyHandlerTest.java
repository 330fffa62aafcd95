package dev.switchboard.store.sqlite;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PromptBusyHandlerTest {

    @TempDir
    Path dir;

    @Test
    void aWriterWaitsForTheLockAndGetsItOnceReleased() throws Exception {
        try (Connection holder = open(); Connection waiter = open()) {
            PromptBusyHandler.install(waiter, 10_000);
            begin(holder);
            AtomicBoolean released = new AtomicBoolean();
            CountDownLatch trying = new CountDownLatch(1);
            CompletableFuture<Boolean> got = CompletableFuture.supplyAsync(() -> {
                trying.countDown();
                try {
                    begin(waiter);
                    boolean afterRelease = released.get();
                    exec(waiter, "COMMIT");
                    return afterRelease;
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            trying.await();
            Thread.sleep(50); // let it meet the lock at least once
            released.set(true);
            exec(holder, "COMMIT");
            assertThat(got.get(10, TimeUnit.SECONDS)).as("took the lock only after it was released").isTrue();
        }
    }

    @Test
    void aLockHeldPastTheTimeoutFailsAsBusy() throws Exception {
        try (Connection holder = open(); Connection waiter = open()) {
            PromptBusyHandler.install(waiter, 100);
            begin(holder);
            assertThatThrownBy(() -> begin(waiter)).isInstanceOfSatisfying(SQLiteException.class,
                    e -> assertThat(e.getResultCode().code & 0xff).isEqualTo(SQLiteErrorCode.SQLITE_BUSY.code));
            exec(holder, "ROLLBACK");
        }
    }

    private Connection open() throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        return config.createConnection("jdbc:sqlite:" + dir.resolve("busy.db"));
    }

    private static void begin(Connection connection) throws SQLException {
        exec(connection, "BEGIN IMMEDIATE");
    }

    private static void exec(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
