package dev.switchboard.sip;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SipRoutesTest {

    private final SipRoute reception = new SipRoute("sip:reception@*", "t1", "reception");
    private final SipRoute berlin = new SipRoute("+4930*", "t1", "berlin");
    private final SipRoute support = new SipRoute("sip:support@pbx.example.com", "t2", "support");
    private final SipRoutes routes = new SipRoutes(List.of(reception, berlin, support));

    @Test
    void wholeUriPatternMatchesSchemeUserAndAnyHost() {
        assertThat(routes.route("sip", "reception", "127.0.0.1")).contains(reception);
        assertThat(routes.route("sip", "Reception", "pbx.example.com")).contains(reception);
        assertThat(routes.route("sips", "reception", "pbx.example.com")).isEmpty();
    }

    @Test
    void patternWithoutSchemeMatchesTheUserPartOrTheNumber() {
        assertThat(routes.route("sip", "+493012345", "trunk.example.com")).contains(berlin);
        assertThat(routes.route("tel", "+493012345", "")).contains(berlin);
        assertThat(routes.route("sip", "+4940123", "trunk.example.com")).isEmpty();
    }

    @Test
    void exactPatternNeedsTheExactHostAndRegexCharactersAreLiteral() {
        assertThat(routes.route("sip", "support", "pbx.example.com")).contains(support);
        assertThat(routes.route("sip", "support", "pbxXexample.com")).isEmpty();
        assertThat(new SipRoutes(List.of(new SipRoute("a.b?", "t", "a"))).route("sip", "a.bc", "h")).isPresent();
        assertThat(new SipRoutes(List.of(new SipRoute("a.b?", "t", "a"))).route("sip", "axbc", "h")).isEmpty();
    }

    @Test
    void firstMatchingRouteWins() {
        SipRoute any = new SipRoute("*", "t9", "fallback");
        SipRoutes ordered = new SipRoutes(List.of(reception, any));

        assertThat(ordered.route("sip", "reception", "h")).contains(reception);
        assertThat(ordered.route("sip", "sales", "h")).contains(any);
    }
}
