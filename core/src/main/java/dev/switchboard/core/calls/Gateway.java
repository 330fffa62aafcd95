package dev.switchboard.core.calls;

import java.util.Optional;

/**
 * Reaches parties that are not apps (phone numbers, SIP addresses): a call to one is offered to the
 * gateway that stands in for it, such as the SIP bridge, which then calls out and answers, rejects or
 * hangs up the offered leg as the far end does. Single method, so adapters stay apart.
 */
@FunctionalInterface
public interface Gateway {

    /** No gateway: only apps can be called. */
    Gateway NONE = (tenantId, target) -> Optional.empty();

    /** The offer that reaches {@code target} for a call in {@code tenantId}; empty when this gateway cannot. */
    Optional<Offer> offer(String tenantId, Party target);
}
