package dev.switchboard.store.sql;

import dev.switchboard.core.calls.Call;
import dev.switchboard.core.calls.ChangeType;
import dev.switchboard.core.calls.Ending;
import dev.switchboard.core.calls.Notice;
import dev.switchboard.core.calls.RejectReason;
import dev.switchboard.core.store.CallStore;
import dev.switchboard.core.store.PendingNotification;
import dev.switchboard.core.store.Purge;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.store.Legs;
import dev.switchboard.store.TestCodec;
import dev.switchboard.store.sqlite.SqliteCallStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** What a purge leaves in an SQLite file, row by row, and how it reads the file. */
class SqlitePurgeTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("calls.db");
    }

    private CallStore open() {
        return SqliteCallStore.open(file(), new TestCodec(), new ManualClock(T0));
    }

    @Test
    void aPurgedCallLeavesNoRowAndItsSeqsAreNeverGivenAgain() throws Exception {
        long lastSeq;
        try (CallStore store = open()) {
            Call leg = Legs.ringing("gone", "chain-1", T0);
            Call ended = Legs.ended(leg, new Ending.Rejected(RejectReason.BUSY), T0.plusSeconds(1));
            store.write(tx -> {
                tx.insert(leg);
                tx.rememberPlacement("key-1", "gone", T0);
                tx.enqueue(new Notice(ChangeType.CREATED, leg), "m1", T0);
                tx.update(ended);
                tx.enqueue(new Notice(ChangeType.DELETED, ended), "m2", T0.plusSeconds(1));
                return null;
            }).get(30, TimeUnit.SECONDS);
            List<Long> seqs = store.pending(0, T0.plusSeconds(1), 10).stream().map(PendingNotification::seq).toList();
            lastSeq = seqs.get(seqs.size() - 1);
            store.write(tx -> {
                seqs.forEach(seq -> tx.delivered(seq, T0.plusSeconds(2)));
                return null;
            }).get(30, TimeUnit.SECONDS);

            Purge purge = store.write(tx -> tx.purge(T0.plus(Duration.ofDays(1)), Optional.empty(), 10))
                    .get(30, TimeUnit.SECONDS);
            assertThat(purge.legs()).isEqualTo(1);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file())) {
            for (String table : List.of("calls", "outbox", "call_events", "placements")) {
                assertThat(count(c, "SELECT count(*) FROM " + table)).as(table).isZero();
            }
        }
        try (CallStore store = open()) {
            Call next = Legs.ringing("next", "chain-2", T0);
            store.write(tx -> {
                tx.insert(next);
                tx.enqueue(new Notice(ChangeType.CREATED, next), "m3", T0);
                return null;
            }).get(30, TimeUnit.SECONDS);
            assertThat(store.pending(0, T0, 10)).extracting(PendingNotification::seq)
                    .as("a dispatcher's cursor past the purged rows must not skip the new one")
                    .allSatisfy(seq -> assertThat(seq).isGreaterThan(lastSeq));
        }
    }

    /** A step must read its own legs off the index, not sort every old leg of a large file each time. */
    @Test
    void aStepReadsTheOldestLegsInIndexOrderAndFindsACallsRowsByIndex() throws Exception {
        try (CallStore ignored = open()) {
            // creates and migrates the file
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file())) {
            List<String> oldest = plan(c, PurgeStep.OLDEST_LEGS, 4);
            assertThat(oldest).anySatisfy(step -> assertThat(step).contains("USING INDEX calls_by_creation"));
            assertThat(oldest).noneSatisfy(step -> assertThat(step).contains("TEMP B-TREE"));
            for (String byCall : List.of(PurgeStep.UNDELIVERED, PurgeStep.DELETE_OUTBOX, PurgeStep.DELETE_PLACEMENTS,
                    PurgeStep.DELETE_EVENTS)) {
                assertThat(plan(c, byCall, 1)).as(byCall).anySatisfy(step -> assertThat(step).contains("USING INDEX"));
            }
        }
    }

    private static List<String> plan(Connection c, String sql, int parameters) throws SQLException {
        try (PreparedStatement explain = c.prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
            for (int i = 1; i <= parameters; i++) explain.setString(i, "1");
            List<String> steps = new ArrayList<>();
            try (ResultSet rows = explain.executeQuery()) {
                while (rows.next()) steps.add(rows.getString("detail"));
            }
            return steps;
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(sql); ResultSet row = select.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }
}
