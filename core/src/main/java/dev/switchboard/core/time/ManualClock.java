package dev.switchboard.core.time;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A clock that moves only when told to. Thread-safe. */
public final class ManualClock implements Clock {

    private volatile Instant now;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    public ManualClock(Instant start) {
        this.now = start;
    }

    @Override
    public Instant now() {
        return now;
    }

    public synchronized void advance(Duration by) {
        if (by.isNegative()) throw new IllegalArgumentException("time does not go back");
        now = now.plus(by);
        listeners.forEach(Runnable::run);
    }

    @Override
    public void onJump(Runnable listener) {
        listeners.add(listener);
    }
}
