package dev.switchboard.bot;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Recorded Graph-shaped notification bodies, and their wire quirks, as a bot's handler and listener see them. */
class EnvelopeParsingTest {

    private static final String APP = "2891555a-92ff-42e6-80fa-6e1300c6b5c6";

    private LocalIssuer issuer;
    private CallingBot bot;
    private final Recorder recorder = new Recorder();

    @BeforeEach
    void start() throws Exception {
        issuer = new LocalIssuer();
        bot = CallingBot.create(config -> {
            config.appId = APP;
            config.secret = "unused";
            config.tenantId = "tenant-1";
            config.useSwitchboard(issuer.base());
            config.openIdConfigurationUrl = issuer.openIdConfiguration();
            config.listener(recorder);
            config.onIncoming(call -> Decision.reject(RejectReason.BUSY));
        });
    }

    @AfterEach
    void stop() {
        bot.close();
        issuer.close();
    }

    @Test
    void aGraphPeerToPeerOfferShowsCallerTargetsTenantAndKeepsUnknownMembers() throws Exception {
        Instant before = Instant.now();
        deliver("graph-incoming-p2p.json");

        IncomingCall call = Recorder.next(recorder.offered);
        assertThat(call.id()).isEqualTo("57dab8b1-894c-409a-b240-bd8beae78896");
        assertThat(call.tenantId()).isEqualTo("aa67bd4c-8475-432d-bd41-39f255720e0a");
        assertThat(call.caller()).isEqualTo(new Identity("user", "112f7296-5fa4-42ca-bae8-6a692b15d4b8",
                java.util.Optional.of("John Phillips"), java.util.Optional.of("aa67bd4c-8475-432d-bd41-39f255720e0a")));
        assertThat(call.targets()).extracting(Identity::kind, Identity::id)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("applicationInstance", "2891555a-92ff-42e6-80fa-6e1300c6b5c6"));
        assertThat(call.groupInvitation()).isEmpty();
        assertThat(call.resourceData()).containsKeys("incomingContext", "callRoutes", "myParticipantId");
        @SuppressWarnings("unchecked")
        Map<String, Object> source = (Map<String, Object>) call.resourceData().get("source");
        assertThat(source).containsEntry("id", "5a4c6e3c-4a2e-4d8e-9a1c-4f6c1e2b3a4d");   // participant id under "id"
        assertThat(call.deadline()).isBetween(before.plusSeconds(15), Instant.now().plusSeconds(15));
        assertThat(call.remaining()).isLessThanOrEqualTo(Duration.ofSeconds(15)).isGreaterThan(Duration.ofSeconds(10));
    }

    @Test
    void aGroupInvitationCarriesChatInfoAndTheOrganizerOfItsMeeting() throws Exception {
        deliver("graph-incoming-group.json");

        IncomingCall call = Recorder.next(recorder.offered);
        GroupInvitation g = call.groupInvitation().orElseThrow();
        assertThat(g.chatInfo()).isEqualTo(new GroupInvitation.ChatInfo(
                "19:meeting_NjkxZTZhNTgtZjBhMi00ZDFlLWJiMWMtNDFhOTdlYzE0YTFl@thread.v2", "0", "1616523312143"));
        assertThat(g.meetingInfo().type()).isEqualTo("microsoft.graph.organizerMeetingInfo");
        assertThat(g.meetingInfo().organizer().orElseThrow().id()).isEqualTo("5810cede-f3cc-42eb-b2c1-e9bd5d53ec96");
        assertThat(g.meetingInfo().properties()).containsEntry("allowConversationWithoutHost", true);
        assertThat(call.caller().kind()).isEqualTo("application");
        assertThat(call.targets()).isEmpty();
    }

    @Test
    void aSingleObjectValueWithOdataTypesWithoutHashIsOneOffer() throws Exception {
        deliver("quirk-single-object-no-hash.json");

        IncomingCall call = Recorder.next(recorder.offered);
        assertThat(call.id()).isEqualTo("11111111-2222-3333-4444-555555555555");
        assertThat(call.caller().kind()).isEqualTo("phone");
        assertThat(call.caller().id()).isEqualTo("+14255550100");
        assertThat(call.tenantId()).as("no tenantId in the payload: the token's tid").isEqualTo("tenant-1");
        assertThat(call.targets()).extracting(Identity::id).containsExactly("bot-app");
        assertThat(call.resourceData()).containsKey("futureField");
    }

    @Test
    void untypedNotificationsWithResourceDataArraysAreReadAndNonCallResourcesIgnored() throws Exception {
        deliver("quirk-untyped-array-resourcedata.json");

        IncomingCall call = Recorder.next(recorder.offered);
        assertThat(call.id()).isEqualTo("aaaaaaaa-0000-0000-0000-000000000001");
        assertThat(call.caller()).isEqualTo(new Identity("encrypted", "opaque-1234", java.util.Optional.empty(), java.util.Optional.of("tenant-9")));
        Thread.sleep(50);
        assertThat(recorder.offered).isEmpty();
        assertThat(recorder.updated).as("a participants update is not a call").isEmpty();
    }

    @Test
    void establishedAndTerminatedUpdatesBecomeLifecycleEventsWithResultInfo() throws Exception {
        deliver("graph-established.json");
        CallEvent established = Recorder.next(recorder.established);
        assertThat(established.callId()).isEqualTo("57dab8b1-894c-409a-b240-bd8beae78896");
        assertThat(bot.activeCalls().ids()).containsExactly("57dab8b1-894c-409a-b240-bd8beae78896");

        deliver("graph-terminated.json");
        CallEvent ended = Recorder.next(recorder.terminated);
        assertThat(ended.changeType()).isEqualTo("deleted");
        assertThat(ended.state()).isEqualTo("terminated");
        assertThat(ended.resultInfo()).contains(new CallEvent.ResultInfo(408, 8544, "Callee could not be reached."));
        assertThat(ended.resourceData()).containsEntry("terminationReason", "AppTimeout");
        assertThat(bot.activeCalls().size()).isZero();
    }

    @Test
    void aBareNotificationWithoutEnvelopeIsAccepted() throws Exception {
        String bare = "{\"changeType\":\"created\",\"resourceUrl\":\"/communications/calls/c-1\","
                + "\"resourceData\":{\"state\":\"incoming\",\"id\":\"c-1\"}}";
        EndpointResponse r = bot.handle("POST", Map.of("Authorization", List.of("Bearer " + issuer.token(APP, Instant.now()))),
                bare.getBytes());
        assertThat(r.status()).isEqualTo(202);
        IncomingCall call = Recorder.next(recorder.offered);
        assertThat(call.id()).isEqualTo("c-1");
        assertThat(call.caller()).isEqualTo(Identity.unknown());
    }

    private void deliver(String payload) throws Exception {
        EndpointResponse r = bot.handle("POST", Map.of("Authorization", List.of("Bearer " + issuer.token(APP, Instant.now())),
                "X-Microsoft-Skype-Message-ID", List.of(UUID.randomUUID().toString())), Payloads.bytes(payload));
        assertThat(r.status()).as(r.body()).isEqualTo(202);
    }
}
