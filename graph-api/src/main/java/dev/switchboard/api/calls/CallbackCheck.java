package dev.switchboard.api.calls;

import java.util.Optional;

/** Whether Switchboard may notify a callback URI; the problem, if any, for the error message. */
@FunctionalInterface
public interface CallbackCheck {
    Optional<String> problem(String callbackUri);
}
