package dev.switchboard.core.store;

/** A compare-and-set lost: the stored leg is not the version the writer read. */
public final class StaleWriteException extends RuntimeException {
    public StaleWriteException(String callId, long expectedVersion) {
        super("call " + callId + " is no longer at version " + expectedVersion, null, false, false);
    }
}
