package dev.switchboard.bot;

import java.util.Map;
import java.util.Optional;

/**
 * What makes an incoming call an invitation to a group call or meeting: the chat and the meeting it belongs to.
 *
 * <pre>{@code
 * call.groupInvitation().ifPresent(g -> log("invited to " + g.chatInfo().threadId()));
 * }</pre>
 */
public record GroupInvitation(ChatInfo chatInfo, MeetingInfo meetingInfo) {

    /** The Graph {@code chatInfo}; absent members are empty strings. */
    public record ChatInfo(String threadId, String messageId, String replyChainMessageId) {}

    /**
     * The Graph {@code meetingInfo}.
     *
     * @param type       its {@code @odata.type} without the leading {@code #}, e.g.
     *                   {@code microsoft.graph.organizerMeetingInfo}; empty when the payload names none
     * @param organizer  the organizer of an {@code organizerMeetingInfo}
     * @param properties every member as received (unknown ones included), JSON values as maps, lists,
     *                   strings, numbers and booleans
     */
    public record MeetingInfo(String type, Optional<Identity> organizer, Map<String, Object> properties) {
        public MeetingInfo {
            properties = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(properties));
        }
    }
}
