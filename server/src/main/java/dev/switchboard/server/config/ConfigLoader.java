package dev.switchboard.server.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.switchboard.core.apps.Permission;
import dev.switchboard.notify.CallbackPolicy;
import dev.switchboard.sip.GroupHeaders;
import dev.switchboard.sip.SipConfig;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;

/** Reads and checks the YAML configuration. Every refusal names the key at fault. */
public final class ConfigLoader {

    private ConfigLoader() {
    }

    public static SwitchboardConfig load(Path file) {
        if (!Files.isRegularFile(file)) throw new ConfigException("configuration file " + file + " does not exist");
        Path base = file.toAbsolutePath().getParent();
        try {
            return check(mapper(base).readValue(file.toFile(), SwitchboardConfig.class));
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null ? "" : " (known keys: " + e.getKnownPropertyIds().stream()
                    .map(String::valueOf).sorted().collect(Collectors.joining(", ")) + ")";
            throw new ConfigException("unknown key '" + path(e) + "'" + known);
        } catch (JsonMappingException e) {
            throw new ConfigException("bad value for '" + path(e) + "': " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Writes a configuration back as YAML (the development tenant is kept so). */
    public static void write(SwitchboardConfig config, Path file) throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        SimpleModule m = new SimpleModule();
        m.addSerializer(Path.class, new com.fasterxml.jackson.databind.ser.std.ToStringSerializer());
        m.addSerializer(Duration.class, new com.fasterxml.jackson.databind.JsonSerializer<>() {
            @Override
            public void serialize(Duration d, com.fasterxml.jackson.core.JsonGenerator g,
                                  com.fasterxml.jackson.databind.SerializerProvider p) throws IOException {
                g.writeString(d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms");
            }
        });
        yaml.registerModule(m);
        yaml.setSerializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL);
        Files.createDirectories(file.toAbsolutePath().getParent());
        yaml.writeValue(file.toFile(), config);
    }

    private static ObjectMapper mapper(Path base) {
        SimpleModule module = new SimpleModule();
        module.addDeserializer(Duration.class, new JsonDeserializer<>() {
            @Override
            public Duration deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
                try {
                    return Durations.parse(p.getValueAsString());
                } catch (IllegalArgumentException e) {
                    throw JsonMappingException.from(p, e.getMessage());
                }
            }
        });
        module.addDeserializer(Path.class, new JsonDeserializer<>() {
            @Override
            public Path deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
                return base.resolve(p.getValueAsString()).normalize();
            }
        });
        return new ObjectMapper(new YAMLFactory())
                .registerModule(module)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
    }

    /** Checks what types alone cannot. */
    public static SwitchboardConfig check(SwitchboardConfig c) {
        int port = c.http().port();
        if (port < 0 || port > 65535) throw new ConfigException("bad value for 'http.port': " + port + " is not a port (0-65535)");
        c.http().tlsSettings().ifPresent(tls -> {
            requireFile(tls.certificate(), "http.tls.certificate");
            requireFile(tls.privateKey(), "http.tls.privateKey");
        });
        if (c.graph().answerTimeout().isNegative() || c.graph().answerTimeout().isZero()) {
            throw new ConfigException("bad value for 'graph.answerTimeout': must be positive");
        }
        c.graph().base().ifPresent(url -> {
            URI u;
            try {
                u = URI.create(url);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("bad value for 'graph.baseUrl': " + e.getMessage());
            }
            if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
                throw new ConfigException("bad value for 'graph.baseUrl': must be an absolute http(s) URL");
            }
        });
        c.graph().limit().ifPresent(ConfigLoader::checkRateLimit);
        c.notifications().trusted().ifPresent(p -> requireFile(p, "notifications.trustedCertificates"));
        checkStore(c.store());
        if (!c.node().id().matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new ConfigException("bad value for 'node.id': '" + c.node().id()
                    + "' must be letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        if (c.node().deliveryLease().compareTo(Duration.ofSeconds(1)) < 0) {
            throw new ConfigException("bad value for 'node.deliveryLease': must be at least 1s");
        }
        c.sipSettings().map(SwitchboardConfig.Sip::nodeId).filter(id -> !id.equals(c.node().id())).ifPresent(id -> {
            throw new ConfigException("bad value for 'sip.nodeId': '" + id + "' differs from 'node.id' ('"
                    + c.node().id() + "'); one name is the node's everywhere, so set only node.id");
        });
        c.sipSettings().ifPresent(sip -> checkSip(sip, c.http()));
        Set<String> tenantIds = new HashSet<>();
        for (int t = 0; t < c.tenants().size(); t++) {
            SwitchboardConfig.Tenant tenant = c.tenants().get(t);
            String tk = "tenants[" + t + "]";
            requireText(tenant.id(), tk + ".id");
            if (!tenantIds.add(tenant.id())) throw new ConfigException("bad value for '" + tk + ".id': tenant '" + tenant.id() + "' appears twice");
            Set<String> appIds = new HashSet<>();
            for (int a = 0; a < tenant.apps().size(); a++) {
                SwitchboardConfig.AppEntry app = tenant.apps().get(a);
                String ak = tk + ".apps[" + a + "]";
                requireText(app.id(), ak + ".id");
                requireText(app.secret(), ak + ".secret");
                if (!appIds.add(app.id())) throw new ConfigException("bad value for '" + ak + ".id': app '" + app.id() + "' appears twice");
                if (app.callbackUri() != null) {
                    if (CallbackPolicy.check(app.callbackUri(), c.notifications().allowInsecureLoopback())
                            instanceof CallbackPolicy.Refused r) {
                        throw new ConfigException("bad value for '" + ak + ".callbackUri': " + r.problem());
                    }
                }
                for (int i = 0; i < app.permissions().size(); i++) {
                    String role = app.permissions().get(i);
                    if (Permission.parse(role).isEmpty()) {
                        throw new ConfigException("bad value for '" + ak + ".permissions[" + i + "]': '" + role
                                + "' is not one of " + java.util.Arrays.stream(Permission.values()).map(Permission::role)
                                .collect(Collectors.joining(", ")));
                    }
                }
            }
        }
        return c;
    }

