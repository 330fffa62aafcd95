package dev.switchboard.core.calls;

import java.time.Duration;
import java.util.Optional;

/**
 * One party a call is offered to: the app that decides, the target as the caller named it, where the
 * app is notified, whether it may see who calls (an app without calls permissions sees an encrypted
 * identity), and how long the offer rings.
 *
 * @param answerWithin how long the offer waits for an answer; empty: the 15-second rule
 *                     ({@code graph.answerTimeout}). A phone reached through a trunk rings longer.
 */
public record Offer(String tenantId, String appId, Party party, String callbackUri, boolean seesCaller,
                    Optional<Duration> answerWithin) {

    public Offer {
        answerWithin.ifPresent(d -> {
            if (d.isNegative() || d.isZero()) throw new IllegalArgumentException("answerWithin must be positive");
        });
    }

    public Offer(String tenantId, String appId, Party party, String callbackUri, boolean seesCaller) {
        this(tenantId, appId, party, callbackUri, seesCaller, Optional.empty());
    }

    public Offer(String tenantId, String appId, Party party, String callbackUri) {
        this(tenantId, appId, party, callbackUri, true);
    }
}
