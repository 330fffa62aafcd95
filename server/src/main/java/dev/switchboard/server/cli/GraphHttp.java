package dev.switchboard.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A small client of Switchboard's public API for the command line: it acts as an app would, with
 * that app's own token, so the commands prove the same path a bot uses.
 */
final class GraphHttp {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final String token;

    private GraphHttp(String baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
    }

    /** Signs in as {@code appId} with client credentials. */
    static GraphHttp signIn(String baseUrl, String tenantId, String appId, String secret) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        String form = "grant_type=client_credentials&client_id=" + enc(appId) + "&client_secret=" + enc(secret)
                + "&scope=" + enc(baseUrl + "/.default");
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/" + tenantId + "/oauth2/v2.0/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IOException("token request failed: " + r.statusCode() + " " + r.body());
        return new GraphHttp(baseUrl, MAPPER.readTree(r.body()).get("access_token").asText());
    }

    JsonNode placeCall(ObjectNode body) throws IOException, InterruptedException {
        return expect(send("POST", "/v1.0/communications/calls", body.toString()), 201);
    }

    JsonNode getCall(String id) throws IOException, InterruptedException {
        return expect(send("GET", "/v1.0/communications/calls/" + id, null), 200);
    }

    void reject(String id, String reason) throws IOException, InterruptedException {
        expect(send("POST", "/v1.0/communications/calls/" + id + "/reject", "{\"reason\":\"" + reason + "\"}"), 202);
    }

    private HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(10));
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode expect(HttpResponse<String> r, int status) throws IOException {
        if (r.statusCode() != status) throw new IOException(r.request().method() + " " + r.request().uri() + " → " + r.statusCode() + " " + r.body());
        return r.body().isEmpty() ? MAPPER.createObjectNode() : MAPPER.readTree(r.body());
    }

    static ObjectNode callTo(String targetAppId, String callbackUri) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("@odata.type", "#microsoft.graph.call");
        body.put("callbackUri", callbackUri);
        ObjectNode target = body.putArray("targets").addObject();
        target.put("@odata.type", "#microsoft.graph.invitationParticipantInfo");
        target.putObject("identity").putObject("application").put("id", targetAppId);
        body.putArray("requestedModalities").add("audio");
        body.putObject("mediaConfig").put("@odata.type", "#microsoft.graph.serviceHostedMediaConfig");
        return body;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
