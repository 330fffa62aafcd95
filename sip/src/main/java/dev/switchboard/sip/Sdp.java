package dev.switchboard.sip;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * Just enough SDP (RFC 4566 / 3264) for an audio answer: G.711 (PCMU or PCMA, whichever the offer
 * lists first) plus RFC 4733 telephone-event when offered. Never throws on bad input: an offer it
 * cannot use is simply not acceptable.
 */
final class Sdp {

    static final int PCMU = 0;
    static final int PCMA = 8;
    static final int DEFAULT_TELEPHONE_EVENT = 101;
    /** Compiled once: {@code String.split} compiles a pattern of more than one character on every call. */
    private static final Pattern SPACES = Pattern.compile(" +");

    /** What the bridge will send and receive: one codec and, if agreed, DTMF events. */
    record Audio(int codec, OptionalInt telephoneEvent) {}

    private Sdp() {
    }

    /** The audio the bridge answers with; empty if the offer has no audio stream in G.711. */
    static Optional<Audio> negotiate(String offer) {
        Map<Integer, String> rtpmap = new HashMap<>();
        List<Integer> payloads = null;
        for (String raw : offer.lines().toList()) {
            String line = raw.strip();
            if (line.startsWith("m=")) {
                if (payloads != null) break;  // only the first audio stream counts
                String[] parts = SPACES.split(line.substring(2));
                if (parts.length >= 4 && parts[0].equals("audio") && !parts[1].equals("0")
                        && parts[2].toUpperCase(Locale.ROOT).startsWith("RTP/")) {
                    payloads = new ArrayList<>();
                    for (int i = 3; i < parts.length; i++) {
                        try {
                            payloads.add(Integer.parseInt(parts[i]));
                        } catch (NumberFormatException e) {
                            return Optional.empty();
                        }
                    }
                }
            } else if (payloads != null && line.startsWith("a=rtpmap:")) {
                String[] parts = SPACES.split(line.substring(9), 2);
                try {
                    if (parts.length == 2) rtpmap.put(Integer.parseInt(parts[0]), parts[1].toLowerCase(Locale.ROOT));
                } catch (NumberFormatException ignored) {
                    // not a payload type: not ours to judge
                }
            }
        }
        if (payloads == null) return Optional.empty();
        OptionalInt codec = OptionalInt.empty();
        OptionalInt events = OptionalInt.empty();
        for (int pt : payloads) {
            String map = rtpmap.getOrDefault(pt, pt == PCMU ? "pcmu/8000" : pt == PCMA ? "pcma/8000" : "");
            if (codec.isEmpty() && (map.startsWith("pcmu/8000") || map.startsWith("pcma/8000"))) {
                codec = OptionalInt.of(map.startsWith("pcmu") ? PCMU : PCMA);
            } else if (events.isEmpty() && map.startsWith("telephone-event/8000")) {
                events = OptionalInt.of(pt);
            }
        }
        return codec.isPresent() ? Optional.of(new Audio(codec.getAsInt(), events)) : Optional.empty();
    }

    /** The answer to a negotiated offer, or the bridge's own offer ({@code audio} empty) for a late offer. */
    static String describe(Optional<Audio> audio, String host, int port, long sessionId) {
        List<Integer> codecs = audio.map(a -> List.of(a.codec())).orElse(List.of(PCMU, PCMA));
        int events = audio.map(a -> a.telephoneEvent().orElse(-1)).orElse(DEFAULT_TELEPHONE_EVENT);
        String ip = host.contains(":") ? "IP6" : "IP4";
        StringBuilder sdp = new StringBuilder()
                .append("v=0\r\n")
                .append("o=switchboard ").append(sessionId).append(' ').append(sessionId).append(" IN ").append(ip)
                .append(' ').append(host).append("\r\n")
                .append("s=switchboard\r\n")
                .append("c=IN ").append(ip).append(' ').append(host).append("\r\n")
                .append("t=0 0\r\n")
                .append("m=audio ").append(port).append(" RTP/AVP");
        codecs.forEach(c -> sdp.append(' ').append(c));
        if (events >= 0) sdp.append(' ').append(events);
        sdp.append("\r\n");
        for (int c : codecs) sdp.append("a=rtpmap:").append(c).append(c == PCMU ? " PCMU/8000" : " PCMA/8000").append("\r\n");
        if (events >= 0) {
            sdp.append("a=rtpmap:").append(events).append(" telephone-event/8000\r\n")
                    .append("a=fmtp:").append(events).append(" 0-16\r\n");
        }
        sdp.append("a=ptime:20\r\na=sendrecv\r\n");
        return sdp.toString();
    }
}
