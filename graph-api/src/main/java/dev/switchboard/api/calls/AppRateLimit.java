package dev.switchboard.api.calls;

import dev.switchboard.api.auth.Principal;
import dev.switchboard.core.time.Clock;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many calls-API requests each app may make: a token bucket per app, refilled at a steady rate up
 * to a burst. A request it refuses is answered 429 with {@code Retry-After} before anything is read
 * or changed, as Graph throttles; the SDKs wait and send it again.
 *
 * <pre>{@code
 * AppRateLimit limit = AppRateLimit.perApp(50, 100, Clock.system()); // 50 a second, 100 at once
 * limit.take(principal).ifPresent(wait -> { throw GraphException.tooManyRequests(wait); });
 * }</pre>
 */
public final class AppRateLimit {

    /** Every request goes ahead. */
    public static final AppRateLimit NONE = new AppRateLimit(Double.POSITIVE_INFINITY, Integer.MAX_VALUE, Clock.system());

    /** What one request costs, in nanoseconds of the rate. */
    private final long interval;
    /** How far ahead of now the bucket's empty time may run: the burst. */
    private final long reach;
    private final Clock clock;
    /** Keyed by tenant and app; an app is known to the directory before it gets here, so this is bounded. */
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    private AppRateLimit(double perSecond, int burst, Clock clock) {
        this.interval = Math.max(1, Math.round(1e9 / perSecond));
        this.reach = reach(interval, burst);
        this.clock = clock;
    }

    /**
     * @param perSecond requests an app may make per second, on average
     * @param burst     how many it may make at once after a quiet spell
     * @throws IllegalArgumentException unless both are positive
     */
    public static AppRateLimit perApp(double perSecond, int burst, Clock clock) {
        if (!(perSecond > 0) || burst < 1) {
            throw new IllegalArgumentException("a rate limit needs a positive rate and burst, not " + perSecond + "/" + burst);
        }
        return new AppRateLimit(perSecond, burst, clock);
    }

    /** Takes one request's worth for {@code app}: empty when it may go ahead, else how long until it may. */
    public Optional<Duration> take(Principal app) {
        if (this == NONE) return Optional.empty();
        long now = nanos(clock.now());
        return buckets.computeIfAbsent(app.tenantId() + "/" + app.appId(), k -> new Bucket(now)).take(now);
    }

    /** A burst so large that it cannot be written in nanoseconds is as good as no limit on bursts. */
    private static long reach(long interval, int burst) {
        try {
            return Math.multiplyExact(interval, (long) burst);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 4;
        }
    }

    private static long nanos(Instant at) {
        return at.getEpochSecond() * 1_000_000_000L + at.getNano();
    }

    /**
     * A bucket kept as the time it will next be empty (GCRA): each request moves that time one
     * interval on, and a request is let through while it stays within the burst's reach of now.
     * Whole nanoseconds, so no rounding lets a request through early or holds it back late.
     */
    private final class Bucket {
        private long emptyAt;

        Bucket(long now) {
            this.emptyAt = now;
        }

        synchronized Optional<Duration> take(long now) {
            long start = Math.max(emptyAt, now);
            long wait = start + interval - reach - now;
            if (wait > 0) return Optional.of(Duration.ofNanos(wait));
            emptyAt = start + interval;
            return Optional.empty();
        }
    }
}
