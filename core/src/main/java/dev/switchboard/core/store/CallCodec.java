package dev.switchboard.core.store;

import dev.switchboard.core.calls.Call;

/**
 * Turns calls into text for a store, so that adapters hold no knowledge of the wire format. The
 * implementation lives with the Graph JSON mapping.
 */
public interface CallCodec {

    /** Everything about a leg, for storage; {@link #decode} gives back an equal {@link Call}. */
    String encode(Call call);

    Call decode(String encoded);

    /** The leg as a notification's {@code resourceData} shows it (Graph JSON). */
    String resourceData(Call call);
}
