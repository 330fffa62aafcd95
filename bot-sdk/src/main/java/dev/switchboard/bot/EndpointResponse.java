package dev.switchboard.bot;

/**
 * What the notification endpoint answers: a status and a (usually empty) plain-text body.
 * {@code 202} accepted; {@code 400} not a notification; {@code 401} token refused; {@code 405} not a POST;
 * {@code 503} the issuer's keys cannot be read now (the sender retries).
 *
 * <pre>{@code
 * EndpointResponse r = bot.handle("POST", headers, body);
 * exchange.sendResponseHeaders(r.status(), -1);
 * }</pre>
 */
public record EndpointResponse(int status, String body) {}
