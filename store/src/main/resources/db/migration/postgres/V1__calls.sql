-- The same tables, columns and meaning as db/migration/sqlite/V1__calls.sql, in PostgreSQL types.
-- Times are epoch milliseconds (BIGINT). A leg's full state is the codec's `body`: opaque TEXT, not
-- JSONB, because the codec's format is its own business. `resource_data` stays TEXT as well: JSONB
-- would re-order and re-space it, and every attempt of a notification must send the same bytes.
-- Ids sort byte-wise (COLLATE "C"), as in SQLite, whatever the database's locale.
CREATE TABLE calls (
    id              TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    tenant_id       TEXT   NOT NULL,
    owner_app_id    TEXT   NOT NULL,
    call_chain_id   TEXT COLLATE "C" NOT NULL,
    state           TEXT   NOT NULL,
    version         BIGINT NOT NULL,
    answer_deadline BIGINT,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    body            TEXT   NOT NULL
);
CREATE INDEX calls_by_chain ON calls (call_chain_id);
CREATE INDEX calls_by_creation ON calls (created_at, id);
-- Only ringing legs carry a deadline, so the scheduler's index holds just them and stays small.
CREATE INDEX calls_ringing ON calls (answer_deadline, id) WHERE state = 'incoming';

-- A sequence never hands out a seq twice, but concurrent transactions may COMMIT their seqs out of
-- order: a reader can see seq 12 before seq 11 becomes visible. See PostgresCallStore#pending.
CREATE TABLE outbox (
    seq             BIGSERIAL PRIMARY KEY,
    message_id      TEXT    NOT NULL UNIQUE,
    call_id         TEXT COLLATE "C" NOT NULL,
    tenant_id       TEXT    NOT NULL,
    app_id          TEXT    NOT NULL,
    call_chain_id   TEXT COLLATE "C" NOT NULL,
    change_type     TEXT    NOT NULL,
    callback_uri    TEXT    NOT NULL,
    resource_data   TEXT    NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT  NOT NULL,
    created_at      BIGINT  NOT NULL,
    delivered_at    BIGINT,
    last_error      TEXT
);
-- Delivered rows leave the index, so the dispatcher's scan stays as small as the backlog.
CREATE INDEX outbox_pending ON outbox (seq) INCLUDE (next_attempt_at) WHERE delivered_at IS NULL;

CREATE TABLE call_events (
    id      BIGSERIAL PRIMARY KEY,
    call_id TEXT COLLATE "C" NOT NULL,
    at      BIGINT NOT NULL,
    kind    TEXT   NOT NULL,
    detail  TEXT   NOT NULL
);
CREATE INDEX call_events_by_call ON call_events (call_id, at, id);

CREATE TABLE placements (
    retry_key  TEXT   NOT NULL PRIMARY KEY,
    call_id    TEXT COLLATE "C" NOT NULL,
    created_at BIGINT NOT NULL
);
