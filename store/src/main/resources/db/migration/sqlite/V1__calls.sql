-- Times are epoch milliseconds. A leg's full state is the codec's `body`; the other columns exist
-- only to find legs without decoding them.
CREATE TABLE calls (
    id              TEXT    NOT NULL PRIMARY KEY,
    tenant_id       TEXT    NOT NULL,
    owner_app_id    TEXT    NOT NULL,
    call_chain_id   TEXT    NOT NULL,
    state           TEXT    NOT NULL,
    version         INTEGER NOT NULL,
    answer_deadline INTEGER,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    body            TEXT    NOT NULL
);
CREATE INDEX calls_by_chain ON calls (call_chain_id);
CREATE INDEX calls_by_creation ON calls (created_at);
-- Only ringing legs carry a deadline, so the scheduler's index holds just them and stays small.
CREATE INDEX calls_ringing ON calls (answer_deadline) WHERE state = 'incoming';

-- AUTOINCREMENT: a seq is never reused, so a dispatcher's "after seq" cursor never skips a row.
CREATE TABLE outbox (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id      TEXT    NOT NULL UNIQUE,
    call_id         TEXT    NOT NULL,
    tenant_id       TEXT    NOT NULL,
    app_id          TEXT    NOT NULL,
    call_chain_id   TEXT    NOT NULL,
    change_type     TEXT    NOT NULL,
    callback_uri    TEXT    NOT NULL,
    resource_data   TEXT    NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    delivered_at    INTEGER,
    last_error      TEXT
);
-- Delivered rows leave the index, so the dispatcher's scan stays as small as the backlog.
CREATE INDEX outbox_pending ON outbox (seq, next_attempt_at) WHERE delivered_at IS NULL;

CREATE TABLE call_events (
    id      INTEGER PRIMARY KEY,
    call_id TEXT    NOT NULL,
    at      INTEGER NOT NULL,
    kind    TEXT    NOT NULL,
    detail  TEXT    NOT NULL
);
CREATE INDEX call_events_by_call ON call_events (call_id);

CREATE TABLE placements (
    retry_key  TEXT    NOT NULL PRIMARY KEY,
    call_id    TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);
