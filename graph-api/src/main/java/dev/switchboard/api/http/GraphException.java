package dev.switchboard.api.http;

import dev.switchboard.core.store.StoreUnavailableException;

import java.time.Duration;
import java.util.Optional;

/**
 * A request answered with a Graph error body. Thrown by handlers and turned into the response in
 * one place, {@link GraphErrors}.
 */
public final class GraphException extends RuntimeException {

    private final int status;
    private final String code;
    private final Optional<Duration> retryAfter;

    public GraphException(int status, String code, String message) {
        this(status, code, message, Optional.empty());
    }

    private GraphException(int status, String code, String message, Optional<Duration> retryAfter) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.retryAfter = retryAfter;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** How long the client should wait before sending the same request again, when the error says. */
    public Optional<Duration> retryAfter() {
        return retryAfter;
    }

    public static GraphException invalidRequest(String message) {
        return new GraphException(400, "invalidRequest", message);
    }

    /**
     * The store is unavailable: answered with {@code Retry-After}; nothing was changed and the same
     * request may succeed later.
     */
    public static GraphException unavailable(String message) {
        return new GraphException(503, "serviceNotAvailable", message,
                Optional.of(StoreUnavailableException.RETRY_AFTER));
    }

    /** The app is over its rate limit; nothing was read or changed. */
    public static GraphException tooManyRequests(Duration wait) {
        return new GraphException(429, "TooManyRequests",
                "Too many requests from this application; retry after the time in Retry-After.", Optional.of(wait));
    }

    public static GraphException callNotFound() {
        return new GraphException(404, "8522", "Call not found.");
    }

    public static GraphException unauthenticated(String message) {
        return new GraphException(401, "InvalidAuthenticationToken", message);
    }

    public static GraphException forbidden(String message) {
        return new GraphException(403, "7504",
                "Insufficient enterprise tenant permissions, cannot access this API. " + message);
    }
}
