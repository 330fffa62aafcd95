package dev.switchboard.core.ids;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Version-7 UUIDs (RFC 9562): the first 48 bits are the Unix time in milliseconds, the other 74 are
 * random. They read like any GUID a Graph client expects, but sort by creation, so the store's
 * indexes on legs, conversations, notifications and timeline rows grow at their right edge: the rows
 * a bot is deciding about share a few hot pages, and a checkpoint copies those few back into the
 * file instead of one page per random key (with random ids, the SQLite WAL rewind that holds the
 * writer took 65 ms; now a few). Within one millisecond the order is random.
 */
public final class TimeOrderedIds {

    private TimeOrderedIds() {
    }

    public static String uuid() {
        return at(System.currentTimeMillis());
    }

    static String at(long epochMillis) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long msb = (epochMillis << 16) | 0x7000L | (r.nextLong() & 0x0fffL);
        long lsb = (r.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }
}
