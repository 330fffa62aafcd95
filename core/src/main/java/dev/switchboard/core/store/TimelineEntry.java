package dev.switchboard.core.store;

import java.time.Instant;

/** One line of a call's history: a transition, or a notification and what became of it. */
public record TimelineEntry(Instant at, String kind, String detail) {}
