package dev.switchboard.sip;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SourceRangeTest {

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void anIpv4RangeHoldsItsAddressesAndNoOthers() throws Exception {
        SourceRange trunk = SourceRange.parse("203.0.113.0/24");
        assertThat(trunk.contains(ip("203.0.113.0"))).isTrue();
        assertThat(trunk.contains(ip("203.0.113.255"))).isTrue();
        assertThat(trunk.contains(ip("203.0.114.1"))).isFalse();
        assertThat(trunk.contains(ip("::ffff:cb00:7101"))).as("the same address written as IPv4-mapped IPv6")
                .isTrue();
    }

    @Test
    void aPrefixThatEndsInsideAByteComparesOnlyItsBits() throws Exception {
        SourceRange range = SourceRange.parse("10.1.2.128/25");
        assertThat(range.contains(ip("10.1.2.200"))).isTrue();
        assertThat(range.contains(ip("10.1.2.127"))).isFalse();
        assertThat(SourceRange.parse("172.16.0.0/12").contains(ip("172.31.255.1"))).isTrue();
        assertThat(SourceRange.parse("172.16.0.0/12").contains(ip("172.32.0.1"))).isFalse();
    }

    @Test
    void oneAddressIsARangeOfOne() throws Exception {
        SourceRange one = SourceRange.parse("198.51.100.7");
        assertThat(one).hasToString("198.51.100.7/32");
        assertThat(one.contains(ip("198.51.100.7"))).isTrue();
        assertThat(one.contains(ip("198.51.100.8"))).isFalse();
    }

    @Test
    void ipv6RangesHoldIpv6AddressesAndNeverIpv4Ones() throws Exception {
        SourceRange v6 = SourceRange.parse("2001:db8::/32");
        assertThat(v6.contains(ip("2001:db8:1::5"))).isTrue();
        assertThat(v6.contains(ip("2001:db9::5"))).isFalse();
        assertThat(v6.contains(ip("127.0.0.1"))).isFalse();
        assertThat(SourceRange.parse("0.0.0.0/0").contains(ip("::1"))).isFalse();
        assertThat(SourceRange.parse("0.0.0.0/0").contains(ip("8.8.8.8"))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "trunk.example.com", "localhost", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/x",
            "2001:db8::/129", "10.0.0.0/-1"})
    void anythingButAnAddressLiteralWithAFittingPrefixIsRefused(String text) {
        assertThatThrownBy(() -> SourceRange.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }
}
