package dev.switchboard.core.calls;

import java.util.List;
import java.util.Optional;

/**
 * {@code POST /communications/calls}: an app calls one app (peer-to-peer) or invites several to a
 * group call.
 *
 * @param offers      the target apps, resolved from {@code targets}
 * @param targets     the targets exactly as the caller named them, shown on every leg
 * @param retryKey    identifies the request, so that a retry of it returns the first call instead of placing a second
 */
public record PlaceCall(
        String tenantId,
        String callerAppId,
        String callbackUri,
        Party source,
        List<Party> targets,
        List<Offer> offers,
        List<Modality> requestedModalities,
        Optional<GroupInvitation> invitation,
        Optional<RetryKey> retryKey) {

    public PlaceCall {
        targets = List.copyOf(targets);
        offers = List.copyOf(offers);
        requestedModalities = List.copyOf(requestedModalities);
        if (offers.isEmpty()) throw new IllegalArgumentException("a call needs at least one target");
    }

    /**
     * A request's identity for retries. Clients reuse one {@code client-request-id} for many
     * requests, so an earlier placement is looked up only when the request says it is a retry.
     */
    public record RetryKey(String key, boolean isRetry) {}
}
