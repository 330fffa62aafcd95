package dev.switchboard.testkit;

import dev.switchboard.core.calls.Call;
import dev.switchboard.core.calls.CallState;
import dev.switchboard.core.calls.Direction;
import dev.switchboard.core.calls.ResultInfo;
import dev.switchboard.core.store.CallStore;
import dev.switchboard.core.store.TimelineEntry;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A call the test placed as the caller app, and what became of it, read from the server's store.
 *
 * <pre>{@code
 * PlacedCall call = sb.placeCall("reception");
 * ResultInfo result = call.awaitEnded();          // waits (real time) until the caller's leg is terminated
 * assertEquals(486, result.code());
 * sb.advance(Duration.ofSeconds(16));             // or let it ring out: 408/8544
 * }</pre>
 *
 * Thread-safe; every read goes to the store, so it always shows the latest state.
 */
public final class PlacedCall {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final String id;
    private final String callChainId;
    private final CallStore store;
    private final java.util.function.ToIntFunction<String> hangUp;

    PlacedCall(String id, String callChainId, CallStore store, java.util.function.ToIntFunction<String> hangUp) {
        this.id = id;
        this.callChainId = callChainId;
        this.store = store;
        this.hangUp = hangUp;
    }

    /**
     * The caller hangs up ({@code DELETE} of its leg through the API): while ringing the bot's leg ends 487,
     * once answered 200/5000. Returns the HTTP status (204 expected).
     */
    public int hangUp() {
        return hangUp.applyAsInt(id);
    }

    /** The caller's leg. */
    public String id() {
        return id;
    }

    public String callChainId() {
        return callChainId;
    }

    /** The caller's leg as stored now. */
    public Call leg() {
        return store.find(id).orElseThrow(() -> new IllegalStateException("call " + id + " is not stored"));
    }

    /** The leg offered to the bot (the id the bot decides on), once the server has created it. */
    public Optional<Call> calleeLeg() {
        return store.recent(500).stream()
                .filter(c -> c.callChainId().equals(callChainId) && c.direction() == Direction.INCOMING)
                .findFirst();
    }

    /** The caller's state as Graph writes it: {@code establishing}, {@code established}, {@code terminated}, … */
    public String state() {
        return leg().state().wireName();
    }

    /** How the caller's leg ended, once it has. */
    public Optional<ResultInfo> resultInfo() {
        return leg().resultInfo();
    }

    /**
     * Waits up to 10 s of real time until the caller's leg is terminated (it does not move the clock).
     *
     * @throws AssertionError when it is still going on after that
     */
    public ResultInfo awaitEnded() {
        return awaitEnded(WAIT);
    }

    public ResultInfo awaitEnded(Duration atMost) {
        awaitState(CallState.TERMINATED, atMost);
        return resultInfo().orElseThrow();
    }

    /** Waits up to {@code atMost} of real time until the caller's leg is in {@code state}. */
    public void awaitState(CallState state, Duration atMost) {
        long end = System.nanoTime() + atMost.toNanos();
        while (leg().state() != state) {
            if (System.nanoTime() > end) {
                throw new AssertionError("call " + id + " is " + state() + ", not " + state.wireName() + ", after "
                        + atMost.toMillis() + " ms; timeline " + timeline());
            }
            sleep();
        }
    }

    /** Waits up to 10 s until the bot's leg exists and is {@code state} (e.g. {@code INCOMING}: offered). */
    public Call awaitCalleeLeg(CallState state) {
        long end = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Optional<Call> leg = calleeLeg();
            if (leg.isPresent() && leg.get().state() == state) return leg.get();
            if (System.nanoTime() > end) throw new AssertionError("the callee's leg of " + id + " is " + leg.map(c -> c.state().wireName()).orElse("absent"));
            sleep();
        }
    }

    /** Every transition and notification of the caller's leg, oldest first. */
    public List<TimelineEntry> timeline() {
        return store.timeline(id);
    }

    /** The same for the bot's leg (empty before it exists). */
    public List<TimelineEntry> calleeTimeline() {
        return calleeLeg().map(c -> store.timeline(c.id())).orElse(List.of());
    }

    private static void sleep() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public String toString() {
        return "PlacedCall " + id + " (chain " + callChainId + ")";
    }
}
