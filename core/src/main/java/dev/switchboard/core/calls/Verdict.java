package dev.switchboard.core.calls;

import java.util.List;

/** What the state machine made of a command. */
public sealed interface Verdict {

    /**
     * The command changed the conversation.
     *
     * @param changed legs that existed, each with {@code version + 1}
     * @param created legs that the command created (a redirect's new offers)
     * @param notices the notifications owed, in the order they happened
     */
    record Applied(List<Call> changed, List<Call> created, List<Notice> notices) implements Verdict {
        public Applied {
            changed = List.copyOf(changed);
            created = List.copyOf(created);
            notices = List.copyOf(notices);
        }
    }

    /** The command had already been applied (a retry); it succeeds with no second effect. */
    record AlreadyApplied() implements Verdict {}

    /** Nothing to do: a deadline that is no longer the leg's, or a leg that moved on. */
    record NotDue() implements Verdict {}

    /** No such call for this app: unknown, another app's or tenant's, or already over. */
    record NotFound() implements Verdict {}

    /** The call exists but is in a state that forbids the command. */
    record NotAllowed(String message) implements Verdict {}
}
