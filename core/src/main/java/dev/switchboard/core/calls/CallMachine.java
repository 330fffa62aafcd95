package dev.switchboard.core.calls;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The one place that decides what a call's state becomes. Pure: it reads the conversation as stored
 * and returns the legs to write and the notifications owed; the caller writes them atomically with a
 * compare-and-set on each leg's version, so two racing commands cannot both win.
 */
public final class CallMachine {

    private final Duration answerTimeout;
    private final Supplier<String> ids;
    private final Set<String> forwardableCallers;

    public CallMachine(Duration answerTimeout, Supplier<String> ids) {
        this(answerTimeout, ids, Set.of());
    }

    /**
     * @param forwardableCallers apps whose placed calls stand for a caller outside Switchboard that can
     *                           be sent on to a phone number or SIP address itself (the SIP bridge: a
     *                           302); a call placed by any other app can be redirected to apps only
     */
    public CallMachine(Duration answerTimeout, Supplier<String> ids, Set<String> forwardableCallers) {
        this.forwardableCallers = Set.copyOf(forwardableCallers);
        if (answerTimeout.isNegative() || answerTimeout.isZero()) {
            throw new IllegalArgumentException("answer timeout must be positive");
        }
        this.answerTimeout = answerTimeout;
        this.ids = ids;
    }

    public Duration answerTimeout() {
        return answerTimeout;
    }

    /** A new conversation: the caller's leg, establishing, and one incoming leg per offer. */
    public Verdict.Applied place(PlaceCall request, Instant now) {
        String chainId = ids.get();
        Party source = request.source().participantId().isPresent()
                ? request.source() : request.source().withParticipantId(ids.get());
        Call caller = new Call(ids.get(), request.tenantId(), request.callerAppId(), Direction.OUTGOING,
                CallState.ESTABLISHING, 0, request.callbackUri(), source, request.targets(),
                request.requestedModalities(), request.invitation(), chainId, source.participantId().orElseThrow(),
                Optional.empty(), Optional.empty(), now, now);
        List<Call> created = new ArrayList<>();
        created.add(caller);
        List<Notice> notices = new ArrayList<>();
        for (Offer offer : request.offers()) {
            Call leg = offer(offer, source, request.targets(), request.requestedModalities(), request.invitation(),
                    chainId, now);
            created.add(leg);
            notices.add(new Notice(ChangeType.CREATED, leg));
        }
        return new Verdict.Applied(List.of(), created, notices);
    }

    private Call offer(Offer offer, Party source, List<Party> targets, List<Modality> modalities,
                       Optional<GroupInvitation> invitation, String chainId, Instant now) {
        return new Call(ids.get(), offer.tenantId(), offer.appId(), Direction.INCOMING, CallState.INCOMING, 0,
                offer.callbackUri(), offer.seesCaller() ? source : source.encrypted(), targets, modalities, invitation, chainId, ids.get(),
                Optional.of(now.plus(offer.answerWithin().orElse(answerTimeout))), Optional.empty(), now, now);
    }

    public Verdict decide(Command command, Conversation conversation, Instant now) {
        Optional<Call> found = conversation.leg(command.callId());
        if (found.isEmpty()) {
            return command instanceof Command.Timeout ? new Verdict.NotDue() : new Verdict.NotFound();
        }
        Call leg = found.get();
        if (!(command instanceof Command.Timeout) && !(command instanceof Command.Hangup) && isPastDeadline(leg, now)) {
            // the deadline already decided this call; the sweep is about to write it down
            return new Verdict.NotFound();
        }
        if (command instanceof Command.Timeout) {
            return timeout(leg, conversation, now);
        }
        if (command instanceof Command.Reject r) {
            return owned(leg, r.tenantId(), r.appId())
                    ? reject(leg.withCallbackUri(r.callbackUri()), r.reason(), conversation, now) : new Verdict.NotFound();
        }
        if (command instanceof Command.Answer a) {
            return owned(leg, a.tenantId(), a.appId())
                    ? answer(leg.withCallbackUri(a.callbackUri()), conversation, now) : new Verdict.NotFound();
        }
        if (command instanceof Command.Redirect r) {
            return owned(leg, r.tenantId(), r.appId())
                    ? redirect(leg.withCallbackUri(r.callbackUri()), r.targets(), conversation, now) : new Verdict.NotFound();
        }
        if (command instanceof Command.Forward f) {
            return owned(leg, f.tenantId(), f.appId())
                    ? forward(leg.withCallbackUri(f.callbackUri()), f.targets(), f.throughTrunk(), conversation, now) : new Verdict.NotFound();
        }
        if (command instanceof Command.Unreachable u) {
            return owned(leg, u.tenantId(), u.appId()) ? unreachable(leg, u.result(), conversation, now) : new Verdict.NotFound();
        }
        Command.Hangup h = (Command.Hangup) command;
        return owned(leg, h.tenantId(), h.appId()) ? hangup(leg, conversation, now) : new Verdict.NotFound();
    }

