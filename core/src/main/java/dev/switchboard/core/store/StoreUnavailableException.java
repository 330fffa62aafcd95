package dev.switchboard.core.store;

/**
 * The store could not do what was asked (its database unreachable, a statement refused): nothing was
 * changed, and the same request may succeed later. Clients are told to retry (HTTP 503, SIP 503).
 */
public class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
