package dev.switchboard.bot.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The message ids seen lately ({@code X-Microsoft-Skype-Message-ID}), to drop redeliveries: delivery is
 * at least once. Remembers the newest {@code capacity} ids. Thread-safe.
 */
final class MessageIds {

    private final Map<String, Boolean> seen;

    MessageIds(int capacity) {
        this.seen = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** True the first time an id is offered; a null or blank id is always new. */
    synchronized boolean firstTime(String messageId) {
        if (messageId == null || messageId.isBlank()) return true;
        return seen.put(messageId, Boolean.TRUE) == null;
    }
}
