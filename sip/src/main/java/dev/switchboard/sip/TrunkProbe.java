package dev.switchboard.sip;

import dev.switchboard.core.time.Clock;
import dev.switchboard.core.time.ClockedLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.ClientTransaction;
import javax.sip.ResponseEvent;
import javax.sip.message.Request;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Asks the trunk an OPTIONS every {@code sip.outbound.keepAlive}, as SBCs and carriers expect of a peer
 * (and as keeps a NAT's mapping open), and says whether it answers: any response counts, since even a
 * 404 or 405 comes from a live trunk; an OPTIONS still unanswered when the next is due, or one that
 * could not be sent, marks it down. Whether it is up is {@code switchboard_sip_trunk_up}.
 *
 * <p>Times come from the injected {@link Clock}. Thread-safe: one thread of its own sends; the SIP
 * stack's threads deliver the answers.
 */
final class TrunkProbe implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TrunkProbe.class);

    private final SipOutbound trunk;
    private final Duration every;
    private final SipWire wire;
    private final ClockedLoop loop;
    private final String callId = UUID.randomUUID() + "@switchboard";
    private final Object monitor = new Object();

    // guarded by monitor
    private long cseq;
    private Instant due;
    private Optional<ClientTransaction> waiting = Optional.empty();
    private boolean up;
    private boolean answeredOnce;  // judged once, answered or not

    TrunkProbe(SipOutbound trunk, Duration every, SipWire wire, Clock clock) {
        this.trunk = trunk;
        this.every = every;
        this.wire = wire;
        this.due = clock.now();
        this.loop = new ClockedLoop("switchboard-sip-probe", clock, this::step);
    }

    TrunkProbe start() {
        loop.start();
        return this;
    }

    /** Whether the trunk answered the last OPTIONS that could be judged. False before the first answer. */
    boolean up() {
        synchronized (monitor) {
            return up;
        }
    }

    /** An answer to one of our OPTIONS; false if the response is about something else. */
    boolean response(ResponseEvent event) {
        if (!SipMessages.belongsTo(event.getResponse(), callId, Request.OPTIONS)) return false;
        if (event.getResponse().getStatusCode() < 200) return true;
        synchronized (monitor) {
            if (waiting.isPresent() && waiting.get() == event.getClientTransaction()) {
                waiting = Optional.empty();
                judged(true, event.getResponse().getStatusCode() + " " + event.getResponse().getReasonPhrase());
            }
        }
        return true;
    }

    /** Under the monitor. */
    private void judged(boolean answered, String how) {
        if (!answeredOnce || answered != up) {  // changes only: a trunk down for a day is one line
            if (answered) log.info("the trunk at {}:{} answers ({})", trunk.host(), trunk.port(), how);
            else log.warn("the trunk at {}:{} does not answer: {}", trunk.host(), trunk.port(), how);
        }
        up = answered;
        answeredOnce = true;
    }

    /** Judges the OPTIONS before if the next is due, and sends the next; returns when that is. */
    private Instant step(Instant now) {
        synchronized (monitor) {
            if (!now.isBefore(due)) {
                if (waiting.isPresent()) {  // the stack ends that transaction itself, by Timer F
                    waiting = Optional.empty();
                    judged(false, "no answer within " + every.toSeconds() + " s");
                }
                probe();
                due = now.plus(every);
            }
            return due;
        }
    }

    /** Under the monitor. */
    private void probe() {
        try {
            waiting = Optional.of(wire.start(wire.messages().options(trunk, callId, ++cseq)));
        } catch (Exception e) {
            waiting = Optional.empty();
            judged(false, e.toString());
        }
    }

    @Override
    public void close() {
        loop.close();
    }
}
