package dev.switchboard.core.calls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class RejectReasonTest {

    @ParameterizedTest
    @ValueSource(strings = {"busy", "Busy", "BUSY", "bUsY"})
    void parseAcceptsBusyInAnyCasing(String value) {
        assertThat(RejectReason.parse(value)).contains(RejectReason.BUSY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "None", "NONE"})
    void parseAcceptsNoneInAnyCasing(String value) {
        assertThat(RejectReason.parse(value)).contains(RejectReason.NONE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"forbidden", "Forbidden", "FORBIDDEN"})
    void parseAcceptsForbiddenInAnyCasing(String value) {
        assertThat(RejectReason.parse(value)).contains(RejectReason.FORBIDDEN);
    }

    @ParameterizedTest
    @ValueSource(strings = {"unknownFutureValue", "UNKNOWNFUTUREVALUE", "", " busy", "busy ", "declined", "0", "1",
            "null", "BUSY_HERE", "Busy,None"})
    void parseRejectsUnknownFutureValueAndAnythingElse(String value) {
        assertThat(RejectReason.parse(value)).isEmpty();
    }

    @Test
    void everyReasonIsWrittenLowercaseAndParsesBackToItself() {
        for (RejectReason reason : RejectReason.values()) {
            assertThat(reason.wireName()).isEqualTo(reason.wireName().toLowerCase(java.util.Locale.ROOT));
            assertThat(RejectReason.parse(reason.wireName())).contains(reason);
        }
    }

    @Test
    void parsingIgnoresTheDefaultLocale() {
        java.util.Locale before = java.util.Locale.getDefault();
        try {
            java.util.Locale.setDefault(java.util.Locale.forLanguageTag("tr-TR"));
            assertThat(RejectReason.parse("FORBIDDEN")).contains(RejectReason.FORBIDDEN);
        } finally {
            java.util.Locale.setDefault(before);
        }
    }
}
