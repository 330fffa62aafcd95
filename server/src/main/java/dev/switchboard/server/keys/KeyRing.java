package dev.switchboard.server.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.switchboard.api.auth.KeySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * RSA signing keys kept in a file under the data directory, so tokens stay valid across restarts.
 * The first key in the file signs; the others stay published until their tokens have expired, so a
 * rotation never breaks a token in flight.
 */
public final class KeyRing implements KeySource {

    private static final int KEEP = 3;

    private final Path file;
    private volatile List<RSAKey> keys;

    private KeyRing(Path file, List<RSAKey> keys) {
        this.file = file;
        this.keys = List.copyOf(keys);
    }

    /** Loads the ring in {@code file}, creating it with one fresh key when absent. */
    public static KeyRing open(Path file) {
        try {
            if (Files.exists(file)) {
                List<RSAKey> keys = new ArrayList<>();
                for (JWK k : JWKSet.load(file.toFile()).getKeys()) keys.add(k.toRSAKey());
                if (!keys.isEmpty()) return new KeyRing(file, keys);
            }
            KeyRing ring = new KeyRing(file, List.of(generate()));
            ring.save();
            return ring;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read keys in " + file, e);
        } catch (ParseException e) {
            throw new IllegalStateException("keys in " + file + " are not a JWK set", e);
        }
    }

    /** Makes a new signing key; the previous ones stay published. */
    public synchronized void rotate() {
        List<RSAKey> next = new ArrayList<>();
        next.add(generate());
        next.addAll(keys.subList(0, Math.min(keys.size(), KEEP - 1)));
        keys = List.copyOf(next);
        save();
    }

    @Override
    public RSAKey current() {
        return keys.get(0);
    }

    @Override
    public JWKSet published() {
        return new JWKSet(keys.stream().map(k -> (JWK) k.toPublicJWK()).toList());
    }

    private void save() {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, new JWKSet(List.copyOf(keys)).toString(false), StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system; the directory's protection has to do
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write keys to " + file, e);
        }
    }

    private static RSAKey generate() {
        try {
            return new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256)
                    .keyID(UUID.randomUUID().toString()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate an RSA key", e);
        }
    }
}
