package dev.switchboard.bot;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Recorded notification bodies under src/test/resources/payloads. */
final class Payloads {

    private Payloads() {
    }

    static String read(String name) {
        try (InputStream in = Payloads.class.getResourceAsStream("/payloads/" + name)) {
            if (in == null) throw new IllegalArgumentException("no payload " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(String name) {
        return read(name).getBytes(StandardCharsets.UTF_8);
    }
}
