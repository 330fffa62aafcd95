package dev.switchboard.json;

/** A request body that does not fit the Graph shape; {@code field} names where, for the error message. */
public final class InvalidInput extends RuntimeException {

    private final String field;

    public InvalidInput(String field, String message) {
        super(message, null, false, false);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
