package dev.switchboard.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(SwitchboardExtension.class)
class ExtendWithTest {

    @Test
    void theDefaultServerHoldsACallerAndABotNamedBot(SwitchboardExtension sb) {
        assertThat(sb.app("bot").tenantId()).isEqualTo(sb.caller().tenantId());
        assertThat(sb.placeCall("bot").id()).isNotBlank();
    }
}
