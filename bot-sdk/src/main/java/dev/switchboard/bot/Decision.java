package dev.switchboard.bot;

import java.util.List;
import java.util.Objects;

/**
 * What a bot does with an incoming call: exactly one of {@link Answer}, {@link Reject} or {@link Redirect}.
 * Immutable; share freely.
 *
 * <pre>{@code
 * Decision.answer();
 * Decision.reject(RejectReason.BUSY);
 * Decision.redirect(Identity.application(receptionistAppId));
 * }</pre>
 *
 * <p>The bot sends it with the Graph SDK ({@code communications().calls().byCallId(id).reject().post(...)}
 * etc.). Reject and answer are idempotent on the service, so a transport failure or a 5xx is retried
 * while the deadline allows; a redirect is retried only where the Graph SDK retries (429/503/504).
 */
public sealed interface Decision permits Decision.Answer, Decision.Reject, Decision.Redirect {

    /** Answers with audio and service-hosted media; notifications go to {@link BotConfig#callbackUri} when set. */
    static Decision answer() {
        return new Answer();
    }

    static Decision reject(RejectReason reason) {
        return new Reject(reason);
    }

    /** Hands the call to other targets (apps or users); this bot's leg ends with 302. */
    static Decision redirect(Identity... targets) {
        return new Redirect(List.of(targets));
    }

    /** Answer the call (Graph {@code answer}; needs {@code Calls.JoinGroupCall.All}). */
    record Answer() implements Decision {}

    /** Reject the call (Graph {@code reject}). */
    record Reject(RejectReason reason) implements Decision {
        public Reject {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Redirect the call (Graph {@code redirect}; needs {@code Calls.Initiate.All}). */
    record Redirect(List<Identity> targets) implements Decision {
        public Redirect {
            targets = List.copyOf(targets);
            if (targets.isEmpty()) throw new IllegalArgumentException("a redirect needs at least one target");
        }
    }
}
