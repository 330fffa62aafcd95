package dev.switchboard.server.ops;

import dev.switchboard.core.store.CallStore;
import io.javalin.config.RoutesConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** What operators poll: liveness, readiness (can we store calls?) and Prometheus metrics. */
public final class OpsRoutes {

    private OpsRoutes() {
    }

    public static void register(RoutesConfig routes, CallStore store, PrometheusMeterRegistry metrics) {
        routes.get("/healthz", ctx -> ctx.contentType("application/json").result("{\"status\":\"ok\"}"));
        routes.get("/readyz", ctx -> {
            boolean ready = store.healthy();
            ctx.status(ready ? 200 : 503).contentType("application/json")
                    .result(ready ? "{\"status\":\"ready\"}" : "{\"status\":\"unavailable\",\"reason\":\"store\"}");
        });
        routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
    }
}
