package dev.switchboard.core.calls;

import java.util.List;
import java.util.Optional;

/** Everything that can change an existing call: what an app asks for, and what time does. */
public sealed interface Command {

    String callId();

    /** {@code POST /calls/{id}/reject}. */
    record Reject(String callId, String tenantId, String appId, RejectReason reason, Optional<String> callbackUri)
            implements Command {}

    /** {@code POST /calls/{id}/answer}. */
    record Answer(String callId, String tenantId, String appId, Optional<String> callbackUri,
                  List<Modality> acceptedModalities) implements Command {}

    /** {@code POST /calls/{id}/redirect}: the targets are apps, already resolved. */
    record Redirect(String callId, String tenantId, String appId, List<Offer> targets, Optional<String> callbackUri)
            implements Command {}

    /**
     * {@code POST /calls/{id}/redirect} to targets that are not apps (phone numbers, SIP addresses):
     * the caller is sent there itself, which only a caller that arrived over SIP can be (a 302).
     */
    record Forward(String callId, String tenantId, String appId, List<Party> targets, Optional<String> callbackUri)
            implements Command {
        public Forward {
            targets = List.copyOf(targets);
        }
    }

    /**
     * The network could not reach the party an incoming leg stands for: a SIP trunk's final failure
     * response to the call the bridge placed for a bot. The leg and the bot's leg end with {@code result}.
     */
    record Unreachable(String callId, String tenantId, String appId, ResultInfo result) implements Command {}

    /** {@code DELETE /calls/{id}}. */
    record Hangup(String callId, String tenantId, String appId) implements Command {}

    /** The answer deadline of an incoming call has come. */
    record Timeout(String callId) implements Command {}
}
