package dev.switchboard.sip;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The headers of an INVITE that name the group call a bot is invited to (see {@link GroupInvitations}).
 * A route may rename any of them for a PBX or conference server that uses its own.
 *
 * @param threadId      the chat thread id ({@code chatInfo.threadId})
 * @param messageId     the message id ({@code chatInfo.messageId})
 * @param joinUrl       a Teams-style meeting join URL, read the way Graph samples read it
 * @param joinMeetingId a meeting id ({@code joinMeetingIdMeetingInfo.joinMeetingId})
 * @param passcode      that meeting's passcode
 */
public record GroupHeaders(String threadId, String messageId, String joinUrl, String joinMeetingId, String passcode) {

    public static final GroupHeaders DEFAULT = new GroupHeaders("X-Switchboard-Thread-Id", "X-Switchboard-Message-Id",
            "X-Switchboard-Join-Url", "X-Switchboard-Join-Meeting-Id", "X-Switchboard-Meeting-Passcode");

    /** The names a route may set. */
    public static final Set<String> KEYS = Set.of("threadId", "messageId", "joinUrl", "joinMeetingId", "passcode");

    public GroupHeaders {
        Objects.requireNonNull(threadId, "threadId");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(joinUrl, "joinUrl");
        Objects.requireNonNull(joinMeetingId, "joinMeetingId");
        Objects.requireNonNull(passcode, "passcode");
    }

    /**
     * The defaults with a route's renames.
     *
     * @throws IllegalArgumentException for a key that names no header this reads, or a blank name
     */
    public static GroupHeaders of(String route, Map<String, String> renames) {
        renames.forEach((key, name) -> {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("sip route '" + route + "': groupHeaders cannot rename '" + key
                        + "'; use one of " + KEYS.stream().sorted().collect(Collectors.joining(", ")));
            }
            if (name == null || !name.matches("[A-Za-z0-9!%*_+`'~.-]+")) {
                throw new IllegalArgumentException("sip route '" + route + "': groupHeaders." + key + " '" + name
                        + "' is not a SIP header name");
            }
        });
        return new GroupHeaders(renames.getOrDefault("threadId", DEFAULT.threadId),
                renames.getOrDefault("messageId", DEFAULT.messageId), renames.getOrDefault("joinUrl", DEFAULT.joinUrl),
                renames.getOrDefault("joinMeetingId", DEFAULT.joinMeetingId),
                renames.getOrDefault("passcode", DEFAULT.passcode));
    }
}
