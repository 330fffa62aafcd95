package dev.switchboard.sip;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.core.calls.CallActions;
import dev.switchboard.core.calls.Command;
import dev.switchboard.core.calls.Modality;
import dev.switchboard.core.calls.Verdict;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/**
 * A bot on a real HTTP socket: it records every notification, answers 202 at once, and takes its
 * decision on an offered call by executing a command against the actions directly (the HTTP API is
 * tested elsewhere).
 */
final class TestBot implements AutoCloseable {

    /** One notification as the bot saw it. */
    record Seen(String changeType, String callId, String state, int code, int subcode, JsonNode call) {}

    private final HttpServer server;
    private final ObjectMapper json = new ObjectMapper();
    private final ExecutorService deciding = Executors.newSingleThreadExecutor();
    private final CallActions actions;
    final List<Seen> seen = new CopyOnWriteArrayList<>();
    final List<Verdict> verdicts = new CopyOnWriteArrayList<>();
    private volatile Function<Seen, Optional<Command>> decide = s -> Optional.empty();

    TestBot(CallActions actions) throws IOException {
        this.actions = actions;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/callback", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                JsonNode body = json.readTree(in.readAllBytes());
                for (JsonNode n : body.path("value")) {
                    JsonNode call = n.path("resourceData");
                    Seen s = new Seen(n.path("changeType").asText(), call.path("id").asText(),
                            call.path("state").asText(), call.path("resultInfo").path("code").asInt(0),
                            call.path("resultInfo").path("subcode").asInt(0), call);
                    seen.add(s);
                    if (s.changeType().equals("created")) {
                        Function<Seen, Optional<Command>> policy = decide;
                        deciding.execute(() -> policy.apply(s).ifPresent(this::execute));
                    }
                }
            }
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        server.start();
    }

    /** Forgets what it saw and decides nothing until told. */
    void reset() {
        decide = s -> Optional.empty();
        seen.clear();
        verdicts.clear();
    }

    /** Whether every call offered to the bot has ended (its {@code deleted} arrived). */
    boolean everyCallIsOver() {
        java.util.Set<String> ended = new java.util.HashSet<>();
        seen.stream().filter(s -> s.changeType().equals("deleted")).forEach(s -> ended.add(s.callId()));
        return seen.stream().filter(s -> s.changeType().equals("created")).allMatch(s -> ended.contains(s.callId()));
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/callback";
    }

    /** A policy for {@link #decides}: the harness's app answers every call offered, with audio. */
    static Optional<Command> answer(Seen offered) {
        return Optional.of(new Command.Answer(offered.callId(), Harness.TENANT, Harness.APP, Optional.empty(),
                List.of(Modality.AUDIO)));
    }

    /** How the bot decides on every call offered from now on. */
    void decides(Function<Seen, Optional<Command>> policy) {
        this.decide = policy;
    }

    Verdict execute(Command command) {
        Verdict v = actions.execute(command).join();
        verdicts.add(v);
        return v;
    }

    Seen awaitSeen(Predicate<Seen> which) {
        await().until(() -> seen.stream().anyMatch(which));
        return seen.stream().filter(which).findFirst().orElseThrow();
    }

    /** The first {@code changeType} notification about the call {@code callId}, once it came. */
    Seen awaitSeen(String callId, String changeType) {
        return awaitSeen(s -> s.callId().equals(callId) && s.changeType().equals(changeType));
    }

    Seen awaitSeen(String changeType) {
        return awaitSeen(s -> s.changeType().equals(changeType));
    }

    long count(String changeType) {
        return seen.stream().filter(s -> s.changeType().equals(changeType)).count();
    }

    @Override
    public void close() {
        server.stop(0);
        deciding.shutdownNow();
    }
}
