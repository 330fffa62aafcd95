package dev.switchboard.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.fixtures.BotEndpoint.Notification;
import dev.switchboard.server.fixtures.RawGraph;
import dev.switchboard.server.fixtures.TestSwitchboard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bot's reject, the caller's DELETE and the 15-second deadline, fired at the same instant, many
 * times: exactly one of them decides each call, and the bot hears of that decision exactly once.
 */
class SingleOutcomeRaceTest {

    private static final int ROUNDS = 120;

    @RegisterExtension
    final TestSwitchboard switchboard = new TestSwitchboard();

    private final ExecutorService racers = Executors.newFixedThreadPool(3);

    @AfterEach
    void stopRacers() {
        racers.shutdownNow();
    }

    private record Round(OfferedCall call, int rejectStatus, int deleteStatus) {}

    @Test
    void rejectDeleteAndTimeoutRacingForOneCallHaveExactlyOneWinner() throws Exception {
        RawGraph graph = new RawGraph(switchboard.baseUrl());
        String botToken = switchboard.token(switchboard.bot());
        String callerToken = switchboard.token(switchboard.caller());
        List<Round> rounds = new ArrayList<>();
        int[] wins = new int[3];
        long seed = System.nanoTime();
        Random random = new Random(seed);

        for (int i = 0; i < ROUNDS; i++) {
            OfferedCall call = OfferedCall.place(switchboard, graph);
            CountDownLatch gate = new CountDownLatch(1);
            // a little jitter after the gate, so that each racer sometimes starts first
            Future<Integer> reject = racers.submit(gated(gate, random.nextInt(1_000),
                    () -> graph.reject(call.botLegId(), botToken, "{\"reason\":\"busy\"}").statusCode()));
            Future<Integer> delete = racers.submit(gated(gate, random.nextInt(1_000),
                    () -> graph.delete(RawGraph.CALLS + "/" + call.callerLegId(), callerToken).statusCode()));
            Future<Integer> timeout = racers.submit(gated(gate, random.nextInt(3_000), switchboard::passAnswerTimeout));
            gate.countDown();
            int rejectStatus = reject.get(10, TimeUnit.SECONDS);
            int deleteStatus = delete.get(10, TimeUnit.SECONDS);
            timeout.get(10, TimeUnit.SECONDS);
            // the sweep may have fired it instead of the racer; either way it is decided by now
            switchboard.server().fireDueDeadlines();

            JsonNode botLeg = graph.call(call.botLegId(), botToken);
            JsonNode callerLeg = graph.call(call.callerLegId(), callerToken);
            int code = botLeg.path("resultInfo").path("code").asInt();
            String round = "round " + i + " (seed " + seed + "): reject " + rejectStatus + ", delete " + deleteStatus + ", callee " + botLeg.path("resultInfo");
            assertThat(botLeg.path("state").asText()).as(round).isEqualTo("terminated");
            assertThat(callerLeg.path("state").asText()).as(round).isEqualTo("terminated");
            boolean rejectWon = rejectStatus == 202;
            boolean deleteWon = deleteStatus == 204;
            boolean timeoutWon = code == 408;
            assertThat((rejectWon ? 1 : 0) + (deleteWon ? 1 : 0) + (timeoutWon ? 1 : 0)).as(round).isEqualTo(1);
            assertThat(List.of(rejectStatus, deleteStatus)).as(round).containsAnyOf(202, 204, 404)
                    .allMatch(s -> s == 202 || s == 204 || s == 404);
            if (rejectWon) {
                wins[0]++;
                assertThat(code).as(round).isEqualTo(486);
                assertThat(callerLeg.path("resultInfo").path("code").asInt()).as(round).isEqualTo(486);
            } else if (deleteWon) {
                wins[1]++;
                assertThat(code).as(round).isEqualTo(487);
                assertThat(callerLeg.path("resultInfo").path("subcode").asInt()).as(round).isEqualTo(7000);
            } else {
                wins[2]++;
                assertThat(botLeg.path("resultInfo").path("subcode").asInt()).as(round).isEqualTo(8544);
                assertThat(callerLeg.path("resultInfo").path("code").asInt()).as(round).isEqualTo(408);
            }
            rounds.add(new Round(call, rejectStatus, deleteStatus));
        }

        switchboard.awaitAllDelivered();
        for (Round r : rounds) {
            List<Notification> heard = switchboard.botEndpoint().forCall(r.call().botLegId());
            assertThat(heard).as("bot's notifications of %s", r).extracting(Notification::changeType)
                    .containsExactly("created", "deleted");
            assertThat(heard.get(1).resourceData().path("resultInfo").path("code").asInt())
                    .isEqualTo(graph.call(r.call().botLegId(), botToken).path("resultInfo").path("code").asInt());
        }
        System.out.printf("race winners over %d rounds: reject %d, delete %d, timeout %d%n", ROUNDS, wins[0], wins[1], wins[2]);
    }

    private static <T> Callable<T> gated(CountDownLatch gate, int jitterMicros, Callable<T> action) {
        return () -> {
            gate.await();
            long until = System.nanoTime() + jitterMicros * 1_000L;
            while (System.nanoTime() < until) Thread.onSpinWait();
            return action.call();
        };
    }
}
