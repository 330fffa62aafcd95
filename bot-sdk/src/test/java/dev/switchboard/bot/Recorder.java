package dev.switchboard.bot;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A listener that keeps everything a bot reports, and lets a test wait for it. */
final class Recorder extends BotListener {

    final BlockingQueue<IncomingCall> offered = new LinkedBlockingQueue<>();
    final BlockingQueue<CallEvent> established = new LinkedBlockingQueue<>();
    final BlockingQueue<CallEvent> terminated = new LinkedBlockingQueue<>();
    final BlockingQueue<CallEvent> updated = new LinkedBlockingQueue<>();
    final BlockingQueue<String> sent = new LinkedBlockingQueue<>();
    final BlockingQueue<String> failed = new LinkedBlockingQueue<>();
    final BlockingQueue<Decision> dropped = new LinkedBlockingQueue<>();
    final List<String> refused = new CopyOnWriteArrayList<>();

    @Override
    public void callOffered(IncomingCall call) {
        offered.add(call);
    }

    @Override
    public void callEstablished(CallEvent event) {
        established.add(event);
    }

    @Override
    public void callTerminated(CallEvent event) {
        terminated.add(event);
    }

    @Override
    public void callUpdated(CallEvent event) {
        updated.add(event);
    }

    @Override
    public void decisionSent(IncomingCall call, Decision decision, boolean fallback) {
        sent.add((fallback ? "fallback " : "") + decision);
    }

    @Override
    public void decisionFailed(IncomingCall call, Decision decision, Throwable failure) {
        failed.add(decision + ": " + failure);
    }

    @Override
    public void lateDecisionDropped(IncomingCall call, Decision late) {
        dropped.add(late);
    }

    @Override
    public void notificationRefused(int status, String reason) {
        refused.add(status + " " + reason);
    }

    static <T> T next(BlockingQueue<T> queue) {
        return next(queue, Duration.ofSeconds(5));
    }

    static <T> T next(BlockingQueue<T> queue, Duration atMost) {
        try {
            T t = queue.poll(atMost.toMillis(), TimeUnit.MILLISECONDS);
            if (t == null) throw new AssertionError("nothing reported within " + atMost.toMillis() + " ms");
            return t;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
