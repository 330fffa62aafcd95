package dev.switchboard.api.http;

/**
 * A request answered with a Graph error body. Thrown by handlers and turned into the response in
 * one place, {@link GraphErrors}.
 */
public final class GraphException extends RuntimeException {

    private final int status;
    private final String code;

    public GraphException(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public static GraphException invalidRequest(String message) {
        return new GraphException(400, "invalidRequest", message);
    }

    /** Answered with {@code Retry-After}: nothing was changed and the same request may succeed later. */
    public static GraphException unavailable(String message) {
        return new GraphException(503, "serviceNotAvailable", message);
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
