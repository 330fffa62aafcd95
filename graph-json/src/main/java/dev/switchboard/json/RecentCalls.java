package dev.switchboard.json;

import dev.switchboard.core.calls.Call;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The calls most recently encoded or decoded, by their stored text. A leg is written once per
 * transition and read back by the next action on its conversation; remembering the pair saves the
 * JSON parse on that read. Two generations bound the memory: when the young one fills, it becomes
 * the old one and the old one is dropped. Thread-safe.
 */
final class RecentCalls {

    private final int generationSize;
    private volatile Map<String, Call> young = new ConcurrentHashMap<>();
    private volatile Map<String, Call> old = Map.of();

    RecentCalls(int generationSize) {
        this.generationSize = generationSize;
    }

    Call get(String encoded) {
        Call call = young.get(encoded);
        return call != null ? call : old.get(encoded);
    }

    void put(String encoded, Call call) {
        Map<String, Call> current = young;
        if (current.size() >= generationSize) {
            synchronized (this) {
                if (young == current) {
                    old = current;
                    young = new ConcurrentHashMap<>();
                }
            }
        }
        young.put(encoded, call);
    }
}
