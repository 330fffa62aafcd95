package dev.switchboard.sip;

import dev.switchboard.core.calls.Call;
import dev.switchboard.core.calls.CallState;
import dev.switchboard.core.store.PendingNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which {@link SipLeg} something is about: a CANCEL, ACK, BYE or re-sent INVITE (by Call-ID and From
 * tag), a caller leg's notification (by leg id), the callee's {@code created} (by call chain id, for
 * 180 Ringing). Thread-safe.
 *
 * <p>A quick bot can decide before the store's completion of the place has reached the bridge, so the
 * leg's ids are not known yet when its notifications arrive. While any place is in flight, such
 * notifications and ringing are held back and handed to {@link #bind} instead of being dropped.
 */
final class SipLegs {

    private static final Logger log = LoggerFactory.getLogger(SipLegs.class);

    /** How a completed place ended up tied to its leg. */
    enum Binding {
        BOUND,
        /** The retry key found a call an earlier INVITE with the same key still holds. */
        HELD_BY_ANOTHER_LEG,
        /** The retry key found a call placed for an earlier INVITE, already over. */
        OVER
    }

    /** Applies what arrived for a leg before it was bound. */
    interface CatchUp {
        void apply(List<PendingNotification> owed, boolean ring);
    }

    // bySip is read without the lock by requests from callers; the rest is guarded by it
    private final Object lock = new Object();
    private final Map<String, SipLeg> bySip = new ConcurrentHashMap<>();
    private final Map<String, SipLeg> byLeg = new HashMap<>();
    private final Map<String, SipLeg> byChain = new HashMap<>();
    private final Map<String, List<PendingNotification>> parked = new HashMap<>();
    private final Set<String> earlyRinging = new HashSet<>();
    private int placing;

    /** The leg of the INVITE with this Call-ID and From tag, or null. */
    SipLeg byKey(String key) {
        return bySip.get(key);
    }

    Collection<SipLeg> all() {
        return bySip.values();
    }

    /**
     * Registers a new INVITE's leg; false while another INVITE with the same key is still open (the
     * same INVITE again on another branch, RFC 3261 8.2.2.2). An ended one is replaced.
     */
    boolean open(SipLeg leg) {
        SipLeg earlier = bySip.putIfAbsent(leg.key, leg);
        if (earlier == null) return true;
        synchronized (earlier) {
            if (earlier.stage != SipLeg.Stage.ENDED) return false;
        }
        bySip.put(leg.key, leg);
        return true;
    }

    /** A place is in flight until {@link #bind} or {@link #abandon} ends it. */
    void placing() {
        synchronized (lock) {
            placing++;
        }
    }

    /**
     * The leg a caller leg's notification is about, or null: then the notification is parked for a
     * place in flight, or (none in flight) it is for a leg that is over or was placed before a restart.
     */
    SipLeg forNotification(PendingNotification n) {
        synchronized (lock) {
            SipLeg leg = byLeg.get(n.callId());
            if (leg != null) return leg;
            if (placing > 0) {
                parked.computeIfAbsent(n.callId(), k -> new ArrayList<>()).add(n);
            } else {
                log.debug("no SIP transaction for leg {} (over, or placed before a restart); {} {} dropped",
                        n.callId(), n.changeType().wireName(), n.messageId());
            }
            return null;
        }
    }

    /** The leg of a call chain whose callee has heard of the call, or null (remembered for a place in flight). */
    SipLeg forRinging(String chainId) {
        synchronized (lock) {
            SipLeg leg = byChain.get(chainId);
            if (leg == null && placing > 0) earlyRinging.add(chainId);
            return leg;
        }
    }

    /** The place failed: the leg is forgotten. */
    void abandon(SipLeg leg) {
        synchronized (lock) {
            bySip.remove(leg.key, leg);
            donePlacing();
        }
    }

    /**
     * Ties the leg to its placed call and runs {@code catchUp} with what arrived meanwhile. Runs under
     * the registry's lock so that a notification delivered later cannot overtake the parked ones. A
     * leg that is not bound is forgotten.
     */
    Binding bind(SipLeg leg, Call call, CatchUp catchUp) {
        synchronized (lock) {
            try {
                SipLeg other = byLeg.get(call.id());
                if (call.state() == CallState.TERMINATED || (other != null && other != leg)) {
                    bySip.remove(leg.key, leg);
                    return other != null ? Binding.HELD_BY_ANOTHER_LEG : Binding.OVER;
                }
                synchronized (leg) {
                    leg.legId = call.id();
                    leg.chainId = call.callChainId();
                }
                byLeg.put(call.id(), leg);
                byChain.put(call.callChainId(), leg);
                List<PendingNotification> owed = parked.getOrDefault(call.id(), List.of());
                parked.remove(call.id());
                catchUp.apply(owed, earlyRinging.remove(call.callChainId()));
                return Binding.BOUND;
            } finally {
                donePlacing();
            }
        }
    }

    void forget(SipLeg leg) {
        synchronized (lock) {
            if (leg.legId != null) byLeg.remove(leg.legId, leg);
            if (leg.chainId != null) byChain.remove(leg.chainId, leg);
            bySip.remove(leg.key, leg);
        }
    }

    /** Under the lock. Once no place is in flight, nothing parked can still find its leg. */
    private void donePlacing() {
        if (--placing == 0) {
            if (!parked.isEmpty()) log.debug("dropping notifications of {} unknown legs", parked.size());
            parked.clear();
            earlyRinging.clear();
        }
    }
}
