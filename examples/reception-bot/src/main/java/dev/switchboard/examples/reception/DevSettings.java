package dev.switchboard.examples.reception;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the bot finds its server and credentials: environment variables ({@code SWITCHBOARD_URL},
 * {@code BOT_APP_ID}, {@code BOT_SECRET}, {@code TENANT_ID}, {@code KNOWN_CALLERS}, {@code BLOCKED_CALLERS}),
 * else the {@code data/dev.yaml} that {@code ./switchboard serve --dev} writes (its app named {@code bot};
 * its caller app is a known caller).
 */
record DevSettings(String baseUrl, String tenantId, String appId, String secret, String knownCallers, String blockedCallers) {

    static DevSettings load(Path devYaml, Map<String, String> env) throws IOException {
        if (env.containsKey("BOT_APP_ID")) {
            return new DevSettings(env.getOrDefault("SWITCHBOARD_URL", "http://localhost:8080"), env.get("TENANT_ID"),
                    env.get("BOT_APP_ID"), env.get("BOT_SECRET"), env.getOrDefault("KNOWN_CALLERS", ""),
                    env.getOrDefault("BLOCKED_CALLERS", ""));
        }
        if (!Files.exists(devYaml)) {
            throw new IOException(devYaml + " not found: start `./switchboard serve --dev` first, or set BOT_APP_ID etc.");
        }
        JsonNode yaml = new ObjectMapper(new YAMLFactory()).readTree(devYaml.toFile());
        JsonNode tenant = yaml.path("tenants").path(0);
        JsonNode bot = app(tenant, "bot");
        String port = yaml.path("http").path("port").asText("8080");
        return new DevSettings(env.getOrDefault("SWITCHBOARD_URL", "http://localhost:" + port), tenant.path("id").asText(),
                bot.path("id").asText(), bot.path("secret").asText(),
                env.getOrDefault("KNOWN_CALLERS", app(tenant, "caller").path("id").asText()),
                env.getOrDefault("BLOCKED_CALLERS", ""));
    }

    private static JsonNode app(JsonNode tenant, String name) throws IOException {
        for (JsonNode a : tenant.path("apps")) if (name.equals(a.path("name").asText())) return a;
        throw new IOException("dev.yaml has no app named " + name);
    }
}
