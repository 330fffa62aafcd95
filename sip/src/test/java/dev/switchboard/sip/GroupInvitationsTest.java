package dev.switchboard.sip;

import dev.switchboard.core.calls.GroupInvitation;
import dev.switchboard.core.calls.Identity;
import dev.switchboard.core.calls.IdentityKind;
import dev.switchboard.core.calls.IdentitySet;
import dev.switchboard.core.calls.MeetingInfo;
import dev.switchboard.core.calls.Party;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import org.junit.jupiter.api.Test;

import javax.sip.message.Request;
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

    private static Request invite(String contact, String... headers) throws Exception {
        String text = "INVITE sip:reception@127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5099;branch=z9hG4bK-1\r\n"
                + "From: <sip:+4930123@trunk.example.com>;tag=a\r\n"
                + "To: <sip:reception@127.0.0.1>\r\n"
                + "Call-ID: c-1\r\nCSeq: 1 INVITE\r\nMax-Forwards: 70\r\n"
                + "Contact: " + contact + "\r\n"
                + String.join("", java.util.Arrays.stream(headers).map(h -> h + "\r\n").toList())
                + "Content-Length: 0\r\n\r\n";
        return new MessageFactoryImpl().createRequest(text);
    }

    private static final Party CALLER = CallerIdentity.party("sip", "+4930123", "trunk.example.com", false, Optional.empty());

    @Test
    void aJoinUrlHeaderNamesThreadMessageAndOrganizerEvenFromAFocus() throws Exception {
        Request invite = invite("<sip:conf-1@focus.example.com>;isfocus",
                "X-Switchboard-Join-Url: https://teams.microsoft.com/l/meetup-join/19%3ameeting_X%40thread.v2/1700"
                        + "?context=%7b%22Tid%22%3a%22t9%22%2c%22Oid%22%3a%22u7%22%7d");

        GroupInvitation inv = GroupInvitations.of(invite, GroupHeaders.DEFAULT, CALLER, true).orElseThrow();

        assertThat(inv.chatInfo().threadId()).isEqualTo("19:meeting_X@thread.v2");
        assertThat(inv.chatInfo().messageId()).contains("1700");
        assertThat(inv.meetingInfo()).isEqualTo(new MeetingInfo.Organizer(IdentitySet.of(
                new Identity(IdentityKind.USER, "u7", Optional.empty(), Optional.of("t9")))));
    }

    @Test
    void theCallerAsOrganizerIsEncryptedForAnAppThatMayNotSeeCallers() throws Exception {
        GroupInvitation inv = GroupInvitations.of(invite("<sip:conf-1@focus.example.com;isfocus>"),
                GroupHeaders.DEFAULT, CALLER, false).orElseThrow();

        assertThat(inv.chatInfo().threadId()).isEqualTo("sip:conf-1@focus.example.com");
        assertThat(((MeetingInfo.Organizer) inv.meetingInfo()).organizer().members()).containsOnlyKeys(IdentityKind.ENCRYPTED);
    }

    @Test
    void aRenamedHeaderIsReadAndTheDefaultNameNoLonger() throws Exception {
        GroupHeaders renamed = GroupHeaders.of("r", Map.of("threadId", "X-Conf-Thread"));
        Request invite = invite("<sip:alice@127.0.0.1>", "X-Conf-Thread: thread-9");
        Request defaultName = invite("<sip:alice@127.0.0.1>", "X-Switchboard-Thread-Id: thread-9");

        assertThat(GroupInvitations.of(invite, renamed, CALLER, true)).hasValueSatisfying(
                i -> assertThat(i.chatInfo().threadId()).isEqualTo("thread-9"));
        assertThat(GroupInvitations.of(defaultName, renamed, CALLER, true)).isEmpty();
        assertThat(GroupInvitations.of(invite("<sip:alice@127.0.0.1>"), GroupHeaders.DEFAULT, CALLER, true)).isEmpty();
    }

    @Test
    void aRouteRenamesHeadersButOnlyThoseItKnows() {
        assertThat(GroupHeaders.of("r", Map.of("threadId", "X-Conf-Thread")).threadId()).isEqualTo("X-Conf-Thread");
        assertThat(GroupHeaders.of("r", Map.of()).joinUrl()).isEqualTo("X-Switchboard-Join-Url");
        assertThatThrownBy(() -> GroupHeaders.of("r", Map.of("thread", "X-T"))).hasMessageContaining("'thread'");
        assertThatThrownBy(() -> GroupHeaders.of("r", Map.of("threadId", "X T"))).hasMessageContaining("not a SIP header name");
    }
}
