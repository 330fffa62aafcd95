package dev.switchboard.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.time.Clock;
import dev.switchboard.server.Switchboard;
import dev.switchboard.server.config.SwitchboardConfig;
import picocli.CommandLine.Command;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** One call, placed and rejected, on a throw-away server: what Switchboard does, in a few seconds. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start a server on a temporary store, place one call, have a demo bot reject it as busy.")
final class DemoCommand implements Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        Path dataDir = Files.createTempDirectory("switchboard-demo");
        try (NotificationInbox botInbox = new NotificationInbox();
             NotificationInbox callerInbox = new NotificationInbox()) {
            SwitchboardConfig config = DevTenant.loadOrCreate(dataDir, 0, botInbox.url(), callerInbox.url())
                    .withDataDir(dataDir);
            String tenant = config.tenants().get(0).id();
            SwitchboardConfig.AppEntry bot = DevTenant.app(config, DevTenant.BOT);
            SwitchboardConfig.AppEntry caller = DevTenant.app(config, DevTenant.CALLER);
            try (Switchboard sb = Switchboard.start(config, Clock.system())) {
                System.out.println("Switchboard is listening on " + sb.baseUrl() + " (temporary store in " + dataDir + ")");
                botInbox.trust(sb.baseUrl(), bot.id());
                callerInbox.trust(sb.baseUrl(), caller.id());
                GraphHttp botClient = GraphHttp.signIn(sb.baseUrl(), tenant, bot.id(), bot.secret());
                GraphHttp callerClient = GraphHttp.signIn(sb.baseUrl(), tenant, caller.id(), caller.secret());

                // the demo bot: every incoming call is rejected as busy, after the 202 went back
                botInbox.onNotification(n -> {
                    JsonNode call = n.path("resourceData");
                    if ("created".equals(n.path("changeType").asText()) && "incoming".equals(call.path("state").asText())) {
                        CompletableFuture.runAsync(() -> {
                            try {
                                System.out.println("bot    : rejecting call " + call.path("id").asText() + " as busy");
                                botClient.reject(call.path("id").asText(), "busy");
                            } catch (Exception e) {
                                System.err.println("bot    : reject failed: " + e.getMessage());
                            }
                        });
                    }
                });
                CompletableFuture<JsonNode> ended = new CompletableFuture<>();
                callerInbox.onNotification(n -> {
                    if ("deleted".equals(n.path("changeType").asText())) ended.complete(n.path("resourceData"));
                });

                JsonNode placed = callerClient.placeCall(GraphHttp.callTo(bot.id(), callerInbox.url()));
                System.out.println("caller : placed call " + placed.path("id").asText() + " to the bot (state "
                        + placed.path("state").asText() + ")");
                JsonNode outcome = ended.get(30, TimeUnit.SECONDS);
                Thread.sleep(200); // let the bot's deleted notification land too, for the printout
                print("bot", botInbox);
                print("caller", callerInbox);
                JsonNode result = outcome.path("resultInfo");
                System.out.printf("outcome: the caller's call ended %s with %d/%d \"%s\"%n", outcome.path("state").asText(),
                        result.path("code").asInt(), result.path("subcode").asInt(), result.path("message").asText());
                return result.path("code").asInt() == 486 ? 0 : 1;
            }
        }
    }

    private static void print(String who, NotificationInbox inbox) {
        System.out.println("notifications received by the " + who + " (each with a verified JWT):");
        for (JsonNode n : inbox.received()) {
            JsonNode call = n.path("resourceData");
            String result = call.has("resultInfo") ? " resultInfo " + call.get("resultInfo").path("code").asInt() + "/"
                    + call.get("resultInfo").path("subcode").asInt() + " " + call.get("resultInfo").path("message").asText() : "";
            System.out.printf("  %-8s state=%-12s call=%s%s%n", n.path("changeType").asText(), call.path("state").asText(),
                    call.path("id").asText(), result);
        }
    }
}
