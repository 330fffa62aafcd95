package dev.switchboard.sip;

import dev.switchboard.core.calls.Call;
import dev.switchboard.core.calls.CallActions;
import dev.switchboard.core.calls.CallState;
import dev.switchboard.core.calls.Command;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Ends the answered SIP legs this node held before it started: their media and the stack's dialogs
 * lived in its memory and are gone, and a bot would otherwise hold a call nobody is on until it hangs
 * up. Each becomes a hang-up by the bridge, so the bot hears {@code deleted} as when the caller hangs
 * up, and the phone gets a BYE built from the dialog kept in the store ({@link KeptDialog}); a leg
 * whose dialog was not kept (the node died between the 200 and that write) ends without one. Legs of
 * other nodes (a shared PostgreSQL store) are theirs to keep. Unanswered legs need nothing: a caller
 * resends its INVITE and finds its call again, and the answer deadline ends any other.
 */
final class RestartedLegs {

    private static final Logger log = LoggerFactory.getLogger(RestartedLegs.class);
    /** Far more answered calls than one node carries at once; more are left to their bots' hang-ups. */
    private static final int MOST = 10_000;
    private static final long PATIENCE_SECONDS = 30;

    private RestartedLegs() {
    }

    /** A BYE owed to the far end of leg {@code legId}, once the stack listens. */
    record Bye(String legId, KeptDialog dialog) {}

    /**
     * Hangs up the answered legs whose notifications go to {@code callbackUri}.
     *
     * @return the BYEs to send for them, from their kept dialogs
     */
    static List<Bye> end(CallActions actions, KeptDialogs dialogs, String callbackUri) {
        List<Call> held;
        try {
            held = actions.held(SipBridge.APP_ID, CallState.ESTABLISHED, MOST);
        } catch (RuntimeException e) {
            log.error("could not look for SIP calls answered before this start; their bots must hang them up", e);
            return List.of();
        }
        if (held.size() == MOST) log.warn("{} or more answered SIP legs in the store; ending the oldest {}", MOST, MOST);
        List<Call> mine = held.stream().filter(leg -> leg.callbackUri().equals(callbackUri)).toList();
        if (mine.isEmpty()) return List.of();
        List<Bye> byes = new ArrayList<>();
        for (Call leg : mine) {
            try {
                dialogs.of(leg.id()).ifPresent(dialog -> byes.add(new Bye(leg.id(), dialog)));
            } catch (RuntimeException e) {
                log.warn("could not read the SIP dialog of leg {}; it ends without a BYE", leg.id(), e);
            }
        }
        CompletableFuture<?>[] hangups = mine.stream()
                .map(leg -> actions.execute(new Command.Hangup(leg.id(), leg.tenantId(), SipBridge.APP_ID)))
                .toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(hangups).get(PATIENCE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("not every SIP call answered before this start could be ended: {}", e.toString());
        }
        log.info("ended {} SIP call(s) answered before this start; {} BYE(s) to send from their kept dialogs",
                mine.size(), byes.size());
        return byes;
    }
}
