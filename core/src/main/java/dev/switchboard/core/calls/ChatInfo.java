package dev.switchboard.core.calls;

import java.util.Optional;

/** The chat thread of a group call a bot is invited to. */
public record ChatInfo(String threadId, Optional<String> messageId, Optional<String> replyChainMessageId) {
    public ChatInfo {
        if (threadId == null || threadId.isBlank()) throw new IllegalArgumentException("threadId is required");
    }
}
