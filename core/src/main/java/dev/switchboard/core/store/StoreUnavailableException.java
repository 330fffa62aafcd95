package dev.switchboard.core.store;

import java.time.Duration;

/**
 * The store could not do what was asked (its database unreachable, a statement refused): nothing was
 * changed, and the same request may succeed later. Clients are told to retry (HTTP 503, SIP 503).
 */
public class StoreUnavailableException extends RuntimeException {

    /**
     * What both protocols' 503 asks a client to wait (HTTP and SIP {@code Retry-After}): long enough
     * for a database failover or a node's reconnect, short enough to keep callers ringing.
     */
    public static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
