package dev.switchboard.core.calls;

import java.util.Optional;

/** How a group call's meeting is identified: Graph's three {@code meetingInfo} kinds. */
public sealed interface MeetingInfo {

    /** {@code #microsoft.graph.organizerMeetingInfo}. */
    record Organizer(IdentitySet organizer) implements MeetingInfo {}

    /** {@code #microsoft.graph.tokenMeetingInfo}. */
    record Token(String token) implements MeetingInfo {}

    /** {@code #microsoft.graph.joinMeetingIdMeetingInfo}. */
    record JoinMeetingId(String joinMeetingId, Optional<String> passcode) implements MeetingInfo {}
}
