package dev.switchboard.sip;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed TLS identity made by the JDK's keytool for a test: its PKCS#12 file (password
 * {@link #PASSWORD}, alias {@code sip}), key and certificate.
 */
record TestIdentity(Path keyStore, PrivateKey key, List<Certificate> chain) {

    static final String PASSWORD = "changeit";

    /** @param san the subjectAltName as keytool takes it, e.g. {@code dns:localhost,ip:127.0.0.1} */
    static TestIdentity generate(Path dir, String name, String san) throws Exception {
        Path p12 = dir.resolve(name + ".p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "sip", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=" + name, "-ext", "SAN=" + san,
                "-storetype", "PKCS12", "-keystore", p12.toString(), "-storepass", PASSWORD)
                .redirectErrorStream(true).start();
        keytool.getInputStream().readAllBytes();
        if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
            throw new IllegalStateException("keytool could not make a certificate for " + name);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        return new TestIdentity(p12, (PrivateKey) ks.getKey("sip", PASSWORD.toCharArray()),
                Arrays.asList(ks.getCertificateChain("sip")));
    }

    X509Certificate certificate() {
        return (X509Certificate) chain.get(0);
    }

    /** The bridge's listener with this identity, on any free port. */
    SipTls listener() {
        return new SipTls(0, key, chain);
    }
}
