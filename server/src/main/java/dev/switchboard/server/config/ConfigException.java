package dev.switchboard.server.config;

/** A configuration that cannot start a server; the message names the key. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message, null, false, false);
    }
}
