package dev.switchboard.notify;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Optional;

/**
 * The TLS trust for deliveries: the JDK's default CAs plus, optionally, the CA certificates of a PEM
 * file ({@code notifications.trustedCertificates}), so bots behind a private CA can be reached without
 * turning verification off. Host names are still verified by the HTTP client.
 */
public final class TrustedCertificates {

    private TrustedCertificates() {
    }

    /**
     * @throws IllegalArgumentException if the file cannot be read or holds no certificate; a
     *                                  misconfigured trust should stop startup, not every delivery
     */
    public static SSLContext sslContext(Optional<Path> pemFile) {
        try {
            if (pemFile.isEmpty()) return SSLContext.getDefault();
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int n = 0;
            for (X509Certificate ca : defaultTrustManager().getAcceptedIssuers()) {
                trust.setCertificateEntry("jdk-" + n++, ca);
            }
            int added = 0;
            for (Certificate ca : read(pemFile.get())) {
                trust.setCertificateEntry("configured-" + added++, ca);
            }
            if (added == 0) throw new IllegalArgumentException("no certificate in " + pemFile.get());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up TLS trust for notifications", e);
        }
    }

    private static Collection<? extends Certificate> read(Path pemFile) {
        try (InputStream in = Files.newInputStream(pemFile)) {
            return CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read trusted certificates " + pemFile + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not PEM certificates: " + pemFile + ": " + e.getMessage(), e);
        }
    }

    private static X509TrustManager defaultTrustManager() throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509TrustManager x509) return x509;
        }
        throw new IllegalStateException("the JDK has no X.509 trust manager");
    }
}
