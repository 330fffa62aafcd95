package dev.switchboard.sip;

import dev.switchboard.core.calls.CallActions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.Dialog;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Answered calls' dialogs in the store ({@link KeptDialog}), so that a restarted node can still send
 * their BYEs. A dialog is kept before the message that confirms it leaves (our 200 to a caller, our ACK
 * to a callee's 200): a node that dies before the write never confirmed the dialog, so the far end gives
 * up on it by itself (a caller's INVITE gets its final response from the restarted node; a callee that
 * gets no ACK ends the call after 64*T1, RFC 3261 13.3.1.4). The wait for the commit is bounded: a store
 * that does not answer costs the BYE after a restart, not the call.
 */
final class KeptDialogs {

    private static final Logger log = LoggerFactory.getLogger(KeptDialogs.class);
    static final Duration KEEP_WAIT = Duration.ofSeconds(2);

    private final CallActions actions;

    KeptDialogs(CallActions actions) {
        this.actions = actions;
    }

    /** Keeps the callee side's dialog of leg {@code legId} as the JAIN-SIP stack holds it; see {@link #keep(String, Optional)}. */
    void keep(String legId, Dialog dialog, String transport) {
        keep(legId, dialog == null ? Optional.empty() : KeptDialog.of(dialog, transport));
    }

    /** Keeps {@code dialog}, the answered dialog of leg {@code legId}, and waits for the commit (at most {@link #KEEP_WAIT}). */
    void keep(String legId, Optional<KeptDialog> dialog) {
        if (dialog.isEmpty()) {
            log.debug("the dialog of leg {} has no remote target; a restart would end it without a BYE", legId);
            return;
        }
        try {
            actions.keepDialog(legId, dialog.get().json()).get(KEEP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("could not keep the SIP dialog of leg {}; a restart would end it without a BYE", legId,
                    e instanceof ExecutionException ? e.getCause() : e);
        }
    }

    /** The dialog kept for leg {@code legId}, if one was and it can be read. */
    Optional<KeptDialog> of(String legId) {
        return actions.dialog(legId).flatMap(KeptDialog::parse);
    }
}
