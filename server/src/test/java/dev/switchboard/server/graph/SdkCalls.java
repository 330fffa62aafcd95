package dev.switchboard.server.graph;

import com.microsoft.graph.communications.calls.item.reject.RejectPostRequestBody;
import com.microsoft.graph.models.Call;
import com.microsoft.graph.models.Identity;
import com.microsoft.graph.models.IdentitySet;
import com.microsoft.graph.models.InvitationParticipantInfo;
import com.microsoft.graph.models.Modality;
import com.microsoft.graph.models.RejectReason;
import com.microsoft.graph.models.ServiceHostedMediaConfig;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import dev.switchboard.server.fixtures.TestApp;
import org.junit.jupiter.api.function.Executable;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The Graph SDK objects a bot builds to place and decide calls, as the SDK's own samples build them. */
final class SdkCalls {

    private SdkCalls() {
    }

    /** A peer-to-peer call to {@code target}, audio, service-hosted media, notifications to {@code callbackUri}. */
    static Call p2pCallTo(TestApp target, String callbackUri) {
        Call call = new Call();
        call.setCallbackUri(callbackUri);
        call.setTargets(List.of(invitee(target)));
        call.setRequestedModalities(List.of(Modality.Audio));
        call.setMediaConfig(new ServiceHostedMediaConfig());
        return call;
    }

    static InvitationParticipantInfo invitee(TestApp app) {
        Identity application = new Identity();
        application.setId(app.id());
        application.setDisplayName(app.name());
        IdentitySet identity = new IdentitySet();
        identity.setApplication(application);
        InvitationParticipantInfo target = new InvitationParticipantInfo();
        target.setIdentity(identity);
        return target;
    }

    static Call place(GraphServiceClient caller, Call call) {
        Call placed = caller.communications().calls().post(call);
        assertThat(placed).isNotNull();
        assertThat(placed.getId()).isNotBlank();
        return placed;
    }

    static void reject(GraphServiceClient bot, String callId, RejectReason reason) {
        RejectPostRequestBody body = new RejectPostRequestBody();
        body.setReason(reason);
        bot.communications().calls().byCallId(callId).reject().post(body);
    }

    static ODataError graphError(Executable request) {
        return assertThrows(ODataError.class, request);
    }

    static void assertGraphError(ODataError e, int status, String code) {
        assertThat(e.getResponseStatusCode()).as("status of %s", e.getMessage()).isEqualTo(status);
        assertThat(e.getError()).isNotNull();
        assertThat(e.getError().getCode()).isEqualTo(code);
    }
}
