package dev.switchboard.notify;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.core.time.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NotificationSignerTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final AtomicReference<RSAKey> key = new AtomicReference<>(Harness.KEY);
    private final NotificationSigner signer = new NotificationSigner(key::get, "https://issuer.test", clock);

    @Test
    void tokenIsAShortLivedRs256JwtForTheBotsAppAndTenant() throws Exception {
        SignedJWT jwt = SignedJWT.parse(signer.token("tenant-1", "app-1"));

        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(jwt.getHeader().getKeyID()).isEqualTo(Harness.KEY.getKeyID());
        assertThat(jwt.verify(new RSASSAVerifier(Harness.KEY.toPublicJWK()))).isTrue();
        var claims = jwt.getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo("https://issuer.test");
        assertThat(claims.getAudience()).isEqualTo(List.of("app-1"));
        assertThat(claims.getStringClaim("tid")).isEqualTo("tenant-1");
        assertThat(claims.getIssueTime().toInstant()).isEqualTo(clock.now());
        assertThat(claims.getNotBeforeTime().toInstant()).isBefore(clock.now());
        assertThat(claims.getExpirationTime().toInstant()).isEqualTo(clock.now().plus(NotificationSigner.LIFETIME));
    }

    @Test
    void tokenIsReusedPerAudienceUntilHalfItsLifetimeIsLeft() {
        String first = signer.token("tenant-1", "app-1");

        assertThat(signer.token("tenant-1", "app-1")).isSameAs(first);
        assertThat(signer.token("tenant-1", "app-2")).isNotEqualTo(first);
        assertThat(signer.token("tenant-2", "app-1")).isNotEqualTo(first);
        clock.advance(NotificationSigner.LIFETIME.dividedBy(2).minusSeconds(1));
        assertThat(signer.token("tenant-1", "app-1")).isSameAs(first);
        clock.advance(Duration.ofSeconds(1));
        assertThat(signer.token("tenant-1", "app-1")).isNotEqualTo(first);
    }

    @Test
    void rotatedKeySignsTheNextToken() throws Exception {
        String before = signer.token("tenant-1", "app-1");
        key.set(new RSAKeyGenerator(2048).keyID("test-key-2").generate());

        SignedJWT after = SignedJWT.parse(signer.token("tenant-1", "app-1"));

        assertThat(after.serialize()).isNotEqualTo(before);
        assertThat(after.getHeader().getKeyID()).isEqualTo("test-key-2");
    }

    @Test
    void keyWithoutPrivatePartCannotSign() {
        key.set(Harness.KEY.toPublicJWK());

        assertThatThrownBy(() -> signer.token("tenant-1", "app-1")).isInstanceOf(IllegalStateException.class);
    }
}
