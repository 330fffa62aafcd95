package dev.switchboard.notify;

/** What one delivery attempt came to. */
sealed interface Outcome {

    /** @param status the bot's HTTP status; 0 for a {@link LocalDelivery} */
    record Delivered(int status) implements Outcome {}

    /** @param reason recorded in the outbox and shown on the call's timeline */
    record Failed(String reason) implements Outcome {}
}
