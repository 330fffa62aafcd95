package dev.switchboard.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The JSON a caller app posts to place calls, as the Graph reference shows it. */
final class CallBodies {

    private CallBodies() {
    }

    static ObjectNode p2p(TestApp target, String callbackUri) {
        ObjectNode body = GraphHttp.MAPPER.createObjectNode();
        body.put("@odata.type", "#microsoft.graph.call");
        body.put("callbackUri", callbackUri);
        ObjectNode app = body.putArray("targets").addObject()
                .put("@odata.type", "#microsoft.graph.invitationParticipantInfo")
                .putObject("identity").put("@odata.type", "#microsoft.graph.identitySet")
                .putObject("application");
        app.put("@odata.type", "#microsoft.graph.identity").put("id", target.id()).put("displayName", target.name());
        body.putArray("requestedModalities").add("audio");
        body.putObject("mediaConfig").put("@odata.type", "#microsoft.graph.serviceHostedMediaConfig");
        return body;
    }

    static ObjectNode groupInvitation(TestApp target, String callbackUri, String threadId, String organizerUserId) {
        ObjectNode body = p2p(target, callbackUri);
        body.putObject("chatInfo").put("@odata.type", "#microsoft.graph.chatInfo")
                .put("threadId", threadId).put("messageId", "0");
        ObjectNode user = body.putObject("meetingInfo").put("@odata.type", "#microsoft.graph.organizerMeetingInfo")
                .putObject("organizer").put("@odata.type", "#microsoft.graph.identitySet").putObject("user");
        user.put("@odata.type", "#microsoft.graph.identity").put("id", organizerUserId).put("tenantId", target.tenantId());
        return body;
    }
}
