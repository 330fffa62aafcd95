package dev.switchboard.server.tls;

import dev.switchboard.core.time.Clock;
import dev.switchboard.server.Switchboard;
import dev.switchboard.server.config.SwitchboardConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** With {@code http.tls} set, the API is served over https with the PEM identity, and only so. */
class HttpsListenerTest {

    @TempDir
    Path dir;

    @Test
    void theApiIsServedOverHttpsWithThePemIdentity() throws Exception {
        SelfSignedIdentity identity = SelfSignedIdentity.create(dir);

        SwitchboardConfig config = new SwitchboardConfig(
                new SwitchboardConfig.Http("127.0.0.1", 0, identity.tls()),
                dir.resolve("data"), null, null, List.of());
        try (Switchboard sb = Switchboard.start(config, Clock.system())) {
            assertThat(sb.baseUrl()).startsWith("https://");
            SSLContext ssl = identity.trustingClient();
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
}
