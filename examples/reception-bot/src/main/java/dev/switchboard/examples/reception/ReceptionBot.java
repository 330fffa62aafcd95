package dev.switchboard.examples.reception;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.bot.BotListener;
import dev.switchboard.bot.CallEvent;
import dev.switchboard.bot.CallingBot;
import dev.switchboard.bot.Decision;
import dev.switchboard.bot.IncomingCall;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The reception bot against {@code ./switchboard serve --dev}: listens on
 * {@code http://localhost:3978/api/calling} (where the dev bot app is notified) and decides each call by
 * {@link ReceptionPolicy}. Argument: the dev.yaml path (default {@code data/dev.yaml}).
 */
public final class ReceptionBot {

    static final int CAPACITY = 2;

    private ReceptionBot() {
    }

    public static void main(String[] args) throws Exception {
        DevSettings s = DevSettings.load(Path.of(args.length > 0 ? args[0] : "data/dev.yaml"), System.getenv());
        Set<String> known = ids(s.knownCallers());
        ReceptionPolicy policy = new ReceptionPolicy(ids(s.blockedCallers()), CAPACITY, caller -> known.contains(caller.id()));
        CallingBot bot = CallingBot.create(config -> {
            config.appId = s.appId();
            config.secret = s.secret();
            config.tenantId = s.tenantId();
            config.useSwitchboard(s.baseUrl());
            config.onIncoming(policy);
            config.maxActiveCalls = CAPACITY; // atomic: simultaneous offers cannot all take the last place
            config.listener(new Log());
        });
        HttpServer server = HttpServer.create(new InetSocketAddress("localhost", 3978), 0);
        server.createContext("/api/calling", bot.httpHandler());
        server.start();
        System.out.println("reception bot " + s.appId() + " listening on http://localhost:3978/api/calling, server " + s.baseUrl());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop(0);
            bot.close();
        }));
    }

    private static Set<String> ids(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).filter(x -> !x.isEmpty()).collect(Collectors.toSet());
    }

    /** Prints what happens. */
    private static final class Log extends BotListener {
        @Override
        public void callOffered(IncomingCall call) {
            System.out.println("offered   " + call);
        }

        @Override
        public void decisionSent(IncomingCall call, Decision decision, boolean fallback) {
            System.out.println("decided   " + call.id() + " " + decision + (fallback ? " (fallback)" : ""));
        }

        @Override
        public void decisionFailed(IncomingCall call, Decision decision, Throwable failure) {
            System.out.println("failed    " + call.id() + " " + decision + ": " + failure);
        }

        @Override
        public void callTerminated(CallEvent e) {
            System.out.println("ended     " + e.callId() + " " + e.resultInfo().map(r -> r.code() + "/" + r.subcode() + " " + r.message()).orElse(""));
        }
    }
}
