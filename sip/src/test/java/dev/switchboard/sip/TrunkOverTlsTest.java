package dev.switchboard.sip;

import dev.switchboard.core.calls.Call;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import javax.sip.address.SipURI;
import javax.sip.header.ContactHeader;
import javax.sip.header.ViaHeader;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A trunk reached over TLS ({@code ;transport=tls} in {@code sip.outbound.proxy}): the bridge checks
 * that the trunk's certificate chains to what it trusts and names the trunk's host (RFC 5922), and a
 * trunk that fails either check never gets the INVITE.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrunkOverTlsTest {

    Path dir;
    TestIdentity bridge;
    TestIdentity trunkNamed;
    TestIdentity trunkNamedElsewhere;

    @BeforeAll
    void identities(@TempDir Path dir) throws Exception {
        this.dir = dir;
        bridge = TestIdentity.generate(dir, "localhost", "dns:localhost,ip:127.0.0.1");
        trunkNamed = TestIdentity.generate(dir, "trunk", "ip:127.0.0.1");
        trunkNamedElsewhere = TestIdentity.generate(dir, "elsewhere", "dns:elsewhere.example");
    }

    private Harness bridgeTo(SipTrunk trunk, List<X509Certificate> trusted, String store) throws Exception {
        return new Harness(dir.resolve(store), c -> c.withTls(bridge.listener()).withOutbound(SipOutbound.parse(
                "sip:127.0.0.1:" + trunk.port() + ";transport=tls", Optional.empty()).trusting(trusted)));
    }

    @Test
    void aTrustedTrunkThatIsTheHostItNamesGetsTheInviteOverTls() throws Exception {
        try (SipTrunk trunk = new SipTrunk(trunkNamed);
             Harness h = bridgeTo(trunk, List.of(trunkNamed.certificate()), "trusted")) {
            Call call = h.placeThroughTrunk(SipCallTest.phone("+4940555"));

            SipTrunk.Incoming in = trunk.awaitInvite();
            assertThat(((ViaHeader) in.invite.getHeader(ViaHeader.NAME)).getTransport()).isEqualToIgnoringCase("tls");
            SipURI contact = (SipURI) ((ContactHeader) in.invite.getHeader(ContactHeader.NAME)).getAddress().getURI();
            assertThat(contact.getTransportParam()).isEqualToIgnoringCase("tls");
            assertThat(contact.getPort()).as("in-dialog requests come back to the TLS listener").isEqualTo(h.bridge.tlsPort());
            in.respond(486);

            assertThat(h.bot.awaitSeen(call.id(), "deleted").code()).isEqualTo(486);
        }
    }

    @Test
    void aTrunkWhoseCertificateIsNotTrustedNeverGetsTheInvite() throws Exception {
        try (SipTrunk trunk = new SipTrunk(trunkNamed);
             Harness h = bridgeTo(trunk, List.of(), "untrusted")) {
            Call call = h.placeThroughTrunk(SipCallTest.phone("+4940555"));

            assertThat(h.bot.awaitSeen(call.id(), "deleted").code()).isEqualTo(503);
            assertThat(trunk.noInvite()).isTrue();
        }
    }

    @Test
    void aTrustedCertificateThatNamesAnotherHostIsRefused() throws Exception {
        try (SipTrunk trunk = new SipTrunk(trunkNamedElsewhere);
             Harness h = bridgeTo(trunk, List.of(trunkNamedElsewhere.certificate()), "elsewhere")) {
            Call call = h.placeThroughTrunk(SipCallTest.phone("+4940555"));

            assertThat(h.bot.awaitSeen(call.id(), "deleted").code()).isEqualTo(503);
            assertThat(trunk.noInvite()).isTrue();
        }
    }

    @Test
    void namesFollowRfc6125() throws Exception {
        X509Certificate ip = trunkNamed.certificate();
        X509Certificate dns = trunkNamedElsewhere.certificate();
        assertThat(TrunkIdentityPolicy.names(ip, "127.0.0.1")).isTrue();
        assertThat(TrunkIdentityPolicy.names(ip, "127.0.0.2")).isFalse();
        assertThat(TrunkIdentityPolicy.names(ip, "trunk")).as("the CN does not count beside a subjectAltName").isFalse();
        assertThat(TrunkIdentityPolicy.names(dns, "ELSEWHERE.example.")).isTrue();
        assertThat(TrunkIdentityPolicy.names(dns, "a.elsewhere.example")).isFalse();
        assertThat(TrunkIdentityPolicy.names(dns, "127.0.0.1")).isFalse();
        assertThat(TrunkIdentityPolicy.dnsMatches("*.trunk.example", "sbc1.trunk.example")).isTrue();
        assertThat(TrunkIdentityPolicy.dnsMatches("*.trunk.example", "trunk.example")).isFalse();
        assertThat(TrunkIdentityPolicy.dnsMatches("*.trunk.example", "a.sbc1.trunk.example")).as("one label only").isFalse();
        assertThat(TrunkIdentityPolicy.dnsMatches("*.example", "trunk.example")).as("not over a single label").isFalse();
        assertThat(TrunkIdentityPolicy.dnsMatches("*.", "trunk.")).isFalse();
    }

    @Test
    void aTrunkOverTlsNeedsTheBridgesOwnListener() {
        SipOutbound overTls = SipOutbound.parse("sips:trunk.example.com", Optional.empty());
        assertThat(overTls.transport()).isEqualTo("tls");
        assertThat(overTls.port()).isEqualTo(5061);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SipConfig.of("127.0.0.1", 0, List.of()).withOutbound(overTls))
                .hasMessageContaining("'sip.tls'");
    }
}
