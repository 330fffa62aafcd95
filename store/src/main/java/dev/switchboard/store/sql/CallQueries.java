package dev.switchboard.store.sql;

import dev.switchboard.core.calls.Call;
import dev.switchboard.core.calls.CallState;
import dev.switchboard.core.calls.ChangeType;
import dev.switchboard.core.store.CallCodec;
import dev.switchboard.core.store.PendingNotification;
import dev.switchboard.core.store.TimelineEntry;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Every read of the store, on one connection: the read pool's and, inside a transaction, the writer's. */
public final class CallQueries {

    static final String FIND = "SELECT body FROM calls WHERE id = ?";
    static final String CHAIN = "SELECT body FROM calls WHERE call_chain_id = ? ORDER BY created_at, id";
    static final String CHAIN_OF = "SELECT body FROM calls WHERE call_chain_id ="
            + " (SELECT call_chain_id FROM calls WHERE id = ?) ORDER BY created_at, id";
    static final String RECENT = "SELECT body FROM calls ORDER BY created_at DESC, id DESC LIMIT ?";
    static final String HELD = "SELECT body FROM calls WHERE owner_app_id = ? AND state = ?"
            + " ORDER BY created_at, id LIMIT ?";
    static final String DUE = "SELECT id FROM calls WHERE state = 'incoming' AND answer_deadline <= ?"
            + " ORDER BY answer_deadline, id LIMIT ?";
    static final String NEXT_DEADLINE = "SELECT MIN(answer_deadline) FROM calls WHERE state = 'incoming'";
    /** The columns {@link #notification} reads, in its order. */
    public static final String NOTIFICATION_COLUMNS = "seq, message_id, call_id, tenant_id, app_id, call_chain_id,"
            + " change_type, callback_uri, resource_data, attempts, created_at";
    static final String PENDING = "SELECT " + NOTIFICATION_COLUMNS + " FROM outbox"
            + " WHERE delivered_at IS NULL AND seq > ? AND next_attempt_at <= ? ORDER BY seq LIMIT ?";
    static final String TIMELINE = "SELECT at, kind, detail FROM call_events WHERE call_id = ? ORDER BY at, id";
    static final String PLACED = "SELECT call_id FROM placements WHERE retry_key = ?";
    static final String DIALOG = "SELECT dialog FROM sip_dialogs WHERE call_id = ?";

    private final PreparedStatements statements;
    private final CallCodec codec;

    public CallQueries(PreparedStatements statements, CallCodec codec) {
        this.statements = statements;
        this.codec = codec;
    }

    public Optional<Call> find(String callId) throws SQLException {
        PreparedStatement find = statements.get(FIND);
        find.setString(1, callId);
        List<Call> found = calls(find);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    public List<Call> chain(String callChainId) throws SQLException {
        PreparedStatement chain = statements.get(CHAIN);
        chain.setString(1, callChainId);
        return calls(chain);
    }

    /** The conversation {@code callId} belongs to, in one query: empty when there is no such leg. */
    public List<Call> chainOf(String callId) throws SQLException {
        PreparedStatement chain = statements.get(CHAIN_OF);
        chain.setString(1, callId);
        return calls(chain);
    }

    public List<Call> recent(int limit) throws SQLException {
        PreparedStatement recent = statements.get(RECENT);
        recent.setInt(1, limit);
        return calls(recent);
    }

    public List<Call> held(String ownerAppId, CallState state, int limit) throws SQLException {
        PreparedStatement held = statements.get(HELD);
        held.setString(1, ownerAppId);
        held.setString(2, state.wireName());
        held.setInt(3, limit);
        return calls(held);
    }

    public List<String> dueBy(Instant upTo, int limit) throws SQLException {
        PreparedStatement due = statements.get(DUE);
        due.setLong(1, upTo.toEpochMilli());
        due.setInt(2, limit);
        List<String> ids = new ArrayList<>();
        try (ResultSet rows = due.executeQuery()) {
            while (rows.next()) ids.add(rows.getString(1));
        }
        return ids;
    }

    public Optional<Instant> nextDeadline() throws SQLException {
        try (ResultSet rows = statements.get(NEXT_DEADLINE).executeQuery()) {
            if (!rows.next()) return Optional.empty();
            long millis = rows.getLong(1);
            return rows.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
        }
    }

    public List<PendingNotification> pending(long afterSeq, Instant dueBy, int limit) throws SQLException {
        PreparedStatement pending = statements.get(PENDING);
        pending.setLong(1, afterSeq);
        pending.setLong(2, dueBy.toEpochMilli());
        pending.setInt(3, limit);
        List<PendingNotification> found = new ArrayList<>();
        try (ResultSet rows = pending.executeQuery()) {
            while (rows.next()) found.add(notification(rows));
        }
        return found;
    }

    /** The current row of a query that selected {@link #NOTIFICATION_COLUMNS}. */
    public static PendingNotification notification(ResultSet rows) throws SQLException {
        return new PendingNotification(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getString(4),
                rows.getString(5), rows.getString(6), ChangeType.fromWire(rows.getString(7)), rows.getString(8),
                rows.getString(9), rows.getInt(10), Instant.ofEpochMilli(rows.getLong(11)));
    }

    public List<TimelineEntry> timeline(String callId) throws SQLException {
        PreparedStatement timeline = statements.get(TIMELINE);
        timeline.setString(1, callId);
        List<TimelineEntry> entries = new ArrayList<>();
        try (ResultSet rows = timeline.executeQuery()) {
            while (rows.next()) {
                entries.add(new TimelineEntry(Instant.ofEpochMilli(rows.getLong(1)), rows.getString(2), rows.getString(3)));
            }
        }
        return entries;
    }

    public Optional<String> placedUnder(String retryKey) throws SQLException {
        PreparedStatement placed = statements.get(PLACED);
        placed.setString(1, retryKey);
        try (ResultSet rows = placed.executeQuery()) {
            return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
        }
    }

    public Optional<String> dialog(String callId) throws SQLException {
        PreparedStatement dialog = statements.get(DIALOG);
        dialog.setString(1, callId);
        try (ResultSet rows = dialog.executeQuery()) {
            return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
        }
    }

    private List<Call> calls(PreparedStatement query) throws SQLException {
        List<Call> calls = new ArrayList<>();
        try (ResultSet rows = query.executeQuery()) {
            while (rows.next()) calls.add(codec.decode(rows.getString(1)));
        }
        return calls;
    }
}
