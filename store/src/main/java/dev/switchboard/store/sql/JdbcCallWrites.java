package dev.switchboard.store.sql;

import dev.switchboard.core.calls.Call;
import dev.switchboard.core.calls.Conversation;
import dev.switchboard.core.calls.Notice;
import dev.switchboard.core.store.CallCodec;
import dev.switchboard.core.store.CallWrites;
import dev.switchboard.core.store.PendingNotification;
import dev.switchboard.core.store.Purge;
import dev.switchboard.core.store.StaleWriteException;
import dev.switchboard.core.time.Clock;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Optional;

/**
 * {@link CallWrites} on the connection of a transaction someone else opened and will commit. Every
 * change also appends to the call's timeline, so the history cannot drift from the state. Not
 * thread-safe: it belongs to the one thread that owns the connection.
 */
public final class JdbcCallWrites implements CallWrites {

    static final String INSERT_CALL = "INSERT INTO calls (id, tenant_id, owner_app_id, call_chain_id, state, version,"
            + " answer_deadline, created_at, updated_at, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    static final String UPDATE_CALL = "UPDATE calls SET state = ?, version = ?, answer_deadline = ?, updated_at = ?,"
            + " body = ? WHERE id = ? AND version = ?";
    static final String INSERT_OUTBOX = "INSERT INTO outbox (message_id, call_id, tenant_id, app_id, call_chain_id,"
            + " change_type, callback_uri, resource_data, attempts, next_attempt_at, created_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)";
    static final String INSERT_OUTBOX_AT = "INSERT INTO outbox (message_id, call_id, tenant_id, app_id, call_chain_id,"
            + " change_type, callback_uri, resource_data, attempts, next_attempt_at, created_at, seq)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)";
    /** One statement finds and settles the row, so two reports of one delivery record it once. */
    static final String DELIVERED = "UPDATE outbox SET delivered_at = ? WHERE seq = ? AND delivered_at IS NULL"
            + " RETURNING call_id, attempts";
    /** Returns the attempts counted so far, this one included. */
    static final String DEFERRED = "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?"
            + " WHERE seq = ? AND delivered_at IS NULL RETURNING call_id, attempts";
    static final String INSERT_EVENT = "INSERT INTO call_events (call_id, at, kind, detail) VALUES (?, ?, ?, ?)";
    static final String KEEP_DIALOG = "INSERT INTO sip_dialogs (call_id, dialog) VALUES (?, ?)"
            + " ON CONFLICT (call_id) DO UPDATE SET dialog = excluded.dialog";
    static final String INSERT_PLACEMENT = "INSERT INTO placements (retry_key, call_id, created_at) VALUES (?, ?, ?)"
            + " ON CONFLICT (retry_key) DO NOTHING";

    private final PreparedStatements statements;
    private final CallQueries queries;
    private final CallCodec codec;
    private final Clock clock;
    private final Optional<OutboxRows> rows;
    private final PurgeStep purge;

    /** @param rows numbers the outbox rows and hears of each, for a writer that is the outbox's only one */
    public JdbcCallWrites(PreparedStatements statements, CallCodec codec, Clock clock, OutboxRows rows) {
        this(statements, codec, clock, Optional.of(rows), PurgeStep.CHAIN_LEGS);
    }

    /**
     * Outbox rows are numbered by the database.
     *
     * @param chainLegs how {@link #purge} reads a conversation's legs; see {@link PurgeStep}
     */
    public JdbcCallWrites(PreparedStatements statements, CallCodec codec, Clock clock, String chainLegs) {
        this(statements, codec, clock, Optional.empty(), chainLegs);
    }

    private JdbcCallWrites(PreparedStatements statements, CallCodec codec, Clock clock, Optional<OutboxRows> rows,
                           String chainLegs) {
        this.statements = statements;
        this.queries = new CallQueries(statements, codec);
        this.codec = codec;
        this.clock = clock;
        this.rows = rows;
        this.purge = new PurgeStep(statements, chainLegs);
    }

    @Override
    public Optional<Call> get(String callId) {
        return SqlAction.unchecked(() -> queries.find(callId));
    }

    @Override
    public Conversation conversation(String callChainId) {
        return new Conversation(SqlAction.unchecked(() -> queries.chain(callChainId)));
    }

    @Override
    public Conversation conversationOf(String callId) {
        return new Conversation(SqlAction.unchecked(() -> queries.chainOf(callId)));
    }

    @Override
    public void insert(Call call) {
        SqlAction.unchecked(() -> {
            PreparedStatement insert = statements.get(INSERT_CALL);
            insert.setString(1, call.id());
            insert.setString(2, call.tenantId());
            insert.setString(3, call.ownerAppId());
            insert.setString(4, call.callChainId());
            insert.setString(5, call.state().wireName());
            insert.setLong(6, call.version());
            setMillis(insert, 7, call.answerDeadline());
            insert.setLong(8, call.createdAt().toEpochMilli());
            insert.setLong(9, call.updatedAt().toEpochMilli());
            insert.setString(10, codec.encode(call));
            insert.executeUpdate();
            event(call.id(), call.updatedAt(), EventText.TRANSITION, EventText.transition(call));
            return null;
        });
    }

