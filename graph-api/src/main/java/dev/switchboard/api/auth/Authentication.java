package dev.switchboard.api.auth;

/** What a request's bearer token amounts to. */
public sealed interface Authentication {

    record Accepted(Principal principal) implements Authentication {}

    /** A valid token without application roles: a user's token, which the calls API does not take. */
    record Delegated() implements Authentication {}

    record Refused(String reason) implements Authentication {}
}
