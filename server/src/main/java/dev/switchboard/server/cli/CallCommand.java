package dev.switchboard.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.server.Switchboard;
import dev.switchboard.server.config.ConfigLoader;
import dev.switchboard.server.config.SwitchboardConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;

/** Places a call through the public API as the {@code --from} app, and waits for how it ends. */
@Command(name = "call", mixinStandardHelpOptions = true, description = "Place a call as one app to another and print how it ended.")
final class CallCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, description = "The server's YAML configuration.")
    Path config;

    @Option(names = "--from", required = true, description = "The calling app's id.")
    String from;

    @Option(names = "--to", required = true, description = "The called app's id.")
    String to;

    @Option(names = "--group", description = "Invite the app to a group call (chatInfo and meetingInfo).")
    boolean group;

    @Option(names = "--thread-id", description = "With --group: the chat thread id.", defaultValue = "19:meeting_switchboard@thread.v2")
    String threadId;

    @Option(names = "--meeting-organizer", description = "With --group: the organizer's user id (organizerMeetingInfo).")
    String organizer;

    @Option(names = "--join-meeting-id", description = "With --group: a join meeting id (joinMeetingIdMeetingInfo).")
    String joinMeetingId;

    @Option(names = "--base-url", description = "Where the server listens (default: from the configuration).")
    String baseUrl;

    @Override
    public Integer call() throws Exception {
        SwitchboardConfig cfg = ConfigLoader.load(config);
        SwitchboardConfig.Tenant tenant = cfg.tenants().stream()
                .filter(t -> t.apps().stream().anyMatch(a -> a.id().equals(from))).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no app " + from + " in " + config));
        SwitchboardConfig.AppEntry caller = tenant.apps().stream().filter(a -> a.id().equals(from)).findFirst().orElseThrow();
        String base = Optional.ofNullable(baseUrl).or(() -> cfg.graph().base())
                .orElse((cfg.http().tlsSettings().isPresent() ? "https" : "http") + "://" + Switchboard.urlHost(cfg.http().host())
                        + ":" + cfg.http().port());
        GraphHttp client = GraphHttp.signIn(base, tenant.id(), caller.id(), caller.secret());
        ObjectNode body = GraphHttp.callTo(to, Optional.ofNullable(caller.callbackUri()).orElse("https://localhost/unused"));
        if (group) {
            body.putObject("chatInfo").put("@odata.type", "#microsoft.graph.chatInfo").put("threadId", threadId).put("messageId", "0");
            ObjectNode meeting = body.putObject("meetingInfo");
            if (joinMeetingId != null) {
                meeting.put("@odata.type", "#microsoft.graph.joinMeetingIdMeetingInfo").put("joinMeetingId", joinMeetingId);
            } else {
                meeting.put("@odata.type", "#microsoft.graph.organizerMeetingInfo").putObject("organizer")
                        .putObject("user").put("id", organizer != null ? organizer : "organizer").put("tenantId", tenant.id());
            }
        }
        JsonNode call = client.placeCall(body);
        String id = call.path("id").asText();
        System.out.println("placed call " + id + " (" + call.path("state").asText() + ")");
        Instant giveUp = Instant.now().plus(cfg.graph().answerTimeout()).plusSeconds(10);
        String last = "";
        while (Instant.now().isBefore(giveUp)) {
            call = client.getCall(id);
            String state = call.path("state").asText();
            if (!state.equals(last)) System.out.println("  " + Instant.now() + "  " + state);
            last = state;
            if (state.equals("terminated") || state.equals("established")) break;
            Thread.sleep(Duration.ofMillis(100).toMillis());
        }
        JsonNode r = call.path("resultInfo");
        if (call.path("state").asText().equals("terminated")) {
            System.out.printf("ended: %d/%d %s%n", r.path("code").asInt(), r.path("subcode").asInt(), r.path("message").asText());
        } else {
            System.out.println("call is " + call.path("state").asText());
        }
        return 0;
    }
}