    private static boolean everyOfferIsPastItsDeadline(Conversation conversation, Instant now) {
        List<Call> active = conversation.legs().stream()
                .filter(c -> c.direction() == Direction.INCOMING && c.state().isActive()).toList();
        return !active.isEmpty() && active.stream().allMatch(c -> isPastDeadline(c, now));
    }

    private static boolean isPastDeadline(Call leg, Instant now) {
        return leg.state() == CallState.INCOMING && leg.answerDeadline().map(d -> !d.isAfter(now)).orElse(false);
    }

    private static boolean owned(Call leg, String tenant, String app) {
        return leg.isOwnedBy(tenant, app);
    }

    private Verdict reject(Call leg, RejectReason reason, Conversation conversation, Instant now) {
        if (leg.direction() == Direction.OUTGOING) {
            return new Verdict.NotAllowed("Only an incoming call can be rejected; end a call you placed with DELETE.");
        }
        return switch (leg.state()) {
            case INCOMING -> endOffer(leg, new Ending.Rejected(reason), conversation, now, List.of());
            case TERMINATED -> {
                Ending ending = leg.ending().orElseThrow();
                if (ending.equals(new Ending.Rejected(reason))) yield new Verdict.AlreadyApplied();
                if (ending instanceof Ending.Rejected other) {
                    yield new Verdict.NotAllowed("The call was already rejected with reason '"
                            + other.reason().wireName() + "'.");
                }
                yield new Verdict.NotFound();
            }
            case ESTABLISHING, ESTABLISHED, TERMINATING -> new Verdict.NotAllowed(
                    "The call is " + leg.state().wireName() + "; only an incoming call can be rejected. "
                            + "End an answered call with DELETE /communications/calls/" + leg.id() + ".");
        };
    }

    private Verdict answer(Call leg, Conversation conversation, Instant now) {
        if (leg.direction() == Direction.OUTGOING) {
            return new Verdict.NotAllowed("Only an incoming call can be answered.");
        }
        return switch (leg.state()) {
            case INCOMING -> {
                Call established = leg.moveTo(CallState.ESTABLISHED, now);
                // one write per leg; the notifications still show both steps, as Graph sends them
                List<Call> changed = new ArrayList<>(List.of(established));
                List<Notice> notices = new ArrayList<>(List.of(
                        new Notice(ChangeType.UPDATED, established.showing(CallState.ESTABLISHING)),
                        new Notice(ChangeType.UPDATED, established)));
                conversation.callerLeg()
                        .filter(caller -> caller.state() == CallState.ESTABLISHING)
                        .ifPresent(caller -> {
                            Call up = caller.moveTo(CallState.ESTABLISHED, now);
                            changed.add(up);
                            notices.add(new Notice(ChangeType.UPDATED, up));
                        });
                yield new Verdict.Applied(changed, List.of(), notices);
            }
            case ESTABLISHING, ESTABLISHED -> new Verdict.AlreadyApplied();
            case TERMINATING -> new Verdict.NotAllowed("The call is terminating.");
            case TERMINATED -> new Verdict.NotFound();
        };
    }

    /** What no redirect may do, to apps (re-offer) or to outside parties (forward) alike. */
    private static Optional<Verdict> refusedRedirect(Call leg, List<?> targets) {
        if (leg.direction() == Direction.OUTGOING) {
            return Optional.of(new Verdict.NotAllowed("Only an incoming call can be redirected."));
        }
        if (targets.isEmpty()) return Optional.of(new Verdict.NotAllowed("A redirect needs at least one target."));
        return Optional.empty();
    }

