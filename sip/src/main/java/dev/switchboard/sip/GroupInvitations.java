package dev.switchboard.sip;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.calls.ChatInfo;
import dev.switchboard.core.calls.GroupInvitation;
import dev.switchboard.core.calls.Identity;
import dev.switchboard.core.calls.IdentityKind;
import dev.switchboard.core.calls.IdentitySet;
import dev.switchboard.core.calls.MeetingInfo;
import dev.switchboard.core.calls.Party;

import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.ContactHeader;
import javax.sip.header.ExtensionHeader;
import javax.sip.header.Header;
import javax.sip.message.Request;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Optional;

/**
 * Whether an INVITE invites the bot to a group call, and which: the {@code chatInfo} and
 * {@code meetingInfo} its offer carries, as a group invitation placed through the API does. An INVITE
 * is one when its Contact is a conference focus (RFC 4579 {@code isfocus}), or it names a thread or a
 * join URL in the route's {@link GroupHeaders}.
 * <ul>
 *   <li>{@code threadId}: the thread header; else the join URL's thread; else the focus URI
 *       ({@code sip:user@host}, no parameters), stable for the conference.</li>
 *   <li>{@code messageId}: the message header; else the join URL's; else {@code "0"}, as Teams meetings use.</li>
 *   <li>{@code meetingInfo}: a {@code joinMeetingIdMeetingInfo} when the meeting-id header is present
 *       (with the passcode header); else an {@code organizerMeetingInfo}: the join URL's organizer
 *       ({@code Oid} in tenant {@code Tid}), or else the caller — encrypted for an app that may not see
 *       callers.</li>
 * </ul>
 * Never throws on what a caller sent: a join URL that cannot be read is ignored.
 */
final class GroupInvitations {

    private static final ObjectMapper JSON = new ObjectMapper();

    private GroupInvitations() {
    }

    /** A Teams-style join URL, read: {@code …/meetup-join/<thread>/<message>?context={"Tid":…,"Oid":…}}. */
    record JoinUrl(String threadId, Optional<String> messageId, Optional<Identity> organizer) {}

    static Optional<GroupInvitation> of(Request invite, GroupHeaders headers, Party caller, boolean seesCaller) {
        Optional<String> focus = focus(invite);
        Optional<String> thread = header(invite, headers.threadId());
        Optional<JoinUrl> join = header(invite, headers.joinUrl()).flatMap(GroupInvitations::joinUrl);
        Optional<String> threadId = thread.or(() -> join.map(JoinUrl::threadId)).or(() -> focus);
        if (threadId.isEmpty()) return Optional.empty();
        String messageId = header(invite, headers.messageId()).or(() -> join.flatMap(JoinUrl::messageId)).orElse("0");
        Optional<String> meetingId = header(invite, headers.joinMeetingId());
        MeetingInfo meeting = meetingId.<MeetingInfo>map(id -> new MeetingInfo.JoinMeetingId(id, header(invite, headers.passcode())))
                .or(() -> join.flatMap(JoinUrl::organizer).map(o -> new MeetingInfo.Organizer(IdentitySet.of(o))))
                .orElseGet(() -> new MeetingInfo.Organizer((seesCaller ? caller : caller.encrypted()).identity()));
        return Optional.of(new GroupInvitation(new ChatInfo(threadId.get(), Optional.of(messageId), Optional.empty()), meeting));
    }

    /** The focus URI of a Contact marked {@code isfocus} (as a header or a URI parameter). */
    static Optional<String> focus(Request invite) {
        ContactHeader contact = (ContactHeader) invite.getHeader(ContactHeader.NAME);
        if (contact == null) return Optional.empty();
        URI uri = contact.getAddress().getURI();
        boolean isFocus = hasParameter(contact.getParameterNames(), "isfocus")
                || (uri instanceof SipURI sip && hasParameter(sip.getParameterNames(), "isfocus"));
        if (!isFocus || !(uri instanceof SipURI sip)) return Optional.empty();
        String user = SipMessages.user(sip);
        return Optional.of(sip.getScheme() + ":" + (user.isEmpty() ? "" : user + "@") + sip.getHost());
    }

    static Optional<JoinUrl> joinUrl(String url) {
        try {
            java.net.URI parsed = new java.net.URI(url.strip());
            String path = parsed.getRawPath() == null ? "" : parsed.getRawPath();
            int at = path.indexOf("/meetup-join/");
            if (at < 0) return Optional.empty();
            String[] parts = path.substring(at + "/meetup-join/".length()).split("/");
            String thread = decode(parts[0]);
            if (thread.isBlank()) return Optional.empty();
            Optional<String> message = parts.length > 1 && !parts[1].isBlank() ? Optional.of(decode(parts[1])) : Optional.empty();
            return Optional.of(new JoinUrl(thread, message, organizer(parsed.getRawQuery())));
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Optional<Identity> organizer(String rawQuery) {
        if (rawQuery == null) return Optional.empty();
        for (String pair : rawQuery.split("&")) {
            if (!pair.startsWith("context=")) continue;
            try {
                JsonNode context = JSON.readTree(decode(pair.substring("context=".length())));
                String oid = context.path("Oid").asText("");
                String tid = context.path("Tid").asText("");
                if (oid.isBlank()) return Optional.empty();
                return Optional.of(new Identity(IdentityKind.USER, oid, Optional.empty(),
                        tid.isBlank() ? Optional.empty() : Optional.of(tid)));
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static Optional<String> header(Request invite, String name) {
        Header h = invite.getHeader(name);
        if (h == null) return Optional.empty();
        String value;
        if (h instanceof ExtensionHeader extension) {
            value = extension.getValue() == null ? "" : extension.getValue().strip();
        } else {
            String text = h.toString();
            int colon = text.indexOf(':');
            value = (colon < 0 ? text : text.substring(colon + 1)).strip();
        }
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    private static boolean hasParameter(Iterator<?> names, String wanted) {
        while (names != null && names.hasNext()) {
            if (wanted.equalsIgnoreCase(String.valueOf(names.next()))) return true;
        }
        return false;
    }
}
