package dev.switchboard.notify;

import dev.switchboard.core.calls.ChangeType;
import dev.switchboard.core.store.PendingNotification;
import dev.switchboard.core.time.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** What the network does to one attempt, against a bot written on a bare socket so it can misbehave. */
class HttpDeliveryTest {

    private final HttpDelivery delivery = new HttpDelivery(TrustedCertificates.sslContext(Optional.empty()), 4,
            new NotificationSigner(() -> Harness.KEY, "https://issuer.test", new ManualClock(Instant.now())),
            new CallbackPolicy(true));

    @AfterEach
    void tearDown() {
        delivery.close();
    }

    @Test
    void aKeepAliveConnectionTheBotClosedIsReplacedWithoutFailingTheAttempt() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        CountDownLatch firstClosed = new CountDownLatch(1);
        try (ServerSocket bot = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> {
                try {
                    while (true) {
                        try (Socket s = bot.accept()) {
                            connections.incrementAndGet();
                            readRequest(s);
                            // keep-alive as far as the client can tell, then closed, as a bot's idle timeout does
                            answer(s, "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n");
                        }
                        firstClosed.countDown();
                    }
                } catch (IOException stopped) {
                    // the test closed the listening socket
                }
            });
            server.start();
            String callback = "http://127.0.0.1:" + bot.getLocalPort() + "/callback";

            assertThat(delivery.attempt(notification(callback))).isEqualTo(new Outcome.Delivered(202));
            assertThat(firstClosed.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(delivery.attempt(notification(callback))).isEqualTo(new Outcome.Delivered(202));
            assertThat(connections.get()).isEqualTo(2);
        }
    }

    @Test
    void aBotThatNeverAnswersFailsAfterTheAnswerTimeout() throws Exception {
        try (ServerSocket bot = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> {
                try (Socket s = bot.accept()) {
                    readRequest(s);
                    s.getInputStream().read(); // holds the connection open, answering nothing
                } catch (IOException closed) {
                    // the client gave up
                }
            });
            server.start();
            long started = System.nanoTime();

            Outcome outcome = delivery.attempt(notification("http://127.0.0.1:" + bot.getLocalPort() + "/callback"));

            assertThat(outcome).isEqualTo(new Outcome.Failed("no answer within 5 s"));
            assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(HttpDelivery.ANSWER_TIMEOUT.toNanos());
        }
    }

    @Test
    void aPortNobodyListensOnIsConnectionRefused() throws Exception {
        int port;
        try (ServerSocket gone = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = gone.getLocalPort();
        }

        assertThat(delivery.attempt(notification("http://127.0.0.1:" + port + "/callback")))
                .isEqualTo(new Outcome.Failed("connection refused"));
    }

    private static PendingNotification notification(String callback) {
        return new PendingNotification(1, "message-1", "call-1", "tenant-1", "app-1",
                "chain-1", ChangeType.CREATED, callback, "{\"id\":\"call-1\"}", 0, Instant.now());
    }

    /** Reads the request line, headers and Content-Length bytes of body. */
    private static void readRequest(Socket s) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
        int length = 0;
        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        for (int i = 0; i < length; i++) in.read();
    }

    private static void answer(Socket s, String response) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(response.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }
}