    private Verdict redirect(Call leg, List<Offer> targets, Conversation conversation, Instant now) {
        Optional<Verdict> refused = refusedRedirect(leg, targets);
        if (refused.isPresent()) return refused.get();
        return switch (leg.state()) {
            case INCOMING -> {
                List<Call> offers = new ArrayList<>();
                for (Offer o : targets) {
                    offers.add(offer(o, leg.source(), targets.stream().map(Offer::party).toList(),
                            leg.requestedModalities(), leg.invitation(), leg.callChainId(), now));
                }
                yield endOffer(leg, new Ending.Redirected(), conversation, now, offers);
            }
            case TERMINATED -> leg.ending().orElseThrow() instanceof Ending.Redirected
                    ? new Verdict.AlreadyApplied() : new Verdict.NotFound();
            case ESTABLISHING, ESTABLISHED, TERMINATING -> new Verdict.NotAllowed(
                    "The call is " + leg.state().wireName() + "; only an incoming call can be redirected.");
        };
    }

    /**
     * A redirect to phone numbers or SIP addresses: the offered leg ends as redirected, and so does the
     * caller's, now showing the new targets, which is how its owner (the SIP bridge) learns where to
     * send the caller. Offers still ringing elsewhere end as if the caller had hung up: it has gone.
     * An app's call has no caller to send on; it is offered to the one target through the trunk.
     */
    private Verdict forward(Call leg, List<Party> targets, Optional<Offer> throughTrunk, Conversation conversation, Instant now) {
        Optional<Verdict> refused = refusedRedirect(leg, targets);
        if (refused.isPresent()) return refused.get();
        return switch (leg.state()) {
            case INCOMING -> {
                Optional<Call> caller = conversation.callerLeg()
                        .filter(c -> c.state() == CallState.ESTABLISHING && forwardableCallers.contains(c.ownerAppId()));
                if (caller.isEmpty()) {
                    // an app's call cannot be sent anywhere; it is offered on through the trunk, as a redirect to an app is
                    if (throughTrunk.isPresent() && targets.size() == 1) yield redirect(leg, List.of(throughTrunk.get()), conversation, now);
                    yield new Verdict.NotAllowed("A call placed by an application can be redirected to a phone number "
                            + "or SIP address only through a SIP trunk (sip.outbound), and to one target at a time; "
                            + "redirect this call to an application.");
                }
                Call ended = leg.end(new Ending.Redirected(), now);
                List<Call> changed = new ArrayList<>(List.of(ended));
                List<Notice> notices = new ArrayList<>(List.of(new Notice(ChangeType.DELETED, ended)));
                for (Call other : conversation.legs()) {
                    if (other.direction() != Direction.INCOMING || other.id().equals(leg.id()) || !other.state().isActive()) continue;
                    Call over = other.end(other.state() == CallState.INCOMING
                            ? new Ending.CallerCancelled() : new Ending.RemoteEnded(), now);
                    changed.add(over);
                    notices.add(new Notice(ChangeType.DELETED, over));
                }
                Call sent = caller.get().withTargets(targets).end(new Ending.Redirected(), now);
                changed.add(sent);
                notices.add(new Notice(ChangeType.DELETED, sent));
                yield new Verdict.Applied(changed, List.of(), notices);
            }
            case TERMINATED -> leg.ending().orElseThrow() instanceof Ending.Redirected
                    ? new Verdict.AlreadyApplied() : new Verdict.NotFound();
            case ESTABLISHING, ESTABLISHED, TERMINATING -> new Verdict.NotAllowed(
                    "The call is " + leg.state().wireName() + "; only an incoming call can be redirected.");
        };
    }

    /** The network's failure to reach the callee ends the offered leg, and the caller's with the same result. */
    private Verdict unreachable(Call leg, ResultInfo result, Conversation conversation, Instant now) {
        if (leg.direction() == Direction.OUTGOING) {
            return new Verdict.NotAllowed("Only an incoming call can fail to be reached.");
        }
        Ending why = new Ending.Unreachable(result);
        return switch (leg.state()) {
            case INCOMING -> endOffer(leg, why, conversation, now, List.of());
            case TERMINATED -> leg.ending().orElseThrow().equals(why) ? new Verdict.AlreadyApplied() : new Verdict.NotFound();
            case ESTABLISHING, ESTABLISHED, TERMINATING -> new Verdict.NotAllowed(
                    "The call is " + leg.state().wireName() + "; it was reached.");
        };
    }

