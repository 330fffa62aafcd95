package dev.switchboard.core.calls;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One leg of a conversation, as one app sees it: the Graph {@code call} resource. A peer-to-peer
 * call has two legs sharing a {@code callChainId}: the caller's (outgoing) and the callee's
 * (incoming). Legs are immutable; a transition yields a copy with {@code version + 1}.
 *
 * @param answerDeadline when an incoming leg times out; present only while the leg is {@code incoming}
 * @param ending         why the leg ended; present exactly when the state is {@code terminated}
 */
public record Call(
        String id,
        String tenantId,
        String ownerAppId,
        Direction direction,
        CallState state,
        long version,
        String callbackUri,
        Party source,
        List<Party> targets,
        List<Modality> requestedModalities,
        Optional<GroupInvitation> invitation,
        String callChainId,
        String myParticipantId,
        Optional<Instant> answerDeadline,
        Optional<Ending> ending,
        Instant createdAt,
        Instant updatedAt) {

    public Call {
        targets = List.copyOf(targets);
        requestedModalities = List.copyOf(requestedModalities);
        if (ending.isPresent() != (state == CallState.TERMINATED)) {
            throw new IllegalArgumentException("a call has an ending exactly when it is terminated");
        }
    }

    public Optional<ResultInfo> resultInfo() {
        return ending.map(Ending::result);
    }

    public boolean isOwnedBy(String tenant, String app) {
        return tenantId.equals(tenant) && ownerAppId.equals(app);
    }

    Call moveTo(CallState next, Instant now) {
        return new Call(id, tenantId, ownerAppId, direction, next, version + 1, callbackUri, source, targets,
                requestedModalities, invitation, callChainId, myParticipantId, Optional.empty(), Optional.empty(),
                createdAt, now);
    }

    Call end(Ending why, Instant now) {
        return new Call(id, tenantId, ownerAppId, direction, CallState.TERMINATED, version + 1, callbackUri, source,
                targets, requestedModalities, invitation, callChainId, myParticipantId, Optional.empty(),
                Optional.of(why), createdAt, now);
    }

    /** A snapshot of this leg in an intermediate state, for a notification only; never stored. */
    Call showing(CallState intermediate) {
        return new Call(id, tenantId, ownerAppId, direction, intermediate, version, callbackUri, source, targets,
                requestedModalities, invitation, callChainId, myParticipantId, Optional.empty(), Optional.empty(),
                createdAt, updatedAt);
    }

    /** The same leg calling other parties: a caller sent on to a redirect's targets. */
    Call withTargets(List<Party> parties) {
        return new Call(id, tenantId, ownerAppId, direction, state, version, callbackUri, source, parties,
                requestedModalities, invitation, callChainId, myParticipantId, answerDeadline, ending, createdAt,
                updatedAt);
    }

    /** The same leg notifying a new address from now on (reject/answer {@code callbackUri}). */
    Call withCallbackUri(Optional<String> uri) {
        return uri.map(u -> new Call(id, tenantId, ownerAppId, direction, state, version, u, source, targets,
                requestedModalities, invitation, callChainId, myParticipantId, answerDeadline, ending, createdAt,
                updatedAt)).orElse(this);
    }
}
