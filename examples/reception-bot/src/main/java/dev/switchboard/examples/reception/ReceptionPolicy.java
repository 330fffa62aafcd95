package dev.switchboard.examples.reception;

import dev.switchboard.bot.CallHandler;
import dev.switchboard.bot.Decision;
import dev.switchboard.bot.IncomingCall;
import dev.switchboard.bot.RejectReason;

import java.util.Set;

/**
 * The reception's rules, in order: a blocked caller is rejected {@code forbidden}; when the bot already
 * holds {@code capacity} calls, {@code busy}; a known caller is answered; anyone else is declined.
 * A slow directory is not our problem: the bot's deadline guard sends {@code busy} in time.
 * Thread-safe if the directory is.
 */
public final class ReceptionPolicy implements CallHandler {

    private final Set<String> blocked;
    private final int capacity;
    private final CallerDirectory directory;

    public ReceptionPolicy(Set<String> blocked, int capacity, CallerDirectory directory) {
        this.blocked = Set.copyOf(blocked);
        this.capacity = capacity;
        this.directory = directory;
    }

    @Override
    public Decision decide(IncomingCall call) throws Exception {
        if (blocked.contains(call.caller().id())) return Decision.reject(RejectReason.FORBIDDEN);
        if (call.activeCalls().size() >= capacity) return Decision.reject(RejectReason.BUSY);
        return directory.isKnown(call.caller()) ? Decision.answer() : Decision.reject(RejectReason.NONE);
    }
}
