package dev.switchboard.testkit;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the test server holds, filled in by the lambda given to {@link SwitchboardExtension#create}: the bot
 * apps the test declares (the caller app always exists), and timing.
 *
 * <pre>{@code
 * SwitchboardExtension.create(setup -> setup
 *         .bot("reception")                                   // notified on a free local port: sb.app("reception").port()
 *         .bot("other", "http://127.0.0.1:3978/api/calling")  // or at an address you choose
 *         .answerTimeout(Duration.ofSeconds(15)));
 * }</pre>
 *
 * Not thread-safe; read once when the server starts.
 */
public final class SwitchboardSetup {

    final Map<String, String> bots = new LinkedHashMap<>();
    Duration answerTimeout = Duration.ofSeconds(15);
    String issuer = "https://api.botframework.com";

    SwitchboardSetup() {
    }

    /** A bot app notified at {@code http://127.0.0.1:<free port>/api/calling}. */
    public SwitchboardSetup bot(String name) {
        return bot(name, null);
    }

    /** A bot app notified at {@code callbackUri} ({@code http} is allowed to loopback hosts). */
    public SwitchboardSetup bot(String name, String callbackUri) {
        Objects.requireNonNull(name, "name");
        if (name.equals(SwitchboardExtension.CALLER) || bots.containsKey(name)) {
            throw new IllegalArgumentException("an app named " + name + " is already declared");
        }
        bots.put(name, callbackUri);
        return this;
    }

    /** How long an incoming call waits for a decision (default 15 s, as Graph). */
    public SwitchboardSetup answerTimeout(Duration timeout) {
        this.answerTimeout = Objects.requireNonNull(timeout, "timeout");
        return this;
    }

    /** The {@code iss} of notification tokens (default {@code https://api.botframework.com}). */
    public SwitchboardSetup issuer(String issuer) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        return this;
    }
}
