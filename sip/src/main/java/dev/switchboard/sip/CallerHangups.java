package dev.switchboard.sip;

import dev.switchboard.core.calls.CallActions;
import dev.switchboard.core.calls.Command;
import dev.switchboard.core.calls.Verdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executor;

/**
 * The caller gave up (CANCEL), hung up (BYE) or its dialog died: one {@link Command.Hangup} of the
 * caller leg. The state machine judges it, so a hang-up racing the bot's decision has one outcome.
 */
final class CallerHangups {

    private static final Logger log = LoggerFactory.getLogger(CallerHangups.class);

    private final CallActions actions;
    private final CallerSide caller;
    private final Executor reactions;

    CallerHangups(CallActions actions, CallerSide caller, Executor reactions) {
        this.actions = actions;
        this.caller = caller;
        this.reactions = reactions;
    }

    void hangup(SipLeg leg) {
        actions.execute(new Command.Hangup(leg.legId, leg.tenantId, SipBridge.APP_ID)).whenCompleteAsync((verdict, error) -> {
            if (error != null) {
                log.warn("could not hang up leg {}; its deadline will end it", leg.legId, error);
            } else if (verdict instanceof Verdict.Applied) {
                synchronized (leg) {
                    // the call is over in the store: answer the INVITE now rather than on the notification
                    if (leg.stage == SipLeg.Stage.OFFERED) caller.finalResponse(leg, FinalResponse.CANCELLED);
                }
            }
            // otherwise the bot or the deadline won the race; the caller leg's notification says which
        }, reactions);
    }
}
