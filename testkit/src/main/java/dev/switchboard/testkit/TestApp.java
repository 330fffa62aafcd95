package dev.switchboard.testkit;

import java.net.URI;
import java.util.Optional;

/**
 * An application registered with the test server: who it is, how it signs in, where it is notified.
 *
 * <pre>{@code
 * TestApp bot = sb.app("reception");
 * config.appId = bot.id(); config.secret = bot.secret(); config.tenantId = bot.tenantId();
 * server.bind(new InetSocketAddress("127.0.0.1", bot.port()), 0);
 * }</pre>
 *
 * @param callbackUri where Switchboard notifies it
 */
public record TestApp(String name, String tenantId, String id, String secret, String callbackUri) {

    /** The port of {@link #callbackUri()}, where the test's bot should listen. */
    public int port() {
        return URI.create(callbackUri).getPort();
    }

    /** The path of {@link #callbackUri()}, e.g. {@code /api/calling}. */
    public String path() {
        return Optional.ofNullable(URI.create(callbackUri).getPath()).filter(p -> !p.isEmpty()).orElse("/");
    }
}
