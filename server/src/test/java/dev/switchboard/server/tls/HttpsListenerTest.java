package dev.switchboard.server.tls;

import dev.switchboard.core.time.Clock;
import dev.switchboard.server.Switchboard;
import dev.switchboard.server.config.SwitchboardConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** With {@code http.tls} set, the API is served over https with the PEM identity, and only so. */
class HttpsListenerTest {

    @TempDir
    Path dir;

    @Test
    void theApiIsServedOverHttpsWithThePemIdentity() throws Exception {
        Path p12 = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-storetype", "PKCS12", "-keystore", p12.toString(), "-storepass", "changeit")
                .redirectErrorStream(true).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            ks.load(in, "changeit".toCharArray());
        }
        Certificate cert = ks.getCertificate("server");
        PrivateKey key = (PrivateKey) ks.getKey("server", "changeit".toCharArray());
        Path certPem = dir.resolve("cert.pem");
        Path keyPem = dir.resolve("key.pem");
        Files.writeString(certPem, pem("CERTIFICATE", cert.getEncoded()));
        Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded()));

        SwitchboardConfig config = new SwitchboardConfig(
                new SwitchboardConfig.Http("127.0.0.1", 0, new SwitchboardConfig.Tls(certPem, keyPem)),
                dir.resolve("data"), null, null, List.of());
        try (Switchboard sb = Switchboard.start(config, Clock.system())) {
            assertThat(sb.baseUrl()).startsWith("https://");
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("server", cert);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            HttpClient trusting = HttpClient.newBuilder().sslContext(ssl).build();
            HttpResponse<String> health = trusting.send(HttpRequest.newBuilder(
                    URI.create("https://localhost:" + sb.port() + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            HttpResponse<String> unknown = trusting.send(HttpRequest.newBuilder(
                    URI.create("https://localhost:" + sb.port() + "/v1.0/communications/calls/nope")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(unknown.statusCode()).isEqualTo(401);
            assertThat(unknown.body()).contains("InvalidAuthenticationToken");

            assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("https://localhost:" + sb.port() + "/healthz")).build(), HttpResponse.BodyHandlers.ofString()))
                    .as("a client that does not trust the certificate").isInstanceOf(SSLHandshakeException.class);
            assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + sb.port() + "/healthz")).build(), HttpResponse.BodyHandlers.ofString()))
                    .as("plain http is not served").isInstanceOf(java.io.IOException.class);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
