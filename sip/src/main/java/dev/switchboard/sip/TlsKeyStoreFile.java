package dev.switchboard.sip;

import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
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
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;

/**
 * JAIN-SIP reads its TLS identity only from a key store file named in the stack's properties, so the
 * listener's key and chain are written to a PKCS#12 file readable by this user alone, under a random
 * password, for the time it takes to build the stack; {@link #close()} deletes it. The same file is its
 * trust store, for the connections the bridge opens to a trunk over TLS: the JDK's trusted
 * authorities, and the certificates configured for the trunk.
 */
final class TlsKeyStoreFile implements AutoCloseable {

    private final Path file;
    private final String password;

    TlsKeyStoreFile(SipTls tls, List<X509Certificate> trusted) {
        this.password = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("switchboard-sip", tls.key(), password.toCharArray(), tls.chain().toArray(new Certificate[0]));
            int n = 0;
            for (X509Certificate ca : jdkAuthorities()) store.setCertificateEntry("jdk-" + n++, ca);
            n = 0;
            for (X509Certificate c : trusted) store.setCertificateEntry("trunk-" + n++, c);
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

    /** The authorities the JDK trusts by default (its cacerts, or what javax.net.ssl.trustStore names). */
    private static List<X509Certificate> jdkAuthorities() throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        List<X509Certificate> all = new ArrayList<>();
        for (TrustManager m : factory.getTrustManagers()) {
            if (m instanceof X509TrustManager x509) all.addAll(List.of(x509.getAcceptedIssuers()));
        }
        return all;
    }

    /** Names the file as the stack's key and trust store; callers need no certificate of their own. */
    void configure(Properties stack) {
        nameStore(stack, file, password);
        // the chain is checked against the trust store; this checks that it names the trunk
        stack.setProperty("gov.nist.javax.sip.TLS_SECURITY_POLICY", TrunkIdentityPolicy.class.getName());
    }

    /**
     * Names {@code store} (PKCS#12) as a stack's key and trust store: JAIN-SIP builds its TLS layer only
     * when a key store is named. It asks no certificate of its peers. Also the tests' SIP peers' set-up.
     */
    static void nameStore(Properties stack, Path store, String password) {
        stack.setProperty("javax.net.ssl.keyStore", store.toString());
        stack.setProperty("javax.net.ssl.keyStorePassword", password);
        stack.setProperty("javax.net.ssl.keyStoreType", "PKCS12");
        stack.setProperty("javax.net.ssl.trustStore", store.toString());
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
