package dev.switchboard.store.sqlite;

import java.time.Duration;

/**
 * How long a busy writer waits for more works before it commits, and how many are enough not to
 * wait: PostgreSQL's {@code commit_delay}. Every commit writes each page it touched whole into the
 * WAL and waits for an fsync, whether it carries one work or ten; at 500 SIP calls/s the writer
 * otherwise commits about two at a time, and waiting cut the server's CPU per call by about 13 %
 * (docs/performance.md). A writer whose last commit carried a single work is not busy and never
 * waits, so a lone call pays nothing.
 *
 * @param longest at most this long after the first work of a batch
 * @param enough commit at once when this many works are waiting
 */
record CommitDelay(Duration longest, int enough) {

    static final CommitDelay DEFAULT = new CommitDelay(Duration.ofMillis(2), 10);

    CommitDelay {
        if (longest.isNegative()) throw new IllegalArgumentException("longest must not be negative: " + longest);
        if (enough < 1) throw new IllegalArgumentException("enough must be positive: " + enough);
    }
}