    @Override
    public void update(Call call) {
        long expected = call.version() - 1;
        int changed = SqlAction.unchecked(() -> {
            PreparedStatement update = statements.get(UPDATE_CALL);
            update.setString(1, call.state().wireName());
            update.setLong(2, call.version());
            setMillis(update, 3, call.answerDeadline());
            update.setLong(4, call.updatedAt().toEpochMilli());
            update.setString(5, codec.encode(call));
            update.setString(6, call.id());
            update.setLong(7, expected);
            int rows = update.executeUpdate();
            if (rows == 1) event(call.id(), call.updatedAt(), EventText.TRANSITION, EventText.transition(call));
            return rows;
        });
        if (changed == 0) throw new StaleWriteException(call.id(), expected);
    }

    @Override
    public void enqueue(Notice notice, String messageId, Instant at) {
        Call call = notice.call();
        String resourceData = codec.resourceData(call);
        SqlAction.unchecked(() -> {
            PreparedStatement insert = statements.get(rows.isPresent() ? INSERT_OUTBOX_AT : INSERT_OUTBOX);
            insert.setString(1, messageId);
            insert.setString(2, call.id());
            insert.setString(3, call.tenantId());
            insert.setString(4, call.ownerAppId());
            insert.setString(5, call.callChainId());
            insert.setString(6, notice.changeType().wireName());
            insert.setString(7, call.callbackUri());
            insert.setString(8, resourceData);
            insert.setLong(9, at.toEpochMilli());
            insert.setLong(10, at.toEpochMilli());
            if (rows.isEmpty()) {
                insert.executeUpdate();
            } else {
                long seq = rows.get().nextSeq();
                insert.setLong(11, seq);
                insert.executeUpdate();
                // the outbox keeps milliseconds, and so must the row handed over
                rows.get().written(new PendingNotification(seq, messageId, call.id(), call.tenantId(),
                        call.ownerAppId(), call.callChainId(), notice.changeType(), call.callbackUri(), resourceData, 0,
                        Instant.ofEpochMilli(at.toEpochMilli())));
            }
            event(call.id(), at, EventText.NOTIFICATION, EventText.queued(notice, messageId));
            return null;
        });
    }

    @Override
    public Optional<String> placedUnder(String retryKey) {
        return SqlAction.unchecked(() -> queries.placedUnder(retryKey));
    }

    @Override
    public boolean rememberPlacement(String retryKey, String callId, Instant at) {
        return SqlAction.unchecked(() -> {
            PreparedStatement insert = statements.get(INSERT_PLACEMENT);
            insert.setString(1, retryKey);
            insert.setString(2, callId);
            insert.setLong(3, at.toEpochMilli());
            return insert.executeUpdate() == 1;
        });
    }

    /** A second report for the same row changes nothing: the dispatcher may repeat itself after a crash. */
    @Override
    public void delivered(long seq, Instant at) {
        settleDelivered(seq, at);
    }

    /**
     * {@link #delivered}, telling which call the row was of; empty when it was already settled (or
     * never existed), and then nothing was written.
     */
    public Optional<String> settleDelivered(long seq, Instant at) {
        return SqlAction.unchecked(() -> {
            PreparedStatement update = statements.get(DELIVERED);
            update.setLong(1, at.toEpochMilli());
            update.setLong(2, seq);
            String callId;
            int attempts;
            try (ResultSet row = update.executeQuery()) {
                if (!row.next()) return Optional.empty();
                callId = row.getString(1);
                attempts = row.getInt(2) + 1;
            }
            event(callId, at, EventText.NOTIFICATION, EventText.delivered(attempts));
            return Optional.of(callId);
        });
    }

    @Override
    public void deferred(long seq, Instant nextAttempt, String error) {
        SqlAction.unchecked(() -> {
            PreparedStatement update = statements.get(DEFERRED);
            update.setLong(1, nextAttempt.toEpochMilli());
            update.setString(2, error);
            update.setLong(3, seq);
            String callId;
            int attempts;
            try (ResultSet row = update.executeQuery()) {
                if (!row.next()) return null;
                callId = row.getString(1);
                attempts = row.getInt(2);
            }
            event(callId, clock.now(), EventText.NOTIFICATION, EventText.failed(attempts, error, nextAttempt));
            return null;
        });
    }

    @Override
    public void keepDialog(String callId, String dialog) {
        SqlAction.unchecked(() -> {
            PreparedStatement keep = statements.get(KEEP_DIALOG);
            keep.setString(1, callId);
            keep.setString(2, dialog);
            keep.executeUpdate();
            return null;
        });
    }

    @Override
    public Purge purge(Instant endedBefore, Optional<Purge.Position> after, int limit) {
        return SqlAction.unchecked(() -> purge.run(endedBefore, after, limit));
    }

    private void event(String callId, Instant at, String kind, String detail) throws SQLException {
        PreparedStatement insert = statements.get(INSERT_EVENT);
        insert.setString(1, callId);
        insert.setLong(2, at.toEpochMilli());
        insert.setString(3, kind);
        insert.setString(4, detail);
        insert.executeUpdate();
    }

    private static void setMillis(PreparedStatement statement, int index, Optional<Instant> at) throws SQLException {
        if (at.isPresent()) statement.setLong(index, at.get().toEpochMilli());
        else statement.setNull(index, Types.BIGINT);
    }
}
