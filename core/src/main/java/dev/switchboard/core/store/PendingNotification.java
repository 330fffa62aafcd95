package dev.switchboard.core.store;

import dev.switchboard.core.calls.ChangeType;

import java.time.Instant;

/**
 * A notification waiting in the outbox.
 *
 * @param resourceData the call as Graph JSON, fixed when the notification was written so that every
 *                     attempt sends the same message
 */
public record PendingNotification(
        long seq,
        String messageId,
        String callId,
        String tenantId,
        String appId,
        String callChainId,
        ChangeType changeType,
        String callbackUri,
        String resourceData,
        int attempts,
        Instant createdAt) {}
