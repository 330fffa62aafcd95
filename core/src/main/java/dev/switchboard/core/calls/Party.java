package dev.switchboard.core.calls;

import java.util.Optional;

/**
 * A participant of a call as Graph shows it in {@code source} ({@code participantInfo}) and in
 * {@code targets} ({@code invitationParticipantInfo}).
 */
public record Party(IdentitySet identity, Optional<String> participantId) {

    public static Party of(IdentitySet identity) {
        return new Party(identity, Optional.empty());
    }

    public Party withParticipantId(String id) {
        return new Party(identity, Optional.of(id));
    }
}
