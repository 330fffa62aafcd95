package dev.switchboard.api.calls;

import dev.switchboard.api.auth.Principal;
import dev.switchboard.core.time.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AppRateLimitTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-27T12:00:00Z"));
    private final Principal bot = new Principal("t1", "bot", Set.of());

    @Test
    void anAppMayMakeItsBurstAtOnceAndThenWaitsForTheRate() {
        AppRateLimit limit = AppRateLimit.perApp(2, 3, clock);
        for (int i = 0; i < 3; i++) assertThat(limit.take(bot)).as("request %d", i).isEmpty();

        assertThat(limit.take(bot)).hasValue(Duration.ofMillis(500));
        clock.advance(Duration.ofMillis(200));
        assertThat(limit.take(bot)).hasValue(Duration.ofMillis(300));  // a refused request takes nothing
        clock.advance(Duration.ofMillis(300));
        assertThat(limit.take(bot)).isEmpty();
        assertThat(limit.take(bot)).hasValue(Duration.ofMillis(500));
    }

    @Test
    void aQuietSpellRefillsOnlyUpToTheBurst() {
        AppRateLimit limit = AppRateLimit.perApp(10, 2, clock);
        clock.advance(Duration.ofHours(1));
        assertThat(limit.take(bot)).isEmpty();
        assertThat(limit.take(bot)).isEmpty();
        assertThat(limit.take(bot)).isPresent();
    }

    @Test
    void eachAppOfEachTenantHasItsOwnBucket() {
        AppRateLimit limit = AppRateLimit.perApp(1, 1, clock);
        assertThat(limit.take(bot)).isEmpty();
        assertThat(limit.take(bot)).isPresent();
        assertThat(limit.take(new Principal("t1", "other", Set.of()))).isEmpty();
        assertThat(limit.take(new Principal("t2", "bot", Set.of()))).isEmpty();
    }

    @Test
    void noneLetsEverythingThroughAndALimitNeedsPositiveNumbers() {
        for (int i = 0; i < 10_000; i++) assertThat(AppRateLimit.NONE.take(bot)).isEmpty();
        assertThatThrownBy(() -> AppRateLimit.perApp(0, 1, clock)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AppRateLimit.perApp(1, 0, clock)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AppRateLimit.perApp(Double.NaN, 1, clock)).isInstanceOf(IllegalArgumentException.class);
    }
}
