package dev.switchboard.core.ids;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Version-4 UUIDs from a thread-local generator. A call makes a dozen ids (legs, participants,
 * messages, requests); {@link UUID#randomUUID()} draws each from a shared, synchronized
 * {@code SecureRandom}, which showed up in profiles. None of these ids guards anything: access to a
 * call is checked against its owner, never inferred from knowing its id.
 */
public final class RandomIds {

    private RandomIds() {
    }

    public static String uuid() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long msb = (r.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
        long lsb = (r.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }
}
