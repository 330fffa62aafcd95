package dev.switchboard.store.postgres;

import dev.switchboard.core.calls.Call;
import dev.switchboard.core.calls.Conversation;
import dev.switchboard.core.calls.Notice;
import dev.switchboard.core.store.CallCodec;
import dev.switchboard.core.store.CallWrites;
import dev.switchboard.core.store.Purge;
import dev.switchboard.core.store.StaleWriteException;
import dev.switchboard.core.time.Clock;
import dev.switchboard.store.sql.JdbcCallWrites;
import dev.switchboard.store.sql.PreparedStatements;
import dev.switchboard.store.sql.SqlAction;
import dev.switchboard.store.sql.StoreException;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link CallWrites} inside one PostgreSQL transaction. The shared {@link JdbcCallWrites} does what
 * the engines agree on; what differs is here:
 * <ul>
 *   <li>what a work reads it reads {@code FOR UPDATE}: READ COMMITTED's way to read-modify-write.
 *       A conversation's legs are locked in one fixed order (creation, id). Every state-machine step
 *       starts by reading its conversation, so concurrent steps on one conversation — from this node
 *       or another — queue on the row locks instead of deadlocking on legs updated in different
 *       orders, and then read the winner's version, so their compare-and-set does not lose. The
 *       compare-and-set stays the arbiter for works built from reads outside the transaction;</li>
 *   <li>{@link #delivered} and {@link #deferred} settle the outbox row with one
 *       {@code UPDATE … WHERE delivered_at IS NULL RETURNING}, so two nodes reporting the same
 *       delivery record it once; the call's delivery lease goes with its last undelivered row;</li>
 *   <li>{@link #enqueue} has the commit NOTIFY every node's {@link OutboxSignals};</li>
 *   <li>a deadlock or serialization failure on {@link #update} is a lost race like any other:
 *       {@link StaleWriteException}, so that the caller re-reads and decides again.</li>
 * </ul>
 * Unlike SQLite, PostgreSQL aborts the whole transaction when a statement fails: a work that catches
 * a {@link StoreException} cannot go on writing; its transaction is rolled back whatever it returns.
 */
final class PostgresCallWrites implements CallWrites {

    static final String FIND_LOCKED = "SELECT body FROM calls WHERE id = ? FOR UPDATE";
    static final String CHAIN_LOCKED = "SELECT body FROM calls WHERE call_chain_id = ? ORDER BY created_at, id FOR UPDATE";
    /** What a purge reads of a conversation, locked in the same order as {@link #CHAIN_LOCKED}. */
    static final String CHAIN_LEGS_LOCKED = "SELECT id, state, updated_at FROM calls WHERE call_chain_id = ?"
            + " ORDER BY created_at, id FOR UPDATE";
    static final String CHAIN_OF_LOCKED = "SELECT body FROM calls WHERE call_chain_id ="
            + " (SELECT call_chain_id FROM calls WHERE id = ?) ORDER BY created_at, id FOR UPDATE";
    /**
     * Nobody needs a call's lease once nothing of it is left to deliver. The lease rows are locked in
     * call id order, the order claims take them in, so a dispatcher's batch of deliveries and another
     * node's claim never wait on each other in a circle.
     */
    static final String RELEASE_LEASES = "DELETE FROM delivery_leases WHERE call_id IN (SELECT call_id"
            + " FROM delivery_leases WHERE call_id = ANY (?) ORDER BY call_id FOR UPDATE)"
            + " AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.call_id = delivery_leases.call_id"
            + " AND o.delivered_at IS NULL)";
    /**
     * Wakes every node's dispatcher when this transaction commits (PostgreSQL sends NOTIFY at commit,
     * and not at all on rollback). The payload is the transaction's first, so lowest, outbox seq.
     */
    static final String NOTIFY_OUTBOX = "SELECT pg_notify('" + OutboxSignals.CHANNEL + "', currval('outbox_seq_seq')::text)";

    private static final String DEADLOCK_DETECTED = "40P01";
    private static final String SERIALIZATION_FAILURE = "40001";

    private final PreparedStatements statements;
    private final JdbcCallWrites shared;
    private final CallCodec codec;
    private boolean signalled;
    /** Calls with a notification marked delivered in this transaction: their leases may go at the end. */
    private final java.util.Set<String> deliveredCalls = new java.util.TreeSet<>();

    PostgresCallWrites(PreparedStatements statements, CallCodec codec, Clock clock) {
        this.statements = statements;
        this.shared = new JdbcCallWrites(statements, codec, clock, CHAIN_LEGS_LOCKED);
        this.codec = codec;
    }

    @Override
    public Optional<Call> get(String callId) {
        List<Call> found = SqlAction.unchecked(() -> legs(FIND_LOCKED, callId));
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    @Override
    public Conversation conversation(String callChainId) {
        return new Conversation(SqlAction.unchecked(() -> legs(CHAIN_LOCKED, callChainId)));
    }

    @Override
    public Conversation conversationOf(String callId) {
        return new Conversation(SqlAction.unchecked(() -> legs(CHAIN_OF_LOCKED, callId)));
    }

    @Override
    public void insert(Call call) {
        shared.insert(call);
    }

    @Override
    public void update(Call call) {
        try {
            shared.update(call);
        } catch (StoreException e) {
            if (e.getCause() instanceof SQLException sql && isLostRace(sql)) {
                throw new StaleWriteException(call.id(), call.version() - 1);
            }
            throw e;
        }
    }

    @Override
    public void enqueue(Notice notice, String messageId, Instant at) {
        shared.enqueue(notice, messageId, at);
        if (signalled) return;
        SqlAction.unchecked(() -> {
            try (ResultSet ignored = statements.get(NOTIFY_OUTBOX).executeQuery()) {
                signalled = true;
            }
            return null;
        });
    }

    @Override
    public Optional<String> placedUnder(String retryKey) {
        return shared.placedUnder(retryKey);
    }

    @Override
    public boolean rememberPlacement(String retryKey, String callId, Instant at) {
        return shared.rememberPlacement(retryKey, callId, at);
    }

    /** A second report for the same row changes nothing, from this node or another. */
    @Override
    public void delivered(long seq, Instant at) {
        shared.settleDelivered(seq, at).ifPresent(deliveredCalls::add);
    }

    @Override
    public void deferred(long seq, Instant nextAttempt, String error) {
        shared.deferred(seq, nextAttempt, error);
    }

    @Override
    public void keepDialog(String callId, String dialog) {
        shared.keepDialog(callId, dialog);
    }

    @Override
    public Purge purge(Instant endedBefore, Optional<Purge.Position> after, int limit) {
        return shared.purge(endedBefore, after, limit);
    }

    /** The last statements of a work's transaction: releases the leases its deliveries made idle. */
    void beforeCommit() {
        if (deliveredCalls.isEmpty()) return;
        SqlAction.unchecked(() -> {
            PreparedStatement release = statements.get(RELEASE_LEASES);
            release.setArray(1, release.getConnection().createArrayOf("text", deliveredCalls.toArray()));
            release.executeUpdate();
            return null;
        });
    }

    private List<Call> legs(String query, String key) throws SQLException {
        PreparedStatement select = statements.get(query);
        select.setString(1, key);
        List<Call> legs = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) legs.add(codec.decode(rows.getString(1)));
        }
        return legs;
    }

    static boolean isLostRace(SQLException e) {
        return DEADLOCK_DETECTED.equals(e.getSQLState()) || SERIALIZATION_FAILURE.equals(e.getSQLState());
    }
}
