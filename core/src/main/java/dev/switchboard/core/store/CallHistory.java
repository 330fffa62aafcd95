package dev.switchboard.core.store;

import dev.switchboard.core.calls.Call;

import java.util.List;
import java.util.Optional;

/**
 * What the store has recorded about calls, to read: a {@link CallStore} is one, and so is a view that
 * only reads, which may be opened beside the process that writes.
 */
public interface CallHistory extends AutoCloseable {

    Optional<Call> find(String callId);

    /** The newest calls first. */
    List<Call> recent(int limit);

    /** Every transition and notification of one call, oldest first. */
    List<TimelineEntry> timeline(String callId);

    @Override
    void close();
}
