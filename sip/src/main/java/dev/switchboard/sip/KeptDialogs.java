package dev.switchboard.sip;

import dev.switchboard.core.calls.CallActions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.Dialog;
import java.util.Optional;

/**
 * Answered calls' dialogs in the store ({@link KeptDialog}), so that a restarted node can still send
 * their BYEs. Keeping one is a write the SIP thread does not wait for: the call is up either way, and
 * a dialog that could not be kept costs only the BYE after a restart.
 */
final class KeptDialogs {

    private static final Logger log = LoggerFactory.getLogger(KeptDialogs.class);

    private final CallActions actions;

    KeptDialogs(CallActions actions) {
        this.actions = actions;
    }

    /** Keeps {@code dialog}, the answered dialog of leg {@code legId}, whose requests go over {@code transport}. */
    void keep(String legId, Dialog dialog, String transport) {
        Optional<KeptDialog> kept = dialog == null ? Optional.empty() : KeptDialog.of(dialog, transport);
        if (kept.isEmpty()) {
            log.debug("the dialog of leg {} has no remote target yet; a restart would end it without a BYE", legId);
            return;
        }
        actions.keepDialog(legId, kept.get().json()).whenComplete((ignored, failure) -> {
            if (failure != null) {
                log.warn("could not keep the SIP dialog of leg {}; a restart would end it without a BYE", legId, failure);
            }
        });
    }

    /** The dialog kept for leg {@code legId}, if one was and it can be read. */
    Optional<KeptDialog> of(String legId) {
        return actions.dialog(legId).flatMap(KeptDialog::parse);
    }
}
