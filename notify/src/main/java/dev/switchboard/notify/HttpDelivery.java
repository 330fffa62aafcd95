package dev.switchboard.notify;

import dev.switchboard.core.ids.RandomIds;
import dev.switchboard.core.store.PendingNotification;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.impl.routing.SystemDefaultRoutePlanner;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.ProxySelector;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

/**
 * One attempt to deliver one notification: POST, following redirects. Never throws; every failure is
 * an {@link Outcome.Failed} naming its cause.
 *
 * <p>Apache HttpClient's classic (blocking) client, so a sender thread writes the request and reads
 * the answer itself. The JDK client did its I/O on a selector thread and handed every response back
 * through its executor, waking three threads per notification; on two cores those wake-ups are dear
 * ({@code docs/performance.md}, "Notifications on the sender's own thread"). Proxies are the JVM's,
 * as {@link ProxySelector#getDefault()} gives them.
 */
final class HttpDelivery implements AutoCloseable {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** Graph requires the bot to answer within 5 s. */
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(5);
    static final int MAX_REDIRECTS = 5;
    static final String USER_AGENT = "Switchboard/" + version();
    /** Keep-alive connections idle this long are closed: the bot may have closed its end already. */
    private static final TimeValue IDLE = TimeValue.ofSeconds(30);
    private static final ContentType JSON = ContentType.create("application/json");

    private final CloseableHttpClient client;
    private final NotificationSigner signer;
    private final CallbackPolicy policy;

    /** @param connections at most this many open at once, per bot and in all: one per sender */
    HttpDelivery(SSLContext tls, int connections, NotificationSigner signer, CallbackPolicy policy) {
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setTlsSocketStrategy(ClientTlsStrategyBuilder.create().setSslContext(tls).buildClassic())
                        .setMaxConnTotal(connections)
                        .setMaxConnPerRoute(connections)
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(CONNECT_TIMEOUT))
                                .setSocketTimeout(Timeout.of(ANSWER_TIMEOUT))
                                .build())
                        .build())
                .setRoutePlanner(new SystemDefaultRoutePlanner(ProxySelector.getDefault()))
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.of(ANSWER_TIMEOUT)).build())
                .evictIdleConnections(IDLE)
                // redirects are followed below, each hop checked against the callback policy
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableContentCompression()
                .disableAuthCaching()
                .setUserAgent(USER_AGENT)
                .build();
        this.signer = signer;
        this.policy = policy;
    }

    private record Answer(int status, Optional<String> location) {
    }

    /** Blocks until the bot answers, up to the answer timeout per read; call it on a thread meant for waiting. */
    Outcome attempt(PendingNotification n) {
        try {
            if (policy.check(n.callbackUri()) instanceof CallbackPolicy.Refused refused) {
                return new Outcome.Failed("undeliverable: " + refused.problem());
            }
            byte[] body = NotificationEnvelope.render(n);
            String token = signer.token(n.tenantId(), n.appId());
            URI uri = URI.create(n.callbackUri());
            for (int hops = 0; ; hops++) {
                Answer answer = send(uri, n, body, token);
                int status = answer.status();
                if (status >= 200 && status < 300) return new Outcome.Delivered(status);
                Optional<String> location = answer.location();
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
        } catch (IOException | RuntimeException e) {
            return new Outcome.Failed(describe(e));
        }
    }

    /**
     * Sends, once more at once if a reused keep-alive connection turned out closed by the bot: that
     * is routine for HTTP/1.1 servers and no reason to hold the call's notifications back a backoff.
     */
    private Answer send(URI uri, PendingNotification n, byte[] body, String token) throws IOException {
        try {
            return exchange(uri, n, body, token);
        } catch (SocketTimeoutException | ConnectException | SSLException e) { // connect timeouts too
            throw e;
        } catch (IOException e) {
            return exchange(uri, n, body, token);
        }
    }

    private Answer exchange(URI uri, PendingNotification n, byte[] body, String token) throws IOException {
        HttpPost post = new HttpPost(uri);
        post.setHeader("Authorization", "Bearer " + token);
        post.setHeader("X-Microsoft-Skype-Message-ID", n.messageId());
        post.setHeader("Scenario-Id", RandomIds.uuid());
        if (n.callChainId() != null) post.setHeader("X-Microsoft-Skype-Chain-ID", n.callChainId());
        post.setEntity(new ByteArrayEntity(body, JSON));
        return client.execute(post, response -> {
            EntityUtils.consume(response.getEntity()); // read to the end, so the connection can be reused
            Header location = response.getFirstHeader("Location");
            return new Answer(response.getCode(), Optional.ofNullable(location).map(Header::getValue));
        });
    }

    /** Closes every connection: a sender blocked on one fails at once. */
    @Override
    public void close() {
        client.close(CloseMode.IMMEDIATE);
    }

    private static String describe(Throwable cause) {
        if (cause instanceof ConnectTimeoutException) return "no connection within " + CONNECT_TIMEOUT.toSeconds() + " s";
        if (cause instanceof SocketTimeoutException) return "no answer within " + ANSWER_TIMEOUT.toSeconds() + " s";
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
