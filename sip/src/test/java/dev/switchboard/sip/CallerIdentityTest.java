package dev.switchboard.sip;

import dev.switchboard.core.calls.Identity;
import dev.switchboard.core.calls.IdentityKind;
import dev.switchboard.core.calls.Party;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class CallerIdentityTest {

    private static Identity only(Party p) {
        assertThat(p.identity().members()).hasSize(1);
        return p.identity().members().values().iterator().next();
    }

    @Test
    void telUriIsAPhoneIdentityWithTheNumber() {
        Identity i = only(CallerIdentity.party("tel", "+4930123456", "", true, Optional.of("Alice")));

        assertThat(i.kind()).isEqualTo(IdentityKind.PHONE);
        assertThat(i.id()).isEqualTo("+4930123456");
        assertThat(i.displayName()).contains("Alice");
        assertThat(i.tenantId()).isEmpty();
    }

    @Test
    void numericSipUserIsAPhoneIdentityWithoutVisualSeparators() {
        Identity i = only(CallerIdentity.party("sip", "+49-30-123 456", "trunk", false, Optional.empty()));

        assertThat(i.kind()).isEqualTo(IdentityKind.PHONE);
        assertThat(i.id()).isEqualTo("+4930123456");
        assertThat(i.displayName()).isEmpty();
    }

    @Test
    void namedSipUserIsAGuestIdentifiedByItsUri() {
        Identity i = only(CallerIdentity.party("sip", "alice", "example.com", false, Optional.of(" Alice ")));

        assertThat(i.kind()).isEqualTo(IdentityKind.GUEST);
        assertThat(i.id()).isEqualTo("sip:alice@example.com");
        assertThat(i.displayName()).contains("Alice");
    }

    @Test
    void guestWithoutDisplayNameIsNamedByItsUserPart() {
        Identity i = only(CallerIdentity.party("sip", "anonymous", "anonymous.invalid", false, Optional.empty()));

        assertThat(i.kind()).isEqualTo(IdentityKind.GUEST);
        assertThat(i.displayName()).contains("anonymous");
    }
}
