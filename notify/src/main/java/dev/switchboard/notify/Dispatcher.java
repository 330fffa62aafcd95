package dev.switchboard.notify;

import com.nimbusds.jose.jwk.RSAKey;
import dev.switchboard.core.store.CallStore;
import dev.switchboard.core.store.ClaimedNotifications;
import dev.switchboard.core.store.OutboxClaim;
import dev.switchboard.core.store.PendingNotification;
import dev.switchboard.core.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Delivers the outbox: every notification is POSTed to its callback until the bot answers 2xx (at
 * least once; the message id is stable across attempts so bots can drop duplicates). A call's
 * notifications go strictly in seq order: while one is in flight or waiting to be retried, the later
 * ones wait. Different calls go in parallel, up to {@link DispatcherConfig#concurrency()}.
 *
 * <p>One thread owns the scheduling; each delivery waits for its answer on a pool thread of its own
 * (at most {@link DispatcherConfig#concurrency()}). The scheduler wakes when the store commits, when
 * the clock jumps, when an attempt ends, and every {@link DispatcherConfig#rescanInterval()} to read
 * the whole outbox again for anything missed. A store that {@linkplain CallStore#onNotifications hands
 * over} the rows each commit adds (SQLite) is read only at start, on a rescan, and while memory is
 * full; the rest come in memory. Outcomes are written to the store one batch at a time:
 * those that end while a batch is being committed go together in the next. Failed attempts back off
 * from 1 s to 60 s and are retried forever; the backoff lives in memory, so after a restart
 * everything undelivered is tried at once, in order.
 *
 * <p>A notification whose callback URI has a scheme registered as a {@link LocalDelivery} (the SIP
 * bridge's {@code switchboard-sip://…} legs) is handed to that handler in this process instead of being
 * POSTed; ordering, retries and at-least-once are the same. Such a callback names the node that holds
 * the leg ({@code switchboard-sip://<node>}), and only that node is granted its rows.
 *
 * <p>Several nodes may share one outbox (PostgreSQL). Each reads it through {@link CallStore#claim},
 * which grants a call to one node at a time under a lease of {@link DispatcherConfig#lease()}; the
 * holder renews the leases of the calls it has in memory every third of a lease, and a dead node's
 * calls pass to another once theirs run out. Another node's commits wake this one through
 * {@link CallStore#onOutbox}, with the seq to look again from.
 *
 * <pre>{@code
 * try (Dispatcher d = new Dispatcher(store, keys::current, clock, DispatcherConfig.defaults(), DeliveryListener.NONE)) {
 *     d.start();
 *     ...
 * }
 * }</pre>
 */
public final class Dispatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    private static final int PAGE = 500;
    private static final Duration DRAIN = HttpDelivery.ANSWER_TIMEOUT.plusSeconds(2);
    private static final int MAX_ERROR = 500;

    private final CallStore store;
    private final Clock clock;
    private final DispatcherConfig config;
    private final DeliveryListener listener;
    private final ExecutorService senders;
    private final HttpDelivery delivery;
    private final Map<String, LocalDelivery> localDeliveries;
    private final Set<String> localCallbacks;

    private final Semaphore signal = new Semaphore(0);
    private final AtomicBoolean committed = new AtomicBoolean(true);
    /** Where another node's (or connection's) commit asks the next read to start, if before the cursor. */
    private final AtomicLong rewind = new AtomicLong(Long.MAX_VALUE);
    private final ConcurrentLinkedQueue<Finished> finished = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Long> settled = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<List<PendingNotification>> handed = new ConcurrentLinkedQueue<>();
    private final Set<CompletableFuture<?>> writes = ConcurrentHashMap.newKeySet();
    private volatile boolean running;
    private Thread thread;

    // Owned by the dispatcher thread.
    private final Lanes lanes = new Lanes();
    private final List<Long> deliveredBatch = new ArrayList<>();
    private final List<Deferral> deferredBatch = new ArrayList<>();
    private long cursor;
    private long nextRenewal = System.nanoTime();
    private int inFlight;
    private boolean backlogged;

    /**
     * @param signingKey the current notification signing key; asked on every delivery, so rotation is
     *                   picked up without restarting
     * @throws IllegalArgumentException if the trusted certificates file is unusable
     */
    public Dispatcher(CallStore store, Supplier<RSAKey> signingKey, Clock clock, DispatcherConfig config,
                      DeliveryListener listener) {
        this(store, signingKey, clock, config, listener, Map.of());
    }

    /**
     * @param localDeliveries handlers by URI scheme (case-insensitive, without {@code ://}) for callbacks
     *                        delivered in this process; {@code http} and {@code https} cannot be taken over
     * @throws IllegalArgumentException if the trusted certificates file is unusable, or a scheme is
     *                                  {@code http}/{@code https} or not a valid URI scheme
     */
    public Dispatcher(CallStore store, Supplier<RSAKey> signingKey, Clock clock, DispatcherConfig config,
                      DeliveryListener listener, Map<String, LocalDelivery> localDeliveries) {
        this.localDeliveries = schemes(localDeliveries);
        this.localCallbacks = this.localDeliveries.keySet().stream()
                .map(scheme -> scheme + "://" + config.node())
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.config = Objects.requireNonNull(config, "config");
        this.listener = Objects.requireNonNull(listener, "listener");
        AtomicInteger threads = new AtomicInteger();
        // One waiting thread per delivery in flight; the concurrency cap bounds them.
        this.senders = Executors.newFixedThreadPool(config.concurrency(), r -> {
            Thread t = new Thread(r, "switchboard-notify-send-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.delivery = new HttpDelivery(TrustedCertificates.sslContext(config.trustedCertificates()),
                config.concurrency(), new NotificationSigner(signingKey, config.issuer(), clock),
                new CallbackPolicy(config.allowInsecureLoopback()));
    }

    /** Starts delivering on a thread of its own. */
    public synchronized void start() {
        if (thread != null) throw new IllegalStateException("already started");
        running = true;
        boolean handsOver = store.onNotifications(rows -> {
            handed.add(rows);
            wake();
        });
        if (!handsOver) {
            store.onCommit(() -> {
                committed.set(true);
                wake();
            });
        }
        store.onOutbox(lowestSeq -> {
            rewind.accumulateAndGet(Math.max(0, lowestSeq - 1), Math::min);
            wake();
        });
        clock.onJump(this::wake);
        thread = new Thread(this::run, "switchboard-notify");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Stops taking new work, waits up to a few seconds for attempts in flight and for their outcomes
     * to be written. Whatever is left undelivered stays in the outbox for the next start.
     */
    @Override
    public synchronized void close() {
        running = false;
        if (thread != null) {
            wake();
            try {
                thread.join(DRAIN.plusSeconds(5).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        senders.shutdownNow();
        delivery.close();
    }

    private void wake() {
        signal.release();
    }

    private void run() {
        long nextRescan = System.nanoTime();
        boolean failing = false;
        while (running) {
            try {
                boolean rescan = System.nanoTime() - nextRescan >= 0;
                if (rescan) nextRescan = System.nanoTime() + config.rescanInterval().toNanos();
                step(rescan);
                if (failing) log.info("notification dispatcher works again");
                failing = false;
                await(Math.min(nextRescan - System.nanoTime(), nanosToNextRetry()));
            } catch (Throwable t) {
                // once per outage (the store gone for a minute must not log a stack trace a second)
                if (!failing) log.error("notification dispatcher step failed; retrying until it works", t);
                failing = true;
                await(config.rescanInterval().toNanos());
            }
        }
        drain();
    }

    private void step(boolean rescan) {
        takeFinished();
        Long seq;
        while ((seq = settled.poll()) != null) lanes.settle(seq);
        long rewound = rewind.getAndSet(Long.MAX_VALUE);
        if (committed.getAndSet(false) || rescan || backlogged || rewound != Long.MAX_VALUE) {
            // what was handed over before this read is committed, so the read finds it
            handed.clear();
            backlogged = true;  // until the read returns: a read that throws is made again next step
            backlogged = !readFrom(Math.min(cursor, rewound));
        } else {
            takeHanded();
        }
        if (rescan) readFrom(0);
        renewLeases();
        send();
        flush();
    }

    /**
     * Claims the outbox after {@code after}, in seq order, so that a call's notifications are admitted
     * oldest first; the store grants only the calls no other node is delivering.
     *
     * @return false if it stopped because memory is full
     */
    private boolean readFrom(long after) {
        while (true) {
            if (lanes.size() >= config.maxQueued()) return false;
            Instant now = clock.now();
            ClaimedNotifications claimed = store.claim(
                    new OutboxClaim(config.node(), after, PAGE, now, now.plus(config.lease()), localCallbacks));
            for (PendingNotification n : claimed.notifications()) {
                if (lanes.size() >= config.maxQueued()) return false;
                lanes.admit(n);
            }
            after = claimed.scannedTo();
            cursor = Math.max(cursor, after);
            if (!claimed.more()) return true;
        }
    }

    /**
     * Admits the rows commits handed over, as {@link #readFrom} would have read them: past the cursor,
     * in seq order, only what this node may deliver. Once memory is full it stops, and reads take
     * over until there is room: the rows are in the outbox, and the next read drops what is left here.
     */
    private void takeHanded() {
        for (List<PendingNotification> rows = handed.poll(); rows != null; rows = handed.poll()) {
            for (PendingNotification n : rows) {
                if (n.seq() <= cursor) continue;  // a read found it first
                if (lanes.size() >= config.maxQueued()) {
                    backlogged = true;
                    return;
                }
                if (OutboxClaim.reaches(n.callbackUri(), localCallbacks)) lanes.admit(n);
                cursor = n.seq();
            }
        }
    }

    /** Keeps the calls this node holds in memory its own, a third of a lease before they would lapse. */
    private void renewLeases() {
        if (System.nanoTime() - nextRenewal < 0) return;
        nextRenewal = System.nanoTime() + config.lease().toNanos() / 3;
        Set<String> held = lanes.calls();
        if (!held.isEmpty()) store.renewClaims(config.node(), held, clock.now().plus(config.lease()));
    }

    private void send() {
        while (inFlight < config.concurrency()) {
            Lanes.Lane lane = lanes.take(clock.now()).orElse(null);
            if (lane == null) return;
            Lanes.Work work = lane.head();
            work.attempts++;
            inFlight++;
            try {
                senders.execute(() -> {
                    finished.add(new Finished(lane, work, attempt(work.notification)));
                    wake();
                });
            } catch (RejectedExecutionException e) {
                finished.add(new Finished(lane, work, new Outcome.Failed("the dispatcher is stopping")));
            }
        }
    }

    /** One attempt, in this process or over HTTP. Never throws. */
    private Outcome attempt(PendingNotification n) {
        LocalDelivery local = localDeliveries.isEmpty() ? null : localDeliveries.get(scheme(n.callbackUri()));
        if (local == null) return delivery.attempt(n);
        try {
            return local.deliver(n) ? new Outcome.Delivered(0) : new Outcome.Failed("declined by the local handler");
        } catch (RuntimeException e) {
            return new Outcome.Failed("local handler failed: " + e);
        }
    }

    private static String scheme(String uri) {
        int colon = uri == null ? -1 : uri.indexOf(':');
        return colon <= 0 ? "" : uri.substring(0, colon).toLowerCase(Locale.ROOT);
    }

    private static Map<String, LocalDelivery> schemes(Map<String, LocalDelivery> handlers) {
        Map<String, LocalDelivery> bySchemes = new HashMap<>();
        handlers.forEach((scheme, handler) -> {
            String s = scheme.toLowerCase(Locale.ROOT);
            if (!s.matches("[a-z][a-z0-9+.-]*")) throw new IllegalArgumentException("not a URI scheme: " + scheme);
            if (s.equals("http") || s.equals("https")) {
                throw new IllegalArgumentException("the " + s + " scheme is delivered over the network, not locally");
            }
            bySchemes.put(s, Objects.requireNonNull(handler, "handler of " + scheme));
        });
        return Map.copyOf(bySchemes);
    }

    private void takeFinished() {
        for (Finished f = finished.poll(); f != null; f = finished.poll()) {
            inFlight--;
            record(f.lane, f.work, f.outcome);
        }
    }

    private void record(Lanes.Lane lane, Lanes.Work work, Outcome outcome) {
        PendingNotification n = work.notification;
        int attempts = work.attempts;
        Instant now = clock.now();
        if (outcome instanceof Outcome.Delivered) {
            lanes.delivered(lane);
            deliveredBatch.add(n.seq());
            notifyListener(() -> listener.delivered(n, attempts, Duration.between(n.createdAt(), now)));
        } else {
            String reason = truncate(((Outcome.Failed) outcome).reason());
            Instant retryAt = now.plus(Backoff.after(attempts));
            lanes.failed(lane, retryAt);
            deferredBatch.add(new Deferral(n.seq(), retryAt, reason));
            logFailure(n, attempts, reason, retryAt);
            notifyListener(() -> listener.failed(n, attempts, reason));
        }
    }

    /**
     * Writes the outcomes gathered so far, unless the last write is still being committed: then they
     * wait and go with whatever else finishes meanwhile. A delivery that answers at once (in process,
     * or a fast bot) would otherwise cost the store's single writer a work per notification, and the
     * writer, not the bots, would set the pace. The lane of a delivered notification waits for its
     * mark either way, so holding marks back a commit changes no order.
     */
    private void flush() {
        if (!writes.isEmpty()) return;
        flushNow();
    }

    /** Writes the outcomes gathered so far as one unit of work. */
    private void flushNow() {
        if (deliveredBatch.isEmpty() && deferredBatch.isEmpty()) return;
        // in seq order: two nodes recording the same rows (a taken-over call) lock them in one order
        List<Long> delivered = deliveredBatch.stream().sorted().toList();
        List<Deferral> deferred = deferredBatch.stream().sorted(java.util.Comparator.comparingLong(Deferral::seq)).toList();
        deliveredBatch.clear();
        deferredBatch.clear();
        CompletableFuture<Void> write = write(delivered, deferred);
        writes.add(write);
        write.whenComplete((ignored, error) -> {
            if (error != null) {
                // The rows stay undelivered in the outbox; a later rescan sends them again.
                log.error("could not record {} delivered and {} deferred notifications", delivered.size(),
                        deferred.size(), error);
            }
            settled.addAll(delivered);
            writes.remove(write); // before the wake: the step it starts may flush the next batch
            wake();
        });
    }

    private CompletableFuture<Void> write(List<Long> delivered, List<Deferral> deferred) {
        Instant at = clock.now();
        try {
            return store.write(tx -> {
                for (long seq : delivered) tx.delivered(seq, at);
                for (Deferral d : deferred) tx.deferred(d.seq, d.retryAt, d.reason);
                return null;
            });
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void drain() {
        long deadline = System.nanoTime() + DRAIN.toNanos();
        try {
            while (inFlight > 0 && System.nanoTime() - deadline < 0) {
                takeFinished();
                flushNow();
                if (inFlight > 0) await(Math.min(deadline - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(100)));
            }
            takeFinished();
            flushNow();
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("notification dispatcher stopped with outcomes unwritten; they will be sent again", e);
        }
    }

    private long nanosToNextRetry() {
        return lanes.nextRetry()
                .map(at -> Math.max(0, Duration.between(clock.now(), at).toNanos()))
                .orElse(Long.MAX_VALUE);
    }

    private void await(long nanos) {
        try {
            if (nanos > 0) signal.tryAcquire(Math.min(nanos, config.rescanInterval().toNanos()), TimeUnit.NANOSECONDS);
            signal.drainPermits();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private void notifyListener(Runnable event) {
        try {
            event.run();
        } catch (RuntimeException e) {
            log.warn("delivery listener failed", e);
        }
    }

    private static void logFailure(PendingNotification n, int attempt, String reason, Instant retryAt) {
        // The first failure and then every tenth: a bot that is down for an hour must not flood the log.
        if (attempt == 1 || attempt % 10 == 0) {
            log.warn("notification {} of call {} to {} failed (attempt {}): {}; retrying at {}",
                    n.messageId(), n.callId(), n.callbackUri(), attempt, reason, retryAt);
        } else if (log.isDebugEnabled()) {
            log.debug("notification {} of call {} failed (attempt {}): {}", n.messageId(), n.callId(), attempt, reason);
        }
    }

    private static String truncate(String reason) {
        return reason.length() <= MAX_ERROR ? reason : reason.substring(0, MAX_ERROR);
    }

    private record Finished(Lanes.Lane lane, Lanes.Work work, Outcome outcome) {}

    private record Deferral(long seq, Instant retryAt, String reason) {}
}
