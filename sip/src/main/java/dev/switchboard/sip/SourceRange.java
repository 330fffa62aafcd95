package dev.switchboard.sip;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Objects;

/**
 * Addresses in CIDR notation ({@code 203.0.113.0/24}, {@code 2001:db8::/32}, or one address, which is a
 * range of one): where INVITEs may come from, when {@code sip.allowFrom} names any. A port open to the
 * internet is called by scanners within minutes; a trunk's addresses are known.
 *
 * <pre>{@code
 * SourceRange trunk = SourceRange.parse("203.0.113.0/24");
 * trunk.contains(InetAddress.getByName("203.0.113.7"));   // true
 * }</pre>
 *
 * @param network the range's first address
 * @param prefix  how many leading bits every address in it shares with {@code network}
 */
public record SourceRange(InetAddress network, int prefix) {

    public SourceRange {
        Objects.requireNonNull(network, "network");
        int bits = network.getAddress().length * 8;
        if (prefix < 0 || prefix > bits) throw new IllegalArgumentException("prefix must be 0.." + bits + ": " + prefix);
    }

    /**
     * @param text an address literal, with or without {@code /prefix}; never a host name, so parsing
     *             never asks DNS
     * @throws IllegalArgumentException if it is not one
     */
    public static SourceRange parse(String text) {
        String trimmed = Objects.requireNonNull(text, "text").strip();
        int slash = trimmed.indexOf('/');
        String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        if (address.isEmpty() || !address.toLowerCase(Locale.ROOT).matches("[0-9a-f:.]+")) {
            throw new IllegalArgumentException("'" + text + "' is not an address range such as 203.0.113.0/24");
        }
        InetAddress network;
        try {
            network = InetAddress.getByName(address);  // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not an address range such as 203.0.113.0/24");
        }
        int bits = network.getAddress().length * 8;
        int prefix;
        try {
            prefix = slash < 0 ? bits : Integer.parseInt(trimmed.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' has no prefix length after '/'");
        }
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("'" + text + "': the prefix must be 0.." + bits);
        }
        return new SourceRange(network, prefix);
    }

    /** Whether {@code address} is in the range; an IPv4 address is never in an IPv6 range, nor the reverse. */
    public boolean contains(InetAddress address) {
        byte[] mine = network.getAddress();
        byte[] theirs = address.getAddress();
        if (mine.length != theirs.length) return false;
        int whole = prefix / 8;
        for (int i = 0; i < whole; i++) {
            if (mine[i] != theirs[i]) return false;
        }
        int rest = prefix % 8;
        if (rest == 0) return true;
        int mask = 0xff << (8 - rest) & 0xff;
        return (mine[whole] & mask) == (theirs[whole] & mask);
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + prefix;
    }
}
