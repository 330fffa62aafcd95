package dev.switchboard.api.calls;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.auth.Principal;
import dev.switchboard.api.http.GraphException;
import dev.switchboard.core.apps.App;
import dev.switchboard.core.apps.Directory;
import dev.switchboard.core.calls.Gateway;
import dev.switchboard.core.calls.Identity;
import dev.switchboard.core.calls.IdentityKind;
import dev.switchboard.core.calls.IdentitySet;
import dev.switchboard.core.calls.Modality;
import dev.switchboard.core.calls.Offer;
import dev.switchboard.core.calls.Party;
import dev.switchboard.core.calls.RejectReason;
import dev.switchboard.json.CallReader;
import dev.switchboard.json.InvalidInput;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;

/** Reads the bodies of the call routes into what the core understands; bad input becomes a 400. */
final class CallRequests {

    private final Directory directory;
    private final CallbackCheck callbacks;
    private final Gateway gateway;

    CallRequests(Directory directory, CallbackCheck callbacks, Gateway gateway) {
        this.directory = directory;
        this.callbacks = callbacks;
        this.gateway = gateway;
    }

    RejectReason reason(JsonNode body) {
        JsonNode v = body.get("reason");
        if (v == null || v.isNull()) return RejectReason.NONE;
        if (!v.isTextual()) throw GraphException.invalidRequest("reason must be a string: one of none, busy, forbidden.");
        return RejectReason.parse(v.asText()).orElseThrow(() -> GraphException.invalidRequest(
                "reason '" + v.asText() + "' is not allowed; use one of none, busy, forbidden."));
    }

    Optional<String> callbackUri(JsonNode body) {
        Optional<String> uri = text(body, "callbackUri");
        uri.ifPresent(u -> callbacks.problem(u).ifPresent(p -> {
            throw GraphException.invalidRequest(p.startsWith("callbackUri") ? p : "callbackUri " + p);
        }));
        return uri;
    }

    List<Modality> modalities(JsonNode body, String field) {
        return read(() -> CallReader.modalities(body.get(field), field));
    }

    List<Party> targets(JsonNode body) {
        List<Party> targets = read(() -> CallReader.parties(body.get("targets"), "targets"));
        if (targets.isEmpty()) throw GraphException.invalidRequest("targets is required and must name at least one participant.");
        return targets;
    }

    /** The registered apps the targets name; anything else cannot be reached without SIP. */
    List<Offer> offers(List<Party> targets, Principal principal) {
        List<Offer> offers = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            Party target = targets.get(i);
            String field = "targets[" + i + "].identity";
            if (target.identity().applicationId().isEmpty() && reachableOutside(target).isPresent()) {
                offers.add(outside(target, field, targets.size(), principal));
                continue;
            }
            String appId = target.identity().applicationId().orElseThrow(() -> GraphException.invalidRequest(
                    field + " must name an application or applicationInstance registered with this server."));
            String tenant = target.identity().members().values().stream().map(Identity::tenantId)
                    .flatMap(Optional::stream).findFirst().orElse(principal.tenantId());
            App app = directory.app(tenant, appId).orElseThrow(() -> GraphException.invalidRequest(
                    field + " names application '" + appId + "', which is not registered in tenant '" + tenant + "'."));
            String callback = app.callbackUri().orElseThrow(() -> GraphException.invalidRequest(
                    field + " names application '" + appId + "', which has no callbackUri registered."));
            offers.add(new Offer(app.tenantId(), app.id(), asRegistered(target, app), callback,
                    !app.permissions().isEmpty()));
        }
        return offers;
    }

    /** The gateway's offer for a phone number or SIP address, the call's only target. */
    private Offer outside(Party target, String field, int targetCount, Principal principal) {
        if (targetCount != 1) {
            throw GraphException.invalidRequest(field + " names a phone number or SIP address; such a call takes "
                    + "exactly one target.");
        }
        return gateway.offer(principal.tenantId(), target).orElseThrow(() -> GraphException.invalidRequest(field
                + " names a phone number or SIP address, but this server has no SIP trunk to reach it "
                + "(sip.outbound is not configured); it can call applications registered with it only."));
    }

    /**
     * Targets outside Switchboard, for a redirect that sends the caller on: each must be a phone number
     * ({@code phone}) or a SIP address (a {@code guest} whose id is a {@code sip:} or {@code sips:} URI, the
     * way SIP callers are shown).
     */
    List<Party> outside(List<Party> targets) {
        for (int i = 0; i < targets.size(); i++) {
            if (reachableOutside(targets.get(i)).isEmpty()) {
                throw GraphException.invalidRequest("targets[" + i + "].identity must name an application registered "
                        + "with this server, a phone number (phone) or a SIP address (guest with a sip: id).");
            }
        }
        return targets;
    }

    /**
     * The trunk's offer for a redirect's one outside target: how a caller that cannot be sent on itself
     * (an app's call, not a SIP caller's) reaches it. Empty without a trunk or with more than one target.
     */
    Optional<Offer> throughTrunk(List<Party> targets, Principal principal) {
        return targets.size() == 1 ? gateway.offer(principal.tenantId(), targets.get(0)) : Optional.empty();
    }

    /** What reaches the target outside Switchboard: its phone identity, or its guest identity with a SIP URI. */
    static Optional<Identity> reachableOutside(Party target) {
        return target.identity().get(IdentityKind.PHONE).filter(p -> !p.id().isBlank())
                .or(() -> target.identity().get(IdentityKind.GUEST).filter(g -> isSipUri(g.id())));
    }

    private static boolean isSipUri(String id) {
        String lower = id.toLowerCase(java.util.Locale.ROOT);
        return (lower.startsWith("sip:") || lower.startsWith("sips:")) && id.length() > id.indexOf(':') + 1;
    }

    /** The target as Graph shows a registered app: with its tenant and, unless the caller named it, its name. */
    private static Party asRegistered(Party target, App app) {
        Map<IdentityKind, Identity> members = new EnumMap<>(target.identity().members());
        members.replaceAll((kind, i) -> (kind == IdentityKind.APPLICATION || kind == IdentityKind.APPLICATION_INSTANCE)
                && i.id().equals(app.id())
                ? new Identity(kind, i.id(), i.displayName().or(() -> Optional.of(app.name())), Optional.of(app.tenantId()))
                : i);
        return new Party(new IdentitySet(members), target.participantId());
    }

    Party source(JsonNode body, App caller) {
        JsonNode source = body.get("source");
        if (source == null || source.isNull()) {
            return Party.of(IdentitySet.of(Identity.application(caller.id(), caller.name(), caller.tenantId())));
        }
        return read(() -> CallReader.party(source, "source"));
    }

    static <T> T read(java.util.function.Supplier<T> reading) {
        try {
            return reading.get();
        } catch (InvalidInput e) {
            throw GraphException.invalidRequest(e.field() + " " + e.getMessage() + ".");
        }
    }

    private static Optional<String> text(JsonNode body, String field) {
        return read(() -> CallReader.optionalText(body, field, ""));
    }
}
