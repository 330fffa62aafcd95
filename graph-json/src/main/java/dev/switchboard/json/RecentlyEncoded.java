package dev.switchboard.json;

import dev.switchboard.core.calls.Call;

import java.util.Optional;

/**
 * The Graph JSON of the last few legs encoded, by identity: a transaction stores its changed legs,
 * then queues their notifications, and both need the same text. Identity, not equality, because
 * comparing two legs field by field would cost about what writing one does. Thread-safe.
 */
final class RecentlyEncoded {

    /** A transaction changes a handful of legs: the caller's and each offered app's. */
    private static final int SIZE = 16;

    private final Call[] calls = new Call[SIZE];
    private final String[] texts = new String[SIZE];
    private int next;

    synchronized void remember(Call call, String graphJson) {
        calls[next] = call;
        texts[next] = graphJson;
        next = (next + 1) % SIZE;
    }

    synchronized Optional<String> graphJsonOf(Call call) {
        for (int i = 0; i < SIZE; i++) {
            if (calls[i] == call) return Optional.of(texts[i]);
        }
        return Optional.empty();
    }
}
