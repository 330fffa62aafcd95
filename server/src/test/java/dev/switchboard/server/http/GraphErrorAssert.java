package dev.switchboard.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.fixtures.RawGraph;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks that a response is a Graph error of the contract's shape. */
final class GraphErrorAssert {

    private GraphErrorAssert() {
    }

    /** Asserts status, {@code error.code} and the full error shape; returns {@code error.message}. */
    static String assertGraphError(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as("status of %s %s: %s", r.request().method(), r.request().uri(), r.body())
                .isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode error = RawGraph.json(r).path("error");
        assertThat(error.path("code").asText()).as("error.code in %s", r.body()).isEqualTo(code);
        assertThat(error.path("message").asText()).isNotBlank();
        JsonNode inner = error.path("innerError");
        assertThat(inner.path("date").asText()).as("innerError.date, without offset")
                .matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}");
        assertThat(inner.path("request-id").asText()).isNotBlank()
                .isEqualTo(r.headers().firstValue("request-id").orElse(null));
        return error.path("message").asText();
    }
}
