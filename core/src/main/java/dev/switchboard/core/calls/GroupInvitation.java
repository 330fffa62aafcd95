package dev.switchboard.core.calls;

/** What makes an offered call an invitation to a group call rather than a peer-to-peer call. */
public record GroupInvitation(ChatInfo chatInfo, MeetingInfo meetingInfo) {}
