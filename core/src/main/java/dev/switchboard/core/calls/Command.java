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
     * {@code POST /calls/{id}/redirect} to targets that are not apps (phone numbers, SIP addresses). A
     * caller that arrived over SIP is sent there itself (a 302). Any other caller, an app's call, is
     * offered to the one target through the SIP trunk instead, as if the app had placed the call there.
     *
     * @param throughTrunk the trunk's offer for the one target; empty when there is no trunk, or more
     *                     than one target
     */
    record Forward(String callId, String tenantId, String appId, List<Party> targets, Optional<String> callbackUri,
                   Optional<Offer> throughTrunk) implements Command {
        public Forward {
            targets = List.copyOf(targets);
        }

        /** A forward with no trunk to fall back on: only a SIP caller can be sent on. */
        public Forward(String callId, String tenantId, String appId, List<Party> targets, Optional<String> callbackUri) {
            this(callId, tenantId, appId, targets, callbackUri, Optional.empty());
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
