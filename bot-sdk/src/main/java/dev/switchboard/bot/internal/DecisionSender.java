package dev.switchboard.bot.internal;

import com.microsoft.graph.communications.calls.item.CallItemRequestBuilder;
import com.microsoft.graph.communications.calls.item.answer.AnswerPostRequestBody;
import com.microsoft.graph.communications.calls.item.redirect.RedirectPostRequestBody;
import com.microsoft.graph.communications.calls.item.reject.RejectPostRequestBody;
import com.microsoft.graph.core.requests.GraphClientFactory;
import com.microsoft.graph.models.IdentitySet;
import com.microsoft.graph.models.InvitationParticipantInfo;
import com.microsoft.graph.models.Modality;
import com.microsoft.graph.models.RejectReason;
import com.microsoft.graph.models.ServiceHostedMediaConfig;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.authentication.AccessTokenProvider;
import com.microsoft.kiota.authentication.BaseBearerTokenAuthenticationProvider;
import dev.switchboard.bot.Decision;
import dev.switchboard.bot.Identity;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Sends one decision with the official Graph SDK; one request (the SDK's middleware retries 429/503/504). */
final class DecisionSender {

    private final GraphServiceClient graph;
    private final String callbackUri;

    DecisionSender(String graphBaseUrl, AccessTokenProvider tokens, String callbackUri) {
        okhttp3.OkHttpClient http = GraphClientFactory.create().callTimeout(Duration.ofSeconds(5)).build();
        this.graph = new GraphServiceClient(new BaseBearerTokenAuthenticationProvider(tokens), http);
        this.graph.getRequestAdapter().setBaseUrl(graphBaseUrl);
        this.callbackUri = callbackUri;
    }

    /** Loads what the first decision needs (request builders, serializers) without sending anything. */
    void warmUp() {
        RejectPostRequestBody body = new RejectPostRequestBody();
        body.setReason(RejectReason.Busy);
        graph.communications().calls().byCallId("warm-up").reject().toPostRequestInformation(body);
        AnswerPostRequestBody answer = new AnswerPostRequestBody();
        answer.setAcceptedModalities(List.of(Modality.Audio));
        answer.setMediaConfig(new ServiceHostedMediaConfig());
        graph.communications().calls().byCallId("warm-up").answer().toPostRequestInformation(answer);
    }

    /** Whether sending {@code d} twice has one effect on the service (so a lost answer may be retried). */
    static boolean idempotent(Decision d) {
        return !(d instanceof Decision.Redirect);
    }

    void send(String callId, Decision decision) {
        CallItemRequestBuilder call = graph.communications().calls().byCallId(callId);
        if (decision instanceof Decision.Reject r) {
            RejectPostRequestBody body = new RejectPostRequestBody();
            body.setReason(RejectReason.valueOf(capitalized(r.reason().name())));
            call.reject().post(body);
        } else if (decision instanceof Decision.Answer) {
            AnswerPostRequestBody body = new AnswerPostRequestBody();
            body.setAcceptedModalities(List.of(Modality.Audio));
            body.setMediaConfig(new ServiceHostedMediaConfig());
            if (callbackUri != null) body.setCallbackUri(callbackUri);
            call.answer().post(body);
        } else if (decision instanceof Decision.Redirect r) {
            RedirectPostRequestBody body = new RedirectPostRequestBody();
            body.setTargets(r.targets().stream().map(DecisionSender::invitee).toList());
            if (callbackUri != null) body.setCallbackUri(callbackUri);
            call.redirect().post(body);
        }
    }

    private static InvitationParticipantInfo invitee(Identity target) {
        com.microsoft.graph.models.Identity member = new com.microsoft.graph.models.Identity();
        member.setId(target.id());
        target.displayName().ifPresent(member::setDisplayName);
        target.tenantId().ifPresent(t -> member.setAdditionalData(new HashMap<>(Map.of("tenantId", t))));
        IdentitySet set = new IdentitySet();
        switch (target.kind()) {
            case "user" -> set.setUser(member);
            case "application" -> set.setApplication(member);
            case "device" -> set.setDevice(member);
            default -> {
                Map<String, Object> extra = new HashMap<>(set.getAdditionalData());
                extra.put(target.kind(), member);
                set.setAdditionalData(extra);
            }
        }
        InvitationParticipantInfo info = new InvitationParticipantInfo();
        info.setIdentity(set);
        return info;
    }

    private static String capitalized(String upper) {
        return upper.charAt(0) + upper.substring(1).toLowerCase(java.util.Locale.ROOT);
    }
}
