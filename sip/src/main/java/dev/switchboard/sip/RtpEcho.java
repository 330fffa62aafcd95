package dev.switchboard.sip;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;

/**
 * The media end of an answered call, for now: a UDP socket that sends every packet back where it came
 * from (symmetric RTP), so a caller hears itself and its RTP is accepted. One daemon thread per call;
 * {@link #close()} ends it.
 */
final class RtpEcho implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RtpEcho.class);

    private final DatagramSocket socket;

    RtpEcho(String bindHost) {
        try {
            this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(bindHost), 0));
        } catch (IOException e) {
            throw new UncheckedIOException("no UDP port for media on " + bindHost, e);
        }
        Thread t = new Thread(this::echo, "switchboard-rtp-" + socket.getLocalPort());
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    private void echo() {
        byte[] buffer = new byte[2048];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        while (!socket.isClosed()) {
            try {
                packet.setLength(buffer.length);
                socket.receive(packet);
                socket.send(packet);
            } catch (SocketException closed) {
                return;
            } catch (IOException e) {
                log.debug("RTP echo on port {}: {}", socket.getLocalPort(), e.toString());
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
