package dev.switchboard.core.store;

import dev.switchboard.core.calls.Call;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link CallCodec} that remembers the legs behind the last texts it encoded or decoded. A leg is
 * usually read back moments after it was written (a bot rejects the call it was just offered), and
 * parsing it again is the largest cost of that read; a text seen before costs a string compare instead.
 *
 * <p>Only equal texts are matched, so the answer is what the wrapped codec's {@link #decode} gives for
 * that text: nothing is invalidated, whoever else writes the store. Thread-safe.
 *
 * <pre>{@code
 * CallCodec codec = new RecentCallCodec(new GraphCallCodec(), 1024);
 * }</pre>
 */
public final class RecentCallCodec implements CallCodec {

    private final CallCodec codec;
    private final Map<String, Call> recent;

    /** @param capacity how many texts to remember; older ones are forgotten first */
    public RecentCallCodec(CallCodec codec, int capacity) {
        this.codec = Objects.requireNonNull(codec, "codec");
        if (capacity < 1) throw new IllegalArgumentException("capacity must be positive: " + capacity);
        this.recent = new LinkedHashMap<>(capacity * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Call> eldest) {
                return size() > capacity;
            }
        };
    }

    @Override
    public String encode(Call call) {
        String text = codec.encode(call);
        remember(text, call);
        return text;
    }

    @Override
    public Call decode(String encoded) {
        Call known;
        synchronized (recent) {
            known = recent.get(encoded);
        }
        if (known != null) return known;
        Call call = codec.decode(encoded);
        remember(encoded, call);
        return call;
    }

    @Override
    public String resourceData(Call call) {
        return codec.resourceData(call);
    }

    private void remember(String text, Call call) {
        synchronized (recent) {
            recent.put(text, call);
        }
    }
}
