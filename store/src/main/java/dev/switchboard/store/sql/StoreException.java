package dev.switchboard.store.sql;

/** The database refused or failed a statement; nothing the failing work wrote is kept. */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
