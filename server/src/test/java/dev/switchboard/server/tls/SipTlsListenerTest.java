package dev.switchboard.server.tls;

import dev.switchboard.core.time.Clock;
import dev.switchboard.server.Switchboard;
import dev.switchboard.server.config.SwitchboardConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** With {@code sip.tls} set, SIP is also served over TLS, presenting the https certificate. */
class SipTlsListenerTest {

    @TempDir
    Path dir;

    @Test
    void sipOverTlsPresentsTheHttpsCertificateAndAnswersOptions() throws Exception {
        Path p12 = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-storetype", "PKCS12", "-keystore", p12.toString(), "-storepass", "changeit")
                .redirectErrorStream(true).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            ks.load(in, "changeit".toCharArray());
        }
        Certificate cert = ks.getCertificate("server");
        Path certPem = dir.resolve("cert.pem");
        Path keyPem = dir.resolve("key.pem");
        Files.writeString(certPem, pem("CERTIFICATE", cert.getEncoded()));
        Files.writeString(keyPem, pem("PRIVATE KEY", ((PrivateKey) ks.getKey("server", "changeit".toCharArray())).getEncoded()));
        int tlsPort;
        try (ServerSocket free = new ServerSocket(0)) {
            tlsPort = free.getLocalPort();
        }
        SwitchboardConfig config = new SwitchboardConfig(
                new SwitchboardConfig.Http("127.0.0.1", 0, new SwitchboardConfig.Tls(certPem, keyPem)),
                dir.resolve("data"), null, null, List.of())
                .withSip(new SwitchboardConfig.Sip("127.0.0.1", 0, null, "node-1", List.of(), null,
                        new SwitchboardConfig.SipTlsEntry(tlsPort)));

        try (Switchboard sb = Switchboard.start(config, Clock.system())) {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("server", cert);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            try (SSLSocket socket = (SSLSocket) ssl.getSocketFactory().createSocket("127.0.0.1", tlsPort)) {
                socket.setSoTimeout(10_000);
                socket.startHandshake();
                assertThat(socket.getSession().getPeerCertificates()[0]).isEqualTo(cert);
                String options = "OPTIONS sip:switchboard@127.0.0.1:" + tlsPort + ";transport=tls SIP/2.0\r\n"
                        + "Via: SIP/2.0/TLS 127.0.0.1:5099;branch=z9hG4bK-tls-1\r\n"
                        + "Max-Forwards: 70\r\n"
                        + "From: <sip:probe@127.0.0.1>;tag=p1\r\n"
                        + "To: <sip:switchboard@127.0.0.1>\r\n"
                        + "Call-ID: tls-probe-1\r\n"
                        + "CSeq: 1 OPTIONS\r\n"
                        + "Content-Length: 0\r\n\r\n";
                socket.getOutputStream().write(options.getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
                assertThat(in.readLine()).isEqualTo("SIP/2.0 200 OK");
            }
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