    private Verdict timeout(Call leg, Conversation conversation, Instant now) {
        return isPastDeadline(leg, now) ? endOffer(leg, new Ending.TimedOut(), conversation, now, List.of()) : new Verdict.NotDue();
    }

    /**
     * An offered leg ends without being answered. The caller's leg ends too once no offer is left
     * (a redirect leaves new ones, so the caller keeps waiting).
     */
    private Verdict endOffer(Call leg, Ending why, Conversation conversation, Instant now, List<Call> newOffers) {
        Call ended = leg.end(why, now);
        List<Call> changed = new ArrayList<>(List.of(ended));
        List<Notice> notices = new ArrayList<>(List.of(new Notice(ChangeType.DELETED, ended)));
        for (Call o : newOffers) notices.add(new Notice(ChangeType.CREATED, o));
        if (newOffers.isEmpty() && !conversation.otherCalleeActive(leg.id())) {
            conversation.callerLeg()
                    .filter(caller -> caller.state().isActive())
                    .ifPresent(caller -> {
                        // an established caller got here because an answered leg hung up while this one rang
                        Call over = caller.end(caller.state() == CallState.ESTABLISHING
                                ? callerSees(why) : new Ending.RemoteEnded(), now);
                        changed.add(over);
                        notices.add(new Notice(ChangeType.DELETED, over));
                    });
        }
        return new Verdict.Applied(changed, newOffers, notices);
    }

    private static Ending callerSees(Ending calleeEnding) {
        return calleeEnding instanceof Ending.Rejected r ? new Ending.PeerRejected(r.reason()) : calleeEnding;
    }

    private Verdict hangup(Call leg, Conversation conversation, Instant now) {
        return switch (leg.state()) {
            case INCOMING -> new Verdict.NotAllowed(
                    "The call has not been answered; reject it with POST /communications/calls/" + leg.id() + "/reject.");
            case TERMINATING -> new Verdict.AlreadyApplied();
            case TERMINATED -> leg.ending().orElseThrow() instanceof Ending.EndedByOwner
                    ? new Verdict.AlreadyApplied() : new Verdict.NotFound();
            case ESTABLISHING, ESTABLISHED -> {
                if (leg.direction() == Direction.OUTGOING && leg.state() == CallState.ESTABLISHING
                        && everyOfferIsPastItsDeadline(conversation, now)) {
                    // every offer already timed out, so the call is over; the sweep writes it down
                    yield new Verdict.NotFound();
                }
                Call ended = leg.end(new Ending.EndedByOwner(), now);
                Call terminating = leg.moveTo(CallState.TERMINATING, now);
                List<Call> changed = new ArrayList<>(List.of(ended));
                List<Notice> notices = new ArrayList<>(List.of(
                        new Notice(ChangeType.UPDATED, terminating),
                        new Notice(ChangeType.DELETED, ended)));
                if (leg.direction() == Direction.OUTGOING) {
                    for (Call callee : conversation.legs()) {
                        if (callee.direction() != Direction.INCOMING || !callee.state().isActive()) continue;
                        Call over = callee.end(callee.state() == CallState.INCOMING
                                ? new Ending.CallerCancelled() : new Ending.RemoteEnded(), now);
                        changed.add(over);
                        notices.add(new Notice(ChangeType.DELETED, over));
                    }
                } else if (!conversation.otherCalleeEstablished(leg.id()) && !conversation.otherCalleeActive(leg.id())) {
                    conversation.callerLeg().filter(c -> c.state().isActive()).ifPresent(caller -> {
                        Call over = caller.end(new Ending.RemoteEnded(), now);
                        changed.add(over);
                        notices.add(new Notice(ChangeType.DELETED, over));
                    });
                }
                yield new Verdict.Applied(changed, List.of(), notices);
            }
        };
    }
}
