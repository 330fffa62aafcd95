package dev.switchboard.sip;

import dev.switchboard.core.time.Clock;
import dev.switchboard.core.time.ClockedLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.ClientTransaction;
import javax.sip.ResponseEvent;
import javax.sip.TimeoutEvent;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.MinExpiresHeader;
import javax.sip.message.Message;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ListIterator;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps the trunk told where to send calls for the bridge's address (RFC 3261 10): a REGISTER when the
 * bridge starts, again at half of what the trunk granted, and one that removes the binding when it
 * stops. Consumer SIP providers, and many carriers, deliver inbound calls only to a registered contact.
 *
 * <ul>
 *   <li>A 401 or 407 is answered once with the trunk's login, as an INVITE's is.</li>
 *   <li>423 Interval Too Brief: asked again at once for the trunk's {@code Min-Expires}.</li>
 *   <li>Any other failure, a grant under 2 s, or no answer: tried again after 30 s, doubling to 5
 *       minutes, while a binding already granted stays good until it runs out.</li>
 * </ul>
 *
 * Times come from the injected {@link Clock}, so tests move time instead of waiting. Thread-safe: one
 * thread of its own sends; the SIP stack's threads deliver the answers.
 */
final class TrunkRegistration implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TrunkRegistration.class);
    static final Duration FIRST_RETRY = Duration.ofSeconds(30);
    static final Duration LAST_RETRY = Duration.ofMinutes(5);
    /** A grant shorter than this is a failure, not a binding: its refresh would come at once. */
    static final Duration SHORTEST_KEPT = Duration.ofSeconds(2);
    private static final long UNREGISTER_WAIT_MILLIS = 2_000;

    private final SipOutbound trunk;
    private final SipWire wire;
    private final Clock clock;
    private final ClockedLoop loop;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final String callId;

    // all guarded by lock
    private Duration asked;
    private long cseq;
    private Instant due;
    private Optional<Instant> boundUntil = Optional.empty();
    private Optional<ClientTransaction> inFlight = Optional.empty();
    private boolean answeredChallenge;
    private boolean askedAgain;
    private int failures;
    private boolean removing;
    private boolean removed;

    /** @param trunk a trunk with {@link SipOutbound#register()} present */
    TrunkRegistration(SipOutbound trunk, SipWire wire, Clock clock) {
        this.trunk = trunk;
        this.wire = wire;
        this.clock = clock;
        this.asked = trunk.register().orElseThrow(() -> new IllegalArgumentException("the trunk asks for no registration"));
        this.callId = UUID.randomUUID() + "@switchboard";  // the stack's own Call-IDs need it listening
        this.due = clock.now();
        this.loop = new ClockedLoop("switchboard-sip-register", clock, this::step);
    }

    /** Sends the first REGISTER now; the stack must be listening. */
    TrunkRegistration start() {
        String contactHost = wire.messages().contactHost();
        if (isLoopback(contactHost) && !isLoopback(trunk.host())) {
            log.warn("registering {} with the trunk at {} as reachable at {}, which the trunk cannot reach; set"
                    + " sip.advertisedHost (or sip.host) to an address it can", trunk.from(), trunk.host(), contactHost);
        }
        loop.start();
        return this;
    }

    /** Whether the trunk holds a binding that has not run out: whether calls for our address can arrive. */
    boolean registered() {
        lock.lock();
        try {
            return boundUntil.filter(clock.now()::isBefore).isPresent();
        } finally {
            lock.unlock();
        }
    }

    /** Failed attempts since the last success: what the wait before the next attempt grows with. */
    int failuresInARow() {
        lock.lock();
        try {
            return failures;
        } finally {
            lock.unlock();
        }
    }

    /** An answer to one of our REGISTERs; false if the response is about something else. */
    boolean response(ResponseEvent event) {
        Response r = event.getResponse();
        if (!ours(r)) return false;
        int status = r.getStatusCode();
        if (status < 200) return true;
        lock.lock();
        try {
            if (inFlight.isEmpty() || event.getClientTransaction() != inFlight.get()) {
                return true;  // an answer to a REGISTER that a challenge's answer replaced
            }
            inFlight = Optional.empty();
            if (status < 300) {
                granted(r);
            } else if ((status == Response.UNAUTHORIZED || status == Response.PROXY_AUTHENTICATION_REQUIRED)
                    && !answeredChallenge && trunk.login().isPresent()) {
                answerChallenge(event);
            } else if (status == Response.INTERVAL_TOO_BRIEF && !askedAgain && r.getHeader(MinExpiresHeader.NAME) != null) {
                askedAgain = true;
                asked = Duration.ofSeconds(((MinExpiresHeader) r.getHeader(MinExpiresHeader.NAME)).getExpires());
                due = clock.now();
                log.info("the trunk wants registrations of at least {} s; asking again", asked.toSeconds());
            } else {
                failed(status + " " + r.getReasonPhrase());
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        loop.wake();
        return true;
    }

    /** One of our REGISTERs got no answer at all (Timer F); false if the timeout is about something else. */
    boolean timeout(TimeoutEvent event) {
        if (event.isServerTransaction() || !ours(event.getClientTransaction().getRequest())) return false;
        lock.lock();
        try {
            if (inFlight.isPresent() && inFlight.get() == event.getClientTransaction()) {
                inFlight = Optional.empty();
                failed("no answer");
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
        loop.wake();
        return true;
    }

    private boolean ours(Message m) {
        return SipMessages.belongsTo(m, callId, Request.REGISTER);
    }

    private void granted(Response r) {
        if (removing) {
            removed = true;
            boundUntil = Optional.empty();
            return;
        }
        Duration kept = grantedFor(r).orElse(asked);
        if (kept.compareTo(SHORTEST_KEPT) < 0) {
            // refreshing a binding of no time at once would be a loop of REGISTERs
            failed("the trunk kept the binding for " + kept.toSeconds() + " s");
            return;
        }
        Instant now = clock.now();
        boolean was = boundUntil.filter(now::isBefore).isPresent();
        boundUntil = Optional.of(now.plus(kept));
        due = now.plus(kept.dividedBy(2));
        failures = 0;
        askedAgain = false;
        if (!was) log.info("registered {} with the trunk at {}:{} for {} s", trunk.from(), trunk.host(), trunk.port(), kept.toSeconds());
    }

    /** What the registrar granted our Contact: its {@code expires} parameter, else the Expires header. */
    private Optional<Duration> grantedFor(Response r) {
        SipURI mine;
        try {
            mine = wire.messages().registeredContact(trunk);
        } catch (java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
        ListIterator<?> contacts = r.getHeaders(ContactHeader.NAME);
        while (contacts.hasNext()) {
            ContactHeader c = (ContactHeader) contacts.next();
            if (c.getAddress().getURI() instanceof SipURI uri && sameBinding(uri, mine) && c.getExpires() >= 0) {
                return Optional.of(Duration.ofSeconds(c.getExpires()));
            }
        }
        ExpiresHeader expires = (ExpiresHeader) r.getHeader(ExpiresHeader.NAME);
        return expires == null ? Optional.empty() : Optional.of(Duration.ofSeconds(expires.getExpires()));
    }

    private static boolean sameBinding(SipURI a, SipURI b) {
        return a.getHost().equalsIgnoreCase(b.getHost()) && a.getPort() == b.getPort()
                && String.valueOf(a.getUser()).equals(String.valueOf(b.getUser()));
    }

    private void answerChallenge(ResponseEvent event) {
        answeredChallenge = true;
        try {
            ClientTransaction again = wire.authenticate(event.getResponse(), event.getClientTransaction(),
                    trunk.login().orElseThrow(), trunk.host());
            cseq = ((CSeqHeader) again.getRequest().getHeader(CSeqHeader.NAME)).getSeqNumber();
            inFlight = Optional.of(again);
        } catch (Exception e) {
            log.warn("could not answer the trunk's challenge to our REGISTER", e);
            failed("challenge not answered");
        }
    }

    private void failed(String why) {
        if (removing) return;  // close() reports that the removal was not confirmed
        failures++;
        Duration wait = retryAfter(failures);
        due = clock.now().plus(wait);
        log.warn("registering {} with the trunk at {}:{} failed ({}); trying again in {} s{}", trunk.from(), trunk.host(),
                trunk.port(), why, wait.toSeconds(),
                boundUntil.filter(clock.now()::isBefore).map(u -> ", the last binding holds until " + u).orElse(""));
    }

    /** 30 s after the first failure in a row, doubling, at most 5 minutes. */
    static Duration retryAfter(int failures) {
        Duration wait = FIRST_RETRY;
        for (int i = 1; i < failures && wait.compareTo(LAST_RETRY) < 0; i++) wait = wait.multipliedBy(2);
        return wait.compareTo(LAST_RETRY) > 0 ? LAST_RETRY : wait;
    }

    /** Sends a REGISTER if one is due and none is out; returns when to look again. */
    private Instant step(Instant now) {
        lock.lock();
        try {
            if (inFlight.isEmpty() && !now.isBefore(due)) send(asked);
            return inFlight.isPresent() ? now.plusSeconds(1) : due;  // an answer wakes the loop sooner
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock. */
    private void send(Duration expires) {
        answeredChallenge = false;
        try {
            inFlight = Optional.of(wire.start(wire.messages().register(trunk, callId, ++cseq, expires)));
        } catch (Exception e) {
            inFlight = Optional.empty();
            failed(e.toString());
        }
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
    }

    /**
     * Stops refreshing and, if the trunk holds a binding, asks it to remove it (Expires 0), waiting up to
     * two seconds for the answer: a trunk that still believes in us would send calls into the void.
     */
    @Override
    public void close() {
        loop.close();
        lock.lock();
        try {
            if (boundUntil.filter(clock.now()::isBefore).isEmpty()) return;
            removing = true;
            send(Duration.ZERO);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(UNREGISTER_WAIT_MILLIS);
            while (!removed && inFlight.isPresent()) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !changed.await(left, TimeUnit.NANOSECONDS)) break;
            }
            if (!removed) log.warn("the trunk did not confirm that it removed our registration");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }
}
