package dev.switchboard.bot.internal;

import dev.switchboard.bot.IncomingCall;

import java.util.concurrent.atomic.AtomicBoolean;

/** An offered call whose decision has not been claimed yet; the handler and the deadline guard race for it. */
final class Pending {

    final IncomingCall call;
    private final AtomicBoolean claimed = new AtomicBoolean();

    Pending(IncomingCall call) {
        this.call = call;
    }

    /** True for exactly one caller: the one whose decision is sent. */
    boolean claim() {
        return claimed.compareAndSet(false, true);
    }

    boolean claimed() {
        return claimed.get();
    }
}