    private static void checkRateLimit(SwitchboardConfig.RateLimit limit) {
        Double perSecond = limit.requestsPerSecond();
        if (perSecond == null || !(perSecond > 0) || perSecond.isInfinite()) {
            throw new ConfigException("bad value for 'graph.rateLimit.requestsPerSecond': "
                    + (perSecond == null ? "missing" : perSecond) + "; must be a positive number");
        }
        if (limit.burst() < 1) {
            throw new ConfigException("bad value for 'graph.rateLimit.burst': " + limit.burst() + "; must be at least 1");
        }
    }

    private static void checkStore(SwitchboardConfig.Store store) {
        if (store.retention().isNegative() || store.retention().isZero()) {
            throw new ConfigException("bad value for 'store.retention': must be positive");
        }
        switch (store.kind()) {
            case SwitchboardConfig.Store.SQLITE -> {
                onlyForPostgres(store.url(), "store.url");
                onlyForPostgres(store.user(), "store.user");
                onlyForPostgres(store.password(), "store.password");
                onlyForPostgres(store.pool(), "store.pool");
            }
            case SwitchboardConfig.Store.POSTGRES -> {
                requireText(store.url(), "store.url");
                if (!store.url().startsWith("jdbc:postgresql:")) {
                    throw new ConfigException("bad value for 'store.url': must be a PostgreSQL JDBC URL"
                            + " (jdbc:postgresql://host:5432/database)");
                }
                if (store.pool() < 1) throw new ConfigException("bad value for 'store.pool': must be at least 1");
            }
            default -> throw new ConfigException("bad value for 'store.kind': '" + store.kind() + "' is not one of "
                    + SwitchboardConfig.Store.SQLITE + ", " + SwitchboardConfig.Store.POSTGRES);
        }
    }

    /** What the SIP bridge would refuse at start, refused while loading, naming the key. */
    private static void checkSip(SwitchboardConfig.Sip sip, SwitchboardConfig.Http http) {
        try {
            sip.sources();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        if (sip.tls() != null) {
            if (http.tlsSettings().isEmpty()) {
                throw new ConfigException("missing value for 'http.tls': sip.tls presents the https certificate and key");
            }
            if (sip.tls().port() < 0 || sip.tls().port() > 65535) {
                throw new ConfigException("bad value for 'sip.tls.port': " + sip.tls().port() + " is not a port (0-65535)");
            }
        }
        if (sip.outbound() != null) {
            requireText(sip.outbound().proxy(), "sip.outbound.proxy");
            try {
                SipConfig.requireListenerFor(sip.outbound().trunk(), sip.tls() != null);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(e.getMessage());
            }
        }
        for (int r = 0; r < sip.routes().size(); r++) {
            SwitchboardConfig.SipRouteEntry route = sip.routes().get(r);
            try {
                GroupHeaders.of(String.valueOf(route.match()), route.groupHeaders());
            } catch (IllegalArgumentException e) {
                throw new ConfigException("bad value for 'sip.routes[" + r + "].groupHeaders': " + e.getMessage());
            }
        }
    }

    /** A database address under {@code kind: sqlite} is a mistake worth stopping for, not ignoring. */
    private static void onlyForPostgres(Object v, String key) {
        if (v != null) throw new ConfigException("bad value for '" + key + "': only kind postgres takes it (kind is sqlite)");
    }

    private static void requireText(String v, String key) {
        if (v == null || v.isBlank()) throw new ConfigException("missing value for '" + key + "'");
    }

    private static void requireFile(Path p, String key) {
        if (p == null) throw new ConfigException("missing value for '" + key + "'");
        if (!Files.isRegularFile(p)) throw new ConfigException("bad value for '" + key + "': file " + p + " does not exist");
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (sb.length() > 0) sb.append('.');
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }
}
