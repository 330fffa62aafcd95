package dev.switchboard.sip;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.HexFormat;
import java.util.Properties;

/**
 * JAIN-SIP reads its TLS identity only from a key store file named in the stack's properties, so the
 * listener's key and chain are written to a PKCS#12 file readable by this user alone, under a random
 * password, for the time it takes to build the stack; {@link #close()} deletes it.
 */
final class TlsKeyStoreFile implements AutoCloseable {

    private final Path file;
    private final String password;

    TlsKeyStoreFile(SipTls tls) {
        this.password = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("switchboard-sip", tls.key(), password.toCharArray(), tls.chain().toArray(new Certificate[0]));
            Path created;
            try {
                created = Files.createTempFile("switchboard-sip-", ".p12",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                created = Files.createTempFile("switchboard-sip-", ".p12");
            }
            this.file = created;
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, password.toCharArray());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the SIP TLS key store", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the SIP TLS key store: " + e.getMessage(), e);
        }
    }

    /** Names the file as the stack's key and trust store; clients need no certificate of their own. */
    void configure(Properties stack) {
        stack.setProperty("javax.net.ssl.keyStore", file.toString());
        stack.setProperty("javax.net.ssl.keyStorePassword", password);
        stack.setProperty("javax.net.ssl.keyStoreType", "PKCS12");
        stack.setProperty("javax.net.ssl.trustStore", file.toString());
        stack.setProperty("javax.net.ssl.trustStorePassword", password);
        stack.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
        stack.setProperty("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE", "Disabled");
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file, e);
        }
    }
}
