package dev.switchboard.core.store;

import java.util.List;

/**
 * What an {@link OutboxClaim} was granted.
 *
 * @param notifications undelivered rows of the calls granted to the node, in seq order: those the
 *                      claim looked at and, where several nodes share the outbox, the granted calls'
 *                      earlier ones too, so a node that takes over a call starts at its oldest
 *                      undelivered notification (a single node already holds those)
 * @param scannedTo     the highest seq looked at (the claim's {@code afterSeq} when there was none):
 *                      the next claim can start after it
 * @param more          whether the scan stopped at its limit, so rows after {@code scannedTo} may wait
 */
public record ClaimedNotifications(List<PendingNotification> notifications, long scannedTo, boolean more) {

    public ClaimedNotifications {
        notifications = List.copyOf(notifications);
    }
}
