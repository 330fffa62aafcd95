package dev.switchboard.notify;

import dev.switchboard.core.calls.ChangeType;
import dev.switchboard.core.store.CallStore;
import dev.switchboard.core.store.CallWrites;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dispatcher writes its delivered marks one write at a time: what is delivered while a write is
 * being committed goes into the next one. Without that, a transport that answers at once (an
 * in-process hand-over, a fast bot) turned every delivery into a store write of its own, and the
 * store's single writer, not the deliveries, set the pace.
 */
class DeliveredMarksTest {

    private static final String INTERNAL = "switchboard-sip://node-1";

    @TempDir
    Path dir;
    Harness h;
    /** How many delivered marks each of the dispatcher's writes carried, in commit order. */
    final List<Integer> marksPerWrite = new CopyOnWriteArrayList<>();
    /** Holds back the dispatcher's first write from completing, as a slow commit would. */
    final CompletableFuture<Void> firstCommit = new CompletableFuture<>();

    @BeforeEach
    void setUp() throws Exception {
        h = new Harness(dir);
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    @Test
    void marksOfDeliveriesMadeWhileAWriteIsPendingAreWrittenTogetherOnceItCompletes() {
        try (Dispatcher d = new Dispatcher(countingMarks(h.outbox.store()), () -> Harness.KEY, h.clock,
                Harness.devConfig(), h.events, Map.of("switchboard-sip", n -> true))) {
            d.start();
            h.outbox.enqueue(h.outbox.call(INTERNAL), ChangeType.CREATED);
            await().until(() -> marksPerWrite.size() == 1);

            for (int call = 0; call < 3; call++) {
                String id = h.outbox.enqueue(h.outbox.call(INTERNAL), ChangeType.CREATED).get(0);
                await().until(() -> h.events.delivered.contains(id));
            }
            firstCommit.complete(null);
            await().until(() -> h.outbox.undelivered().isEmpty());
        }

        assertThat(marksPerWrite).containsExactly(1, 3);
    }

    /** The store, with each write's delivered marks counted and the first write's completion held. */
    private CallStore countingMarks(CallStore store) {
        AtomicInteger writes = new AtomicInteger();
        return Intercept.proxy(CallStore.class, store, (method, args) -> {
            if (!method.getName().equals("write")) return method.invoke(store, args);
            @SuppressWarnings("unchecked")
            Function<CallWrites, Object> work = (Function<CallWrites, Object>) args[0];
            AtomicInteger marks = new AtomicInteger();
            CompletableFuture<Object> committed = store.write(tx -> work.apply(counting(tx, marks)))
                    .thenApply(result -> {
                        marksPerWrite.add(marks.get());
                        return result;
                    });
            return writes.incrementAndGet() == 1 ? committed.thenCombine(firstCommit, (r, ignored) -> r) : committed;
        });
    }

    private static CallWrites counting(CallWrites tx, AtomicInteger marks) {
        return Intercept.proxy(CallWrites.class, tx, (method, args) -> {
            if (method.getName().equals("delivered")) marks.incrementAndGet();
            return method.invoke(tx, args);
        });
    }
}
