package dev.switchboard.sip;

import dev.switchboard.core.calls.Command;
import dev.switchboard.core.calls.RejectReason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import javax.sip.address.SipURI;
import javax.sip.header.ContactHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Optional;

import static dev.switchboard.sip.Harness.APP;
import static dev.switchboard.sip.Harness.TENANT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** SIP over TLS: a JAIN-SIP caller that trusts the bridge's certificate calls its TLS port. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsCallTest {

    private static final String PASSWORD = TestIdentity.PASSWORD;

    Harness h;
    SipPhone phone;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        TestIdentity bridge = TestIdentity.generate(dir, "localhost", "dns:localhost,ip:127.0.0.1");
        SipTls tls = bridge.listener();
        h = new Harness(dir, c -> c.withTls(tls));
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("sip", bridge.certificate());
        Path trustStore = dir.resolve("trust.p12");
        try (OutputStream out = Files.newOutputStream(trustStore)) {
            trust.store(out, PASSWORD.toCharArray());
        }
        phone = new SipPhone(h.bridge.port(), h.bridge.tlsPort(), trustStore, PASSWORD);
    }

    @AfterAll
    void stop() {
        phone.close();
        h.close();
    }

    @Test
    void aCallOverTlsIsRejectedOverTls() throws Exception {
        h.bot.reset();
        h.bot.decides(offered -> Optional.of(new Command.Reject(offered.callId(), TENANT, APP, RejectReason.BUSY,
                Optional.empty())));

        SipPhone.Attempt call = phone.call("reception", "sip:alice@example.com", null, "tls", Optional.of(SipPhone.OFFER));

        assertThat(call.awaitFinal().getStatusCode()).isEqualTo(486);
        await().until(h.bot::everyCallIsOver);
    }

    @Test
    void anAnsweredCallOverTlsNamesTlsInItsContactAndEndsWithABye() throws Exception {
        h.bot.reset();
        h.bot.decides(TestBot::answer);

        SipPhone.Attempt call = phone.call("reception", "sip:alice@example.com", null, "tls", Optional.of(SipPhone.OFFER));
        Response ok = call.awaitFinal();

        assertThat(ok.getStatusCode()).isEqualTo(200);
        SipURI contact = (SipURI) ((ContactHeader) ok.getHeader(ContactHeader.NAME)).getAddress().getURI();
        assertThat(contact.getTransportParam()).isEqualToIgnoringCase("tls");
        assertThat(contact.getPort()).isEqualTo(h.bridge.tlsPort());
        call.ack(ok);
        call.bye();
        call.await(Request.BYE, 200);
        await().until(h.bot::everyCallIsOver);
    }

    @Test
    void theBridgeStillTakesUdpBesideTls() throws Exception {
        h.bot.reset();
        h.bot.decides(offered -> Optional.of(new Command.Reject(offered.callId(), TENANT, APP, RejectReason.FORBIDDEN,
                Optional.empty())));

        assertThat(phone.call("reception").awaitFinal().getStatusCode()).isEqualTo(403);
        await().until(h.bot::everyCallIsOver);
    }
}
