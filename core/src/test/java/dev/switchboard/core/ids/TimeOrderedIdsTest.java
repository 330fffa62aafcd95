package dev.switchboard.core.ids;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class TimeOrderedIdsTest {

    private static final long T0 = Instant.parse("2026-11-26T17:00:00Z").toEpochMilli();

    @Test
    void isAVersion7UuidThatCarriesItsMillisecond() {
        UUID id = UUID.fromString(TimeOrderedIds.at(T0));
        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2); // RFC 9562
        assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(T0);
        assertThat(TimeOrderedIds.at(T0)).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    }

    @Test
    void aLaterMillisecondSortsAfterAsText() {
        // the store compares ids as text, so the order must hold for the strings, not only the numbers
        for (int i = 0; i < 1_000; i++) {
            assertThat(TimeOrderedIds.at(T0 + 1)).isGreaterThan(TimeOrderedIds.at(T0));
            assertThat(TimeOrderedIds.at(T0 + 86_400_000L)).isGreaterThan(TimeOrderedIds.at(T0 + 86_399_999L));
        }
    }

    @Test
    void idsOfOneMillisecondStillDiffer() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) seen.add(TimeOrderedIds.at(T0));
        assertThat(seen).hasSize(100_000);
    }
}
