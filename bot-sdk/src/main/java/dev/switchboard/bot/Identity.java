package dev.switchboard.bot;

import java.util.Objects;
import java.util.Optional;

/**
 * One member of a Graph {@code identitySet}: who is calling, or who is called.
 *
 * <pre>{@code
 * if (call.caller().kind().equals("user") && allowed.contains(call.caller().id())) ...
 * Decision.redirect(Identity.application(otherBotId));
 * }</pre>
 *
 * @param kind        the identitySet key it came from: {@code user}, {@code application},
 *                    {@code applicationInstance}, {@code phone}, {@code guest}, {@code encrypted}, …
 * @param id          the member's {@code id} (for {@code encrypted} identities an opaque value)
 * @param displayName empty when not given
 * @param tenantId    empty when not given
 */
public record Identity(String kind, String id, Optional<String> displayName, Optional<String> tenantId) {

    public Identity {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
        displayName = displayName == null ? Optional.empty() : displayName;
        tenantId = tenantId == null ? Optional.empty() : tenantId;
    }

    /** An application (another bot), the usual redirect target. */
    public static Identity application(String appId) {
        return new Identity("application", appId, Optional.empty(), Optional.empty());
    }

    /** A user of a tenant. */
    public static Identity user(String userId, String tenantId) {
        return new Identity("user", userId, Optional.empty(), Optional.ofNullable(tenantId));
    }

    /** An identity that cannot be known: what {@link IncomingCall#caller()} shows when the notification names none. */
    public static Identity unknown() {
        return new Identity("unknown", "", Optional.empty(), Optional.empty());
    }
}
