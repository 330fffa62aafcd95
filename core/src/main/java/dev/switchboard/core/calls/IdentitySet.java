package dev.switchboard.core.calls;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/** A Graph {@code identitySet}: at most one identity per kind. */
public record IdentitySet(Map<IdentityKind, Identity> members) {

    public IdentitySet {
        EnumMap<IdentityKind, Identity> copy = new EnumMap<>(IdentityKind.class);
        copy.putAll(members);
        members = Collections.unmodifiableMap(copy);
    }

    public static IdentitySet of(Identity... identities) {
        EnumMap<IdentityKind, Identity> map = new EnumMap<>(IdentityKind.class);
        for (Identity i : identities) map.put(i.kind(), i);
        return new IdentitySet(map);
    }

    public Optional<Identity> get(IdentityKind kind) {
        return Optional.ofNullable(members.get(kind));
    }

    /** The app this set names, as an application or an application instance. */
    public Optional<String> applicationId() {
        return get(IdentityKind.APPLICATION).or(() -> get(IdentityKind.APPLICATION_INSTANCE)).map(Identity::id);
    }
}
