package dev.switchboard.core.calls;

/** A notification a transition owes the owner of {@code call}: the leg as it is after the change. */
public record Notice(ChangeType changeType, Call call) {}
