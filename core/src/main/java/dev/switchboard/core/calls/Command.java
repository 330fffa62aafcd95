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

    /** {@code DELETE /calls/{id}}. */
    record Hangup(String callId, String tenantId, String appId) implements Command {}

    /** The answer deadline of an incoming call has come. */
    record Timeout(String callId) implements Command {}
}
