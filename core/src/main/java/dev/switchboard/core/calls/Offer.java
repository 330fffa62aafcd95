package dev.switchboard.core.calls;

/**
 * One app a call is offered to: the target as the caller named it, where the app is notified, and
 * whether it may see who calls (an app without calls permissions sees an encrypted identity).
 */
public record Offer(String tenantId, String appId, Party party, String callbackUri, boolean seesCaller) {

    public Offer(String tenantId, String appId, Party party, String callbackUri) {
        this(tenantId, appId, party, callbackUri, true);
    }
}
