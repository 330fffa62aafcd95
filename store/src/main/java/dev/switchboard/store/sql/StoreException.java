package dev.switchboard.store.sql;

import dev.switchboard.core.store.StoreUnavailableException;

/** The database refused or failed a statement; nothing the failing work wrote is kept. */
public final class StoreException extends StoreUnavailableException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
