package dev.switchboard.bot.internal;

import dev.switchboard.bot.ActiveCalls;
import dev.switchboard.bot.BotListener;
import dev.switchboard.bot.CallEvent;
import dev.switchboard.bot.Decision;
import dev.switchboard.bot.Identity;
import dev.switchboard.bot.IncomingCall;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Turns verified notifications into what the bot sees: offers for the handler, lifecycle events for the
 * listener, and the set of calls the bot holds. {@link #accept} is called on one thread in arrival order;
 * the view of active calls may be read from any thread.
 */
final class CallTracker implements ActiveCalls {

    private final Set<String> active = ConcurrentHashMap.newKeySet();
    private final Duration answerTimeout;
    private final InstantSource clock;
    private final BotListener listener;
    private Consumer<IncomingCall> offers = c -> { };

    CallTracker(Duration answerTimeout, InstantSource clock, BotListener listener) {
        this.answerTimeout = answerTimeout;
        this.clock = clock;
        this.listener = listener;
    }

    void onOffer(Consumer<IncomingCall> offers) {
        this.offers = offers;
    }

    void accept(Notification n, String tokenTenant, Instant receivedAt) {
        if (!n.isCall()) return;
        String state = n.state();
        if (n.changeType().equals("created") && state.equals("incoming")) {
            IncomingCall call = incoming(n, tokenTenant, receivedAt);
            Listeners.safely(() -> listener.callOffered(call));
            offers.accept(call);
        } else if (n.changeType().equals("deleted") || state.equals("terminated")) {
            active.remove(n.callId());
            CallEvent e = CallReader.event(n);
            Listeners.safely(() -> listener.callTerminated(e));
        } else if (state.equals("established")) {
            active.add(n.callId());
            CallEvent e = CallReader.event(n);
            Listeners.safely(() -> listener.callEstablished(e));
        } else {
            CallEvent e = CallReader.event(n);
            Listeners.safely(() -> listener.callUpdated(e));
        }
    }

    /**
     * Takes a place for an answer about to be sent, if fewer than {@code max} are taken: one atomic
     * step, so that simultaneous offers cannot all see the last place free.
     */
    synchronized boolean admit(String callId, int max) {
        if (active.contains(callId)) return true;
        if (active.size() >= max) return false;
        active.add(callId);
        return true;
    }

    /** An answer that could not be sent gives its place back. */
    void release(String callId) {
        active.remove(callId);
    }

    private IncomingCall incoming(Notification n, String tokenTenant, Instant receivedAt) {
        String tenant = Json.text(n.resourceData(), "tenantId");
        return new IncomingCall(n.callId(), tenant.isEmpty() ? tokenTenant : tenant,
                CallReader.participant(n.resourceData().get("source")).orElse(Identity.unknown()),
                CallReader.targets(n.resourceData()), CallReader.invitation(n.resourceData()),
                receivedAt.plus(answerTimeout), clock, this, Json.toMap(n.resourceData()));
    }

    @Override
    public int size() {
        return active.size();
    }

    @Override
    public boolean contains(String callId) {
        return active.contains(callId);
    }

    @Override
    public Set<String> ids() {
        return Set.copyOf(active);
    }
}
