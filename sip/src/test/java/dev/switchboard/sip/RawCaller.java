package dev.switchboard.sip;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * A caller that is a bare UDP socket, so that the bytes on the wire are exactly the test's. It sends
 * no ACK: a final response the bridge then retransmits until its timer H is harmless in a test.
 *
 * <p>Placeholders in a message: {@code ${port}} the bridge, {@code ${me}} this socket,
 * {@code ${branch}}, {@code ${tag}}, {@code ${callid}} fresh per {@link #send} and the same again for
 * {@link #sendInTheSameTransaction}, {@code ${len}} the body's length. Lines end in LF in a template
 * and CRLF on the wire.
 */
final class RawCaller implements AutoCloseable {

    /** A plain INVITE to the bridge's reception route, with an offer the bridge accepts. */
    static final String INVITE = "INVITE sip:reception@127.0.0.1:${port} SIP/2.0\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:${me};branch=${branch};rport\n"
            + "From: <sip:caller@example.com>;tag=${tag}\n"
            + "To: <sip:reception@127.0.0.1>\n"
            + "Call-ID: ${callid}\n"
            + "CSeq: 1 INVITE\n"
            + "Max-Forwards: 70\n"
            + "Contact: <sip:caller@127.0.0.1:${me}>\n"
            + "Content-Type: application/sdp\n"
            + "Content-Length: ${len}\n"
            + "\n" + SipPhone.OFFER;

    private final DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
    private int bridgePort;
    private String branch;
    private String tag;
    private String callId;
    private SocketAddress lastSender;

    RawCaller(int bridgePort) throws SocketException {
        this.bridgePort = bridgePort;
    }

    /** Sends from now on to a bridge on {@code port}, as a phone does once a restarted server listens again. */
    RawCaller to(int port) {
        this.bridgePort = port;
        return this;
    }

    /** Sends with a fresh branch, tag and Call-ID. */
    void send(String template) throws Exception {
        branch = "z9hG4bK" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        tag = Long.toHexString(ThreadLocalRandom.current().nextLong());
        callId = Long.toHexString(ThreadLocalRandom.current().nextLong()) + "@raw";
        sendInTheSameTransaction(template);
    }

    /** Sends with the branch, tag and Call-ID of the last {@link #send}: a CANCEL of that INVITE, say. */
    void sendInTheSameTransaction(String template) throws Exception {
        String wire = template.replace("\n", "\r\n");
        int split = wire.indexOf("\r\n\r\n");
        String body = split < 0 ? "" : wire.substring(split + 4);
        wire = wire.replace("${port}", String.valueOf(bridgePort))
                .replace("${me}", String.valueOf(socket.getLocalPort()))
                .replace("${branch}", branch)
                .replace("${tag}", tag)
                .replace("${callid}", callId)
                .replace("${len}", String.valueOf(body.getBytes(StandardCharsets.UTF_8).length));
        byte[] bytes = wire.getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getByName("127.0.0.1"), bridgePort));
    }

    /**
     * The status lines received until one matches {@code last}, or until the line has been quiet
     * for a second and a half (the bot decides within milliseconds).
     */
    List<String> receiveUntil(Predicate<String> last) throws Exception {
        List<String> statuses = new ArrayList<>();
        Instant giveUp = Instant.now().plus(Duration.ofSeconds(10));
        while (Instant.now().isBefore(giveUp)) {
            Optional<String> message = receive();
            if (message.isEmpty()) break;
            String status = firstLine(message.get());
            statuses.add(status);
            if (last.test(status)) break;
        }
        return statuses;
    }

    /** The first message whose status line matches, those before it read past; empty once the line is quiet. */
    Optional<String> receiveFirst(Predicate<String> statusLine) throws Exception {
        for (Optional<String> m = receive(); m.isPresent(); m = receive()) {
            if (statusLine.test(firstLine(m.get()))) return m;
        }
        return Optional.empty();
    }

    /** The named header's line of {@code message} ("To: <sip:…>;tag=…"), matched without case. */
    static String header(String message, String name) {
        String prefix = name + ":";
        return message.lines().filter(l -> l.regionMatches(true, 0, prefix, 0, prefix.length())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " header in " + firstLine(message)));
    }

    /** The tag of a From or To header's line, as {@link #header} gives it. */
    static String tagOf(String headerLine) {
        int at = headerLine.indexOf(";tag=");
        if (at < 0) throw new AssertionError("no tag in " + headerLine);
        String rest = headerLine.substring(at + 5);
        int end = rest.indexOf(';');
        return (end < 0 ? rest : rest.substring(0, end)).strip();
    }

    /** The next datagram's text, or empty once the line has been quiet for a second and a half. */
    Optional<String> receive() throws Exception {
        socket.setSoTimeout(1_500);
        DatagramPacket packet = new DatagramPacket(new byte[65_536], 65_536);
        try {
            socket.receive(packet);
        } catch (SocketTimeoutException quiet) {
            return Optional.empty();
        }
        lastSender = packet.getSocketAddress();
        return Optional.of(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8));
    }

    /** Answers {@code request}, the last message received, with a bare {@code status}, to where it came from. */
    void reply(String request, int status) throws Exception {
        StringBuilder response = new StringBuilder("SIP/2.0 " + status + " OK\r\n");
        for (String name : List.of("Via", "From", "To", "Call-ID", "CSeq")) {
            response.append(header(request, name)).append("\r\n");
        }
        response.append("Content-Length: 0\r\n\r\n");
        byte[] bytes = response.toString().getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(bytes, bytes.length, lastSender));
    }

    /** This socket's port: what ${me} stands for. */
    int port() {
        return socket.getLocalPort();
    }

    /** The Call-ID and From tag of the last {@link #send}. */
    String callId() {
        return callId;
    }

    String tag() {
        return tag;
    }

    static String firstLine(String message) {
        int eol = message.indexOf("\r\n");
        return eol < 0 ? message : message.substring(0, eol);
    }

    @Override
    public void close() {
        socket.close();
    }
}
