package dev.switchboard.core.calls;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Optional;

/**
 * A participant of a call as Graph shows it in {@code source} ({@code participantInfo}) and in
 * {@code targets} ({@code invitationParticipantInfo}).
 */
public record Party(IdentitySet identity, Optional<String> participantId) {

    public static Party of(IdentitySet identity) {
        return new Party(identity, Optional.empty());
    }

    /**
     * The same participant as an app without calls permissions sees it: one {@code encrypted}
     * identity, stable for the same caller, that reveals neither id nor name.
     */
    public Party encrypted() {
        StringBuilder who = new StringBuilder();
        identity.members().values().forEach(i -> who.append(i.kind().wireName()).append(':').append(i.id())
                .append('@').append(i.tenantId().orElse("")).append(';'));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(who.toString().getBytes(StandardCharsets.UTF_8));
            String opaque = Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
            return new Party(IdentitySet.of(new Identity(IdentityKind.ENCRYPTED, opaque, Optional.empty(), Optional.empty())),
                    participantId);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    public Party withParticipantId(String id) {
        return new Party(identity, Optional.of(id));
    }
}
