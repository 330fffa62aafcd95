package dev.switchboard.bot;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The endpoint's checks of each delivery's bearer token, against an issuer on a real socket. */
class NotificationVerificationTest {

    private static final String APP = "2891555a-92ff-42e6-80fa-6e1300c6b5c6";

    private LocalIssuer issuer;
    private CallingBot bot;
    private final Recorder recorder = new Recorder();
    private final AtomicInteger asked = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        issuer = new LocalIssuer();
        bot = CallingBot.create(config -> {
            config.appId = APP;
            config.secret = "unused";
            config.tenantId = "tenant-1";
            config.useSwitchboard(issuer.base());          // decisions go nowhere useful; verification is what counts
            config.openIdConfigurationUrl = issuer.openIdConfiguration();
            config.keyRefreshInterval = Duration.ZERO;
            config.listener(recorder);
            config.onIncoming(call -> {
                asked.incrementAndGet();
                return Decision.reject(RejectReason.BUSY);
            });
        });
    }

    @AfterEach
    void stop() {
        bot.close();
        issuer.close();
    }

    @Test
    void aTokenSignedByThePublishedKeyForThisAppIsAcceptedWith202AndTheCallOffered() throws Exception {
        assertThat(deliver(issuer.token(APP, Instant.now())).status()).isEqualTo(202);
        assertThat(Recorder.next(recorder.offered).id()).isEqualTo("57dab8b1-894c-409a-b240-bd8beae78896");
    }

    @Test
    void aTokenForAnotherAudienceIsRefusedWith401() throws Exception {
        EndpointResponse r = deliver(issuer.token("another-app", Instant.now()));
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.body()).contains("aud");
        assertThat(recorder.offered).isEmpty();
    }

    @Test
    void aTokenFromAnotherIssuerIsRefusedWith401() throws Exception {
        EndpointResponse r = deliver(issuer.token(APP, Instant.now(), b -> b.issuer("https://evil.example")));
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.body()).contains("iss");
    }

    @Test
    void anExpiredTokenIsRefusedOnceBeyondTheAllowedSkew() throws Exception {
        Instant longAgo = Instant.now().minus(Duration.ofHours(1));
        assertThat(deliver(issuer.token(APP, longAgo)).body()).contains("expired");
        Instant withinSkew = Instant.now().minusSeconds(600 + 30);   // expired 30 s ago, skew is 60 s
        assertThat(deliver(issuer.token(APP, withinSkew)).status()).isEqualTo(202);
    }

    @Test
    void aTokenWithoutTidOrWithoutExpIsRefused() throws Exception {
        assertThat(deliver(issuer.token(APP, Instant.now(), b -> b.claim("tid", null))).body()).contains("tid");
        assertThat(deliver(issuer.token(APP, Instant.now(), b -> b.expirationTime((Date) null))).body()).contains("exp");
    }

    @Test
    void anUnknownKidMakesTheBotReadTheKeySetAgainAndAcceptTheRotatedKey() throws Exception {
        assertThat(deliver(issuer.token(APP, Instant.now())).status()).isEqualTo(202);
        int readsBefore = issuer.keyReads();
        issuer.rotate();

        assertThat(deliver(issuer.token(APP, Instant.now())).status()).isEqualTo(202);
        assertThat(issuer.keyReads()).isEqualTo(readsBefore + 1);
        assertThat(deliver(issuer.token(APP, Instant.now())).status()).isEqualTo(202);
        assertThat(issuer.keyReads()).as("the rotated key is cached").isEqualTo(readsBefore + 1);
    }

    @Test
    void aKeyTheIssuerNeverPublishedIsRefusedAndKeyReadsAreRateLimited() throws Exception {
        bot.close();
        bot = CallingBot.create(config -> {
            config.appId = APP;
            config.secret = "unused";
            config.tenantId = "tenant-1";
            config.useSwitchboard(issuer.base());
            config.openIdConfigurationUrl = issuer.openIdConfiguration();
            config.keyRefreshInterval = Duration.ofMinutes(5);
            config.onIncoming(call -> Decision.reject(RejectReason.BUSY));
        });
        assertThat(deliver(issuer.token(APP, Instant.now())).status()).isEqualTo(202);
        for (int i = 0; i < 5; i++) {
            EndpointResponse r = deliver(issuer.tokenByStranger(APP, Instant.now()));
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.body()).contains("not published");
        }
        assertThat(issuer.keyReads()).as("the warm start's read, at most one refresh, then none").isLessThanOrEqualTo(2);
    }

    @Test
    void aTamperedTokenIsRefused() throws Exception {
        String[] parts = issuer.token(APP, Instant.now()).split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1])).replace("tenant-1", "tenant-2");
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(claims.getBytes()) + "." + parts[2];

        EndpointResponse r = deliver(forged);

        assertThat(r.status()).isEqualTo(401);
        assertThat(r.body()).contains("signature");
    }

    @Test
    void unsignedAndNonRs256TokensAndMissingTokensAreRefused() throws Exception {
        String[] parts = issuer.token(APP, Instant.now()).split("\\.");
        String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes()) + "." + parts[1] + ".";
        assertThat(deliver(none).status()).isEqualTo(401);
        assertThat(bot.handle("POST", Map.of(), Payloads.bytes("graph-incoming-p2p.json")).status()).isEqualTo(401);
        assertThat(bot.handle("POST", Map.of("Authorization", List.of("Basic abc")), Payloads.bytes("graph-incoming-p2p.json")).status()).isEqualTo(401);
        assertThat(recorder.refused).hasSize(3);
    }

    @Test
    void aRedeliveryWithTheSameMessageIdIsAcknowledgedButDecidedOnce() throws Exception {
        String token = issuer.token(APP, Instant.now());
        Map<String, List<String>> headers = Map.of("authorization", List.of("Bearer " + token),
                "x-microsoft-skype-message-id", List.of("m-1"));

        assertThat(bot.handle("POST", headers, Payloads.bytes("graph-incoming-p2p.json")).status()).isEqualTo(202);
        assertThat(bot.handle("POST", headers, Payloads.bytes("graph-incoming-p2p.json")).status()).isEqualTo(202);

        Recorder.next(recorder.offered);
        Thread.sleep(100);
        assertThat(asked).hasValue(1);
        assertThat(recorder.refused).anyMatch(r -> r.contains("repeated message id m-1"));
    }

    @Test
    void aBodyThatIsNotANotificationIs400AndAGetIs405() throws Exception {
        Map<String, List<String>> headers = Map.of("Authorization", List.of("Bearer " + issuer.token(APP, Instant.now())));
        assertThat(bot.handle("POST", headers, "not json".getBytes()).status()).isEqualTo(400);
        assertThat(bot.handle("POST", headers, "{\"value\":[{\"resourceUrl\":\"/x\"}]}".getBytes()).status()).isEqualTo(400);
        assertThat(bot.handle("GET", headers, new byte[0]).status()).isEqualTo(405);
    }

    @Test
    void anIssuerWhoseKeysCannotBeReadGives503SoThatTheSenderRetries() throws Exception {
        String token = issuer.token(APP, Instant.now());
        issuer.close();
        bot.close();
        bot = CallingBot.create(config -> {
            config.appId = APP;
            config.secret = "unused";
            config.tenantId = "tenant-1";
            config.useSwitchboard(issuer.base());
            config.openIdConfigurationUrl = issuer.openIdConfiguration();
            config.onIncoming(call -> Decision.reject(RejectReason.BUSY));
        });
        assertThat(deliver(token).status()).isEqualTo(503);
    }

    private EndpointResponse deliver(String token) {
        return bot.handle("POST", Map.of("Authorization", List.of("Bearer " + token),
                        "X-Microsoft-Skype-Message-ID", List.of(UUID.randomUUID().toString())),
                Payloads.bytes("graph-incoming-p2p.json"));
    }
}
