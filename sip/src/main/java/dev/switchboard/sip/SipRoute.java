package dev.switchboard.sip;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One routing rule: INVITEs whose request-URI matches {@code match} are offered to {@code appId} of
 * {@code tenantId}. See {@link SipRoutes} for what a pattern matches.
 *
 * @param match     a glob ({@code *} any run of characters, {@code ?} one), e.g. {@code sip:reception@*},
 *                  {@code tel:+4930*} or just a user part such as {@code reception} or {@code +4930*}
 * @param responses overrides of the SIP status per outcome, for trunks that need them: keys
 *                  {@code busy}, {@code none}, {@code forbidden} (the reject reasons) and {@code timeout};
 *                  values 400–699 except 487 (e.g. {@code none: 486} for carriers that redial on 603,
 *                  {@code forbidden: 607} for unwanted callers). The Reason header stays the outcome's.
 * @param group     the headers that make an INVITE a group-call invitation and name its thread and meeting
 */
public record SipRoute(String match, String tenantId, String appId, Map<String, Integer> responses, GroupHeaders group) {

    /** The outcomes whose response a route may override. */
    public static final Set<String> OUTCOMES = Set.of("busy", "none", "forbidden", "timeout");

    public SipRoute {
        Objects.requireNonNull(match, "match");
        Objects.requireNonNull(tenantId, "tenant");
        Objects.requireNonNull(appId, "app");
        Objects.requireNonNull(group, "group");
        responses = Map.copyOf(responses);
        if (match.isBlank()) throw new IllegalArgumentException("a SIP route needs a match pattern");
        responses.forEach((outcome, status) -> {
            if (!OUTCOMES.contains(outcome)) {
                throw new IllegalArgumentException("sip route '" + match + "': cannot override '" + outcome
                        + "'; use one of busy, none, forbidden, timeout");
            }
            if (status < 400 || status > 699 || status == 487) {
                throw new IllegalArgumentException("sip route '" + match + "': " + outcome + " → " + status
                        + " is not a final failure response (400–699, not 487)");
            }
        });
    }

    public SipRoute(String match, String tenantId, String appId, Map<String, Integer> responses) {
        this(match, tenantId, appId, responses, GroupHeaders.DEFAULT);
    }

    public SipRoute(String match, String tenantId, String appId) {
        this(match, tenantId, appId, Map.of());
    }
}
