package dev.switchboard.bot.internal;

import com.microsoft.kiota.ApiException;
import dev.switchboard.bot.BotListener;
import dev.switchboard.bot.CallHandler;
import dev.switchboard.bot.Decision;
import dev.switchboard.bot.IncomingCall;
import dev.switchboard.bot.RejectReason;

import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * Gets each offered call decided exactly once: asks the handler on the handler executor, lets the
 * deadline guard send the fallback when the handler is late, throws, or returns null, and sends the
 * winner with retries where they are safe. Thread-safe.
 */
final class Decider {

    private static final int ATTEMPTS = 3;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);

    private final CallHandler handler;
    private final Decision fallback;
    private final Duration margin;
    private final Executor handlers;
    private final Executor senders;
    private final DeadlineGuard guard;
    private final DecisionSender sender;
    private final BotListener listener;
    private final CallTracker places;
    private final int maxActiveCalls;

    Decider(CallHandler handler, Decision fallback, Duration margin, Executor handlers, Executor senders,
            java.time.InstantSource clock, DecisionSender sender, BotListener listener,
            CallTracker places, int maxActiveCalls) {
        this.handler = handler;
        this.fallback = fallback;
        this.margin = margin;
        this.handlers = handlers;
        this.senders = senders;
        this.sender = sender;
        this.listener = listener;
        this.places = places;
        this.maxActiveCalls = maxActiveCalls;
        this.guard = new DeadlineGuard(clock, p -> senders.execute(() -> deliver(p.call, fallback, true)));
    }

    void offer(IncomingCall call) {
        Pending p = new Pending(call);
        guard.watch(p, call.deadline().minus(margin));
        handlers.execute(() -> decide(p));
    }

    private void decide(Pending p) {
        Decision d;
        try {
            d = handler.decide(p.call);
            if (d == null) throw new IllegalStateException("the handler returned no decision");
        } catch (Throwable t) {
            Listeners.safely(() -> listener.handlerFailed(p.call, t));
            if (p.claim()) deliver(p.call, fallback, true);
            return;
        }
        if (p.claim()) {
            deliver(p.call, d, false);
        } else {
            Listeners.safely(() -> listener.lateDecisionDropped(p.call, d));
        }
    }

    private void deliver(IncomingCall call, Decision wanted, boolean isFallback) {
        boolean answer = wanted instanceof Decision.Answer;
        Decision d = answer && !places.admit(call.id(), maxActiveCalls) ? Decision.reject(RejectReason.BUSY) : wanted;
        Duration backoff = FIRST_BACKOFF;
        for (int attempt = 1; ; attempt++) {
            try {
                sender.send(call.id(), d);
                Listeners.safely(() -> listener.decisionSent(call, d, isFallback));
                return;
            } catch (RuntimeException e) {
                boolean again = attempt < ATTEMPTS && retryable(e, d) && call.remaining().compareTo(backoff) > 0;
                if (!again) {
                    if (d instanceof Decision.Answer) places.release(call.id());
                    Listeners.safely(() -> listener.decisionFailed(call, d, e));
                    return;
                }
                sleep(backoff);
                backoff = backoff.multipliedBy(2);
            }
        }
    }

    /** A refusal (4xx) is final; a transport failure or 5xx may be retried when the decision is idempotent. */
    private static boolean retryable(RuntimeException e, Decision d) {
        if (!DecisionSender.idempotent(d)) return false;
        if (e instanceof ApiException api) {
            int status = api.getResponseStatusCode();
            return status == 0 || status >= 500;
        }
        return true;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void close() {
        guard.close();
    }
}
