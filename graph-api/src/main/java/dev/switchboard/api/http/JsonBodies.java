package dev.switchboard.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.javalin.http.Context;

/** Reads a request body as a JSON object, refusing what is too large, not JSON, or not an object. */
public final class JsonBodies {

    public static final int MAX_BYTES = 64 * 1024;
    /** Bodies up to this size are read (and dropped) before a 413, so that the connection survives. */
    public static final int DISCARD_LIMIT = 1024 * 1024;

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonBodies() {
    }

    /** The body as an object; an empty body is an empty object, as the SDKs send none for some actions. */
    public static JsonNode object(Context ctx) {
        // A body we refuse unread makes the server close the connection while the client still
        // sends, and some clients then see a reset instead of the 413; so read what is reasonable.
        if (ctx.contentLength() > DISCARD_LIMIT) throw tooLarge();
        byte[] bytes = ctx.bodyAsBytes();
        bytes = decoded(ctx.header("Content-Encoding"), bytes);
        if (bytes.length > MAX_BYTES) throw tooLarge();
        if (bytes.length == 0) return JsonNodeFactory.instance.objectNode();
        String type = ctx.contentType();
        if (type == null || !type.toLowerCase().startsWith("application/json")) {
            throw new GraphException(415, "invalidRequest", "Content-Type must be application/json.");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw GraphException.invalidRequest("The request body is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw GraphException.invalidRequest("The request body could not be read.");
        }
        if (node == null || !node.isObject()) throw GraphException.invalidRequest("The request body must be a JSON object.");
        return node;
    }

    private static GraphException tooLarge() {
        return new GraphException(413, "invalidRequest", "The request body is larger than " + MAX_BYTES + " bytes.");
    }

    /**
     * The body as sent before compression: Kiota's compression handler (the Go SDK's, for one) sends
     * request bodies gzipped, as Graph accepts them. Inflating stops past the size limit, so a small
     * compressed body cannot expand without bound.
     */
    private static byte[] decoded(String contentEncoding, byte[] bytes) {
        if (contentEncoding == null || contentEncoding.isBlank() || contentEncoding.trim().equalsIgnoreCase("identity")) {
            return bytes;
        }
        if (!contentEncoding.trim().equalsIgnoreCase("gzip")) {
            throw new GraphException(415, "invalidRequest", "Content-Encoding '" + contentEncoding + "' is not supported; use gzip or none.");
        }
        try (java.io.InputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
            byte[] inflated = in.readNBytes(MAX_BYTES + 1);
            if (inflated.length > MAX_BYTES) throw tooLarge();
            return inflated;
        } catch (java.io.IOException e) {
            throw GraphException.invalidRequest("The request body is not valid gzip.");
        }
    }
}
