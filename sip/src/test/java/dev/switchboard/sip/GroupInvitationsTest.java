package dev.switchboard.sip;

import dev.switchboard.core.calls.Identity;
import dev.switchboard.core.calls.IdentityKind;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GroupInvitationsTest {

    @Test
    void aTeamsJoinUrlNamesTheThreadTheMessageAndTheOrganizer() {
        String url = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_NTg0%40thread.v2/0"
                + "?context=%7b%22Tid%22%3a%22tenant-9%22%2c%22Oid%22%3a%22user-7%22%7d";

        GroupInvitations.JoinUrl join = GroupInvitations.joinUrl(url).orElseThrow();

        assertThat(join.threadId()).isEqualTo("19:meeting_NTg0@thread.v2");
        assertThat(join.messageId()).contains("0");
        assertThat(join.organizer()).contains(new Identity(IdentityKind.USER, "user-7", Optional.empty(), Optional.of("tenant-9")));
    }

    @Test
    void aUrlThatIsNoMeetingJoinUrlIsIgnored() {
        assertThat(GroupInvitations.joinUrl("https://example.com/somewhere")).isEmpty();
        assertThat(GroupInvitations.joinUrl("not a url at all \\")).isEmpty();
        assertThat(GroupInvitations.joinUrl("https://teams.microsoft.com/l/meetup-join/")).isEmpty();
        assertThat(GroupInvitations.joinUrl("https://teams.microsoft.com/l/meetup-join/19%3ax/0?context=%7bnot-json"))
                .hasValueSatisfying(j -> assertThat(j.organizer()).isEmpty());
    }

    @Test
    void aRouteRenamesHeadersButOnlyThoseItKnows() {
        assertThat(GroupHeaders.of("r", Map.of("threadId", "X-Conf-Thread")).threadId()).isEqualTo("X-Conf-Thread");
        assertThat(GroupHeaders.of("r", Map.of()).joinUrl()).isEqualTo("X-Switchboard-Join-Url");
        assertThatThrownBy(() -> GroupHeaders.of("r", Map.of("thread", "X-T"))).hasMessageContaining("'thread'");
        assertThatThrownBy(() -> GroupHeaders.of("r", Map.of("threadId", "X T"))).hasMessageContaining("not a SIP header name");
    }
}
