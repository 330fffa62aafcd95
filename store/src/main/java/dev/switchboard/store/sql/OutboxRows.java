package dev.switchboard.store.sql;

import dev.switchboard.core.store.PendingNotification;

/**
 * A sole writer's own numbering of outbox rows, and its record of them. A writer that knows every
 * row of its outbox (one SQLite file, one process) gives each row its seq itself: asking the
 * database for the seq it chose would take a result set per row, on the thread that every write
 * waits for.
 */
public interface OutboxRows {

    /** The seq of the row about to be written; the writer takes back those of a work it rolls back. */
    long nextSeq();

    /** A row {@link JdbcCallWrites#enqueue} wrote, as a read would return it. */
    void written(PendingNotification row);
}
