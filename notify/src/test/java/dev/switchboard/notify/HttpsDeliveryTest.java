package dev.switchboard.notify;

import dev.switchboard.core.calls.ChangeType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class HttpsDeliveryTest {

    @TempDir
    static Path certificates;
    static TestCertificates tls;

    @TempDir
    Path dir;
    Harness h;

    @BeforeAll
    static void makeCertificates() throws Exception {
        tls = TestCertificates.create(certificates);
    }

    @BeforeEach
    void setUp() throws Exception {
        h = new Harness(dir, BotEndpoint.https(tls.serverContext(), Harness.KEY, java.time.Instant::now));
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    @Test
    void botWithACertificateFromAnUnknownCaIsNotDeliveredTo() {
        h.outbox.enqueue(h.outbox.call(h.bot.url("/cb")), ChangeType.CREATED);
        h.start(DispatcherConfig.defaults());

        await().until(() -> !h.events.failures.isEmpty());

        assertThat(h.events.failures.get(0)).contains("TLS failed");
        assertThat(h.bot.received()).isEmpty();
        assertThat(h.outbox.undelivered()).hasSize(1);
    }

    @Test
    void botWithACertificateFromAConfiguredCaIsDeliveredTo() {
        h.outbox.enqueue(h.outbox.call(h.bot.url("/cb")), ChangeType.CREATED);
        h.start(DispatcherConfig.defaults().withTrustedCertificates(Optional.of(tls.caPem)));

        await().until(() -> h.outbox.undelivered().isEmpty());

        assertThat(h.bot.received()).hasSize(1);
        assertThat(h.events.failures).isEmpty();
    }

    @Test
    void trustedCertificatesFileWithoutCertificatesStopsStartup() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");

        assertThatThrownBy(() -> TrustedCertificates.sslContext(Optional.of(empty)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TrustedCertificates.sslContext(Optional.of(dir.resolve("missing.pem"))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
