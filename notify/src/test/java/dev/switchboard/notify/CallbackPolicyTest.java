package dev.switchboard.notify;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class CallbackPolicyTest {

    @ParameterizedTest
    @ValueSource(strings = {"https://bot.example.com/api/calls", "https://10.0.0.5:8443/cb", "HTTPS://Bot.Example.com/"})
    void httpsIsDeliverableAnywhere(String uri) {
        assertThat(CallbackPolicy.check(uri, false)).isInstanceOf(CallbackPolicy.Deliverable.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://localhost:3978/api/calls", "http://127.0.0.1/cb", "http://127.1.2.3:80/",
            "http://[::1]:8080/cb"})
    void httpToLoopbackIsDeliverableOnlyWhenInsecureLoopbackIsAllowed(String uri) {
        assertThat(CallbackPolicy.check(uri, true)).isInstanceOf(CallbackPolicy.Deliverable.class);
        assertThat(CallbackPolicy.check(uri, false)).isInstanceOf(CallbackPolicy.Refused.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://bot.example.com/cb", "http://10.0.0.5/cb", "http://128.0.0.1/cb",
            "http://localhost.evil.example/cb", "http://127.0.0.1.evil.example/cb"})
    void httpToAnyOtherHostIsRefused(String uri) {
        assertThat(CallbackPolicy.check(uri, true)).isInstanceOf(CallbackPolicy.Refused.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/calls", "bot.example.com/cb", "ftp://bot.example.com/cb", "https:opaque",
            "https://", "not a uri", "https://user:secret@bot.example.com/cb", " "})
    void relativeOrMalformedUrisAreRefused(String uri) {
        assertThat(CallbackPolicy.check(uri, true)).isInstanceOf(CallbackPolicy.Refused.class);
    }

    @Test
    void refusalNamesTheProblem() {
        var verdict = CallbackPolicy.check("http://bot.example.com/cb", false);

        assertThat(verdict).isEqualTo(new CallbackPolicy.Refused("callbackUri must use https (http only to loopback)"));
        assertThat(CallbackPolicy.check((String) null, false)).isEqualTo(new CallbackPolicy.Refused("callbackUri is missing"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"switchboard-sip://node-1", "SWITCHBOARD-SIP://node-1/x", "switchboard-sip:node-1"})
    void internalSchemesAreRefusedForAnythingABotSends(String uri) {
        assertThat(CallbackPolicy.check(uri, true)).isInstanceOf(CallbackPolicy.Refused.class);
        assertThat(CallbackPolicy.check(uri, false)).isInstanceOf(CallbackPolicy.Refused.class);
    }
}
