package dev.switchboard.server.tls;

import dev.switchboard.server.config.ConfigException;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The https listener's identity from PEM files: a certificate chain and a PKCS#8 private key. */
public final class PemTls {

    private static final Pattern KEY = Pattern.compile("-----BEGIN PRIVATE KEY-----(.*?)-----END PRIVATE KEY-----", Pattern.DOTALL);

    private PemTls() {
    }

    /** The server's identity as read from the PEM files: its key and certificate chain, own certificate first. */
    public record Identity(PrivateKey key, List<Certificate> chain) {}

    public static SSLContext serverContext(Path certificate, Path privateKey) {
        Identity identity = identity(certificate, privateKey);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] none = new char[0];
            store.setKeyEntry("switchboard", identity.key(), none, identity.chain().toArray(new Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, none);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (IOException e) {
            throw new ConfigException("cannot read the TLS files: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new ConfigException("bad value for 'http.tls': " + e.getMessage());
        }
    }

    /** Reads the PEM files; the https listener and the SIP TLS listener present the same identity. */
    public static Identity identity(Path certificate, Path privateKey) {
        try {
            Certificate[] chain = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(certificate)))
                    .toArray(new Certificate[0]);
            if (chain.length == 0) throw new ConfigException("bad value for 'http.tls.certificate': no certificate in " + certificate);
            PrivateKey key = privateKey(Files.readString(privateKey, StandardCharsets.US_ASCII), chain[0].getPublicKey().getAlgorithm());
            return new Identity(key, List.of(chain));
        } catch (IOException e) {
            throw new ConfigException("cannot read the TLS files: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new ConfigException("bad value for 'http.tls': " + e.getMessage());
        }
    }

    /**
     * The certificates in a PEM file, for a trust list.
     *
     * @param key names the setting in the message of a file that cannot be read or holds no certificate
     */
    public static List<X509Certificate> certificates(Path file, String key) {
        try {
            List<X509Certificate> all = new ArrayList<>();
            for (Certificate c : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(file)))) {
                if (c instanceof X509Certificate x509) all.add(x509);
            }
            if (all.isEmpty()) throw new ConfigException("bad value for '" + key + "': no certificate in " + file);
            return all;
        } catch (IOException e) {
            throw new ConfigException("bad value for '" + key + "': cannot read " + file + " (" + e.getMessage() + ")");
        } catch (GeneralSecurityException e) {
            throw new ConfigException("bad value for '" + key + "': " + e.getMessage());
        }
    }

    private static PrivateKey privateKey(String pem, String algorithm) throws GeneralSecurityException {
        Matcher m = KEY.matcher(pem);
        if (!m.find()) {
            throw new ConfigException("bad value for 'http.tls.privateKey': expected a PKCS#8 'BEGIN PRIVATE KEY' PEM "
                    + "(convert with: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.pk8.pem)");
        }
        byte[] der = Base64.getMimeDecoder().decode(m.group(1).trim());
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
    }
}
