package dev.switchboard.core.calls;

import java.util.List;
import java.util.Optional;

/**
 * {@code POST /communications/calls}: an app calls one app (peer-to-peer) or invites several to a
 * group call.
 *
 * @param offers      the target apps, resolved from {@code targets}
 * @param targets     the targets exactly as the caller named them, shown on every leg
 * @param retryKey    identifies a retried request, so a retry returns the first call instead of placing a second
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
        Optional<String> retryKey) {

    public PlaceCall {
        targets = List.copyOf(targets);
        offers = List.copyOf(offers);
        requestedModalities = List.copyOf(requestedModalities);
        if (offers.isEmpty()) throw new IllegalArgumentException("a call needs at least one target");
    }
}
