package dev.switchboard.notify;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** How long a failed notification waits: doubling from 1 s up to 60 s, with jitter so retries of many calls spread out. */
final class Backoff {

    static final Duration FIRST = Duration.ofSeconds(1);
    static final Duration MAX = Duration.ofSeconds(60);

    private Backoff() {
    }

    /** @param failures how many attempts have failed so far, at least 1 */
    static Duration after(int failures) {
        int doublings = Math.min(Math.max(failures, 1) - 1, 6);
        long millis = Math.min(FIRST.toMillis() << doublings, MAX.toMillis());
        long jitter = ThreadLocalRandom.current().nextLong(millis / 10 + 1);
        return Duration.ofMillis(millis + jitter);
    }
}
