package dev.switchboard.api;

import dev.switchboard.api.http.GraphErrors;
import dev.switchboard.api.http.GraphException;
import dev.switchboard.api.http.JsonBodies;
import dev.switchboard.api.http.RequestIds;
import dev.switchboard.core.store.StoreUnavailableException;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.HttpResponseException;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The HTTP listener: Graph routes, identity routes and whatever else the server mounts, with one
 * place that turns failures into Graph error bodies.
 */
public final class GraphApi implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GraphApi.class);
    private final Javalin app;

    private GraphApi(Javalin app) {
        this.app = app;
    }

    /**
     * Starts listening.
     *
     * @param tls when present the listener speaks https only, as Graph does
     */
    public static GraphApi start(String host, int port, Optional<SSLContext> tls, List<Consumer<RoutesConfig>> mounts) {
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.http.prefer405over404 = true;
            config.http.maxRequestSize = JsonBodies.DISCARD_LIMIT;
            config.jetty.host = host;
            config.jetty.port = port;
            tls.ifPresent(ssl -> config.jetty.addConnector((server, httpConfig) -> {
                SslContextFactory.Server factory = new SslContextFactory.Server();
                factory.setSslContext(ssl);
                ServerConnector connector = new ServerConnector(server,
                        new SslConnectionFactory(factory, "http/1.1"), new HttpConnectionFactory(httpConfig));
                connector.setHost(host);
                connector.setPort(port);
                return connector;
            }));
            RoutesConfig routes = config.routes;
            routes.before(RequestIds::assign);
            mounts.forEach(m -> m.accept(routes));
            routes.exception(GraphException.class, (e, ctx) -> GraphErrors.write(ctx, e));
            routes.exception(StoreUnavailableException.class, (e, ctx) -> {
                LOG.warn("the store failed on {} {}: {}", ctx.method(), ctx.path(), e.getMessage());
                GraphErrors.write(ctx, GraphException.unavailable("The calls store is unavailable; retry later."));
            });
            routes.exception(HttpResponseException.class, (e, ctx) ->
                    GraphErrors.write(ctx, e.getStatus(), e.getStatus() == 413 ? "invalidRequest" : "BadRequest", e.getMessage()));
            routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("unhandled failure on {} {}", ctx.method(), ctx.path(), e);
                GraphErrors.write(ctx, 500, "generalException", "An unexpected error occurred.");
            });
            routes.error(404, ctx -> {
                if (ctx.result() == null || ctx.result().isEmpty()) {
                    GraphErrors.write(ctx, 404, "BadRequest", "Resource not found for the segment '" + ctx.path() + "'.");
                }
            });
            routes.error(405, ctx -> GraphErrors.write(ctx, 405, "BadRequest",
                    "The method " + ctx.method() + " is not allowed on " + ctx.path() + "."));
        });
        app.start();
        return new GraphApi(app);
    }

    public int port() {
        return ((ServerConnector) app.jettyServer().server().getConnectors()[0]).getLocalPort();
    }

    @Override
    public void close() {
        app.stop();
    }
}
