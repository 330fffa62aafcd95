package dev.switchboard.notify;

import dev.switchboard.core.ids.RandomIds;
import dev.switchboard.core.store.PendingNotification;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletionException;

/**
 * One attempt to deliver one notification: POST, following redirects. Never throws; every failure is
 * an {@link Outcome.Failed} naming its cause.
 *
 * <p>Blocking {@code send} on the dispatcher's own pool rather than {@code sendAsync}: the JDK client
 * completes {@code sendAsync} futures on the common pool, which on machines with two cores or fewer
 * is a new thread per response.
 */
final class HttpDelivery {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** Graph requires the bot to answer within 5 s. */
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(5);
    static final int MAX_REDIRECTS = 5;
    static final String USER_AGENT = "Switchboard/" + version();

    private final HttpClient client;
    private final NotificationSigner signer;
    private final CallbackPolicy policy;

    HttpDelivery(HttpClient client, NotificationSigner signer, CallbackPolicy policy) {
        this.client = client;
        this.signer = signer;
        this.policy = policy;
    }

    /** Blocks for at most the answer timeout per hop; call it on a thread meant for waiting. */
    Outcome attempt(PendingNotification n) {
        try {
            if (policy.check(n.callbackUri()) instanceof CallbackPolicy.Refused refused) {
                return new Outcome.Failed("undeliverable: " + refused.problem());
            }
            byte[] body = NotificationEnvelope.render(n);
            String token = signer.token(n.tenantId(), n.appId());
            URI uri = URI.create(n.callbackUri());
            for (int hops = 0; ; hops++) {
                HttpResponse<Void> response = send(request(uri, n, body, token));
                int status = response.statusCode();
                if (status >= 200 && status < 300) return new Outcome.Delivered(status);
                var location = response.headers().firstValue("Location");
                if (status < 300 || status >= 400 || location.isEmpty()) {
                    return new Outcome.Failed("HTTP " + status + " from " + uri);
                }
                if (hops == MAX_REDIRECTS) {
                    return new Outcome.Failed("more than " + MAX_REDIRECTS + " redirects, last to " + location.get());
                }
                uri = uri.resolve(location.get());
                if (policy.check(uri) instanceof CallbackPolicy.Refused refused) {
                    return new Outcome.Failed("redirected to an undeliverable location: " + refused.problem());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome.Failed("interrupted: the dispatcher is stopping");
        } catch (IOException | RuntimeException e) {
            return new Outcome.Failed(describe(e));
        }
    }

    /**
     * Sends, once more at once if a reused keep-alive connection turned out closed by the bot: that
     * is routine for HTTP/1.1 servers and no reason to hold the call's notifications back a backoff.
     */
    private HttpResponse<Void> send(HttpRequest request) throws IOException, InterruptedException {
        try {
            return client.send(request, HttpResponse.BodyHandlers.discarding());
        } catch (HttpTimeoutException | ConnectException | SSLException e) {
            throw e;
        } catch (IOException e) {
            return client.send(request, HttpResponse.BodyHandlers.discarding());
        }
    }

    private static HttpRequest request(URI uri, PendingNotification n, byte[] body, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(ANSWER_TIMEOUT)
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .header("X-Microsoft-Skype-Message-ID", n.messageId())
                .header("Scenario-Id", RandomIds.uuid())
                .header("User-Agent", USER_AGENT)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (n.callChainId() != null) request.header("X-Microsoft-Skype-Chain-ID", n.callChainId());
        return request.build();
    }

    static String describe(Throwable e) {
        Throwable cause = e;
        while (cause instanceof CompletionException && cause.getCause() != null) cause = cause.getCause();
        if (cause instanceof HttpConnectTimeoutException) return "no connection within " + CONNECT_TIMEOUT.toSeconds() + " s";
        if (cause instanceof HttpTimeoutException) return "no answer within " + ANSWER_TIMEOUT.toSeconds() + " s";
        if (cause instanceof ConnectException) return "connection refused";
        for (Throwable c = cause; c != null; c = c.getCause()) {
            if (c instanceof SSLException) return "TLS failed: " + c.getMessage();
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static String version() {
        try (InputStream in = HttpDelivery.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) p.load(in);
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }
}
