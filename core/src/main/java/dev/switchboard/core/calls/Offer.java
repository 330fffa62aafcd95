package dev.switchboard.core.calls;

/**
 * One app a call is offered to: the target as the caller named it, and where the app is notified.
 */
public record Offer(String tenantId, String appId, Party party, String callbackUri) {}
