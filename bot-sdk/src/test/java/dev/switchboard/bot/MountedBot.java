package dev.switchboard.bot;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.testkit.SwitchboardExtension;
import dev.switchboard.testkit.TestApp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.function.Consumer;

/** A bot built with the SDK for a testkit app, listening on the app's callback address, on the server's clock. */
final class MountedBot implements AutoCloseable {

    final CallingBot bot;
    private final HttpServer server;

    private MountedBot(CallingBot bot, HttpServer server) {
        this.bot = bot;
        this.server = server;
    }

    static MountedBot mount(SwitchboardExtension sb, String name, Consumer<BotConfig> more) {
        TestApp app = sb.app(name);
        CallingBot bot = CallingBot.create(config -> {
            config.appId = app.id();
            config.secret = app.secret();
            config.tenantId = app.tenantId();
            config.useSwitchboard(sb.baseUrl());
            config.clock = sb.instantSource();
            more.accept(config);
        });
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), app.port()), 0);
            server.createContext(app.path(), bot.httpHandler());
            server.start();
            return new MountedBot(bot, server);
        } catch (IOException e) {
            bot.close();
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        bot.close();
    }
}
