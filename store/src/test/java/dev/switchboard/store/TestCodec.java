package dev.switchboard.store;

import dev.switchboard.core.calls.Call;
import dev.switchboard.core.calls.CallState;
import dev.switchboard.core.calls.Direction;
import dev.switchboard.core.calls.Ending;
import dev.switchboard.core.calls.Identity;
import dev.switchboard.core.calls.IdentitySet;
import dev.switchboard.core.calls.Modality;
import dev.switchboard.core.calls.Party;
import dev.switchboard.core.store.CallCodec;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Stands in for the Graph JSON codec: round-trips the legs {@link Legs} builds (parties are bare
 * application ids, no group invitation), nothing more.
 */
public final class TestCodec implements CallCodec {

    private static final String SEP = "\u001f";

    @Override
    public String encode(Call call) {
        if (call.invitation().isPresent()) throw new IllegalArgumentException("the test codec keeps no invitation");
        return String.join(SEP, call.id(), call.tenantId(), call.ownerAppId(), call.direction().wireName(),
                call.state().wireName(), Long.toString(call.version()), call.callbackUri(), appId(call.source()),
                call.targets().stream().map(TestCodec::appId).collect(Collectors.joining(",")),
                call.requestedModalities().stream().map(Modality::wireName).collect(Collectors.joining(",")),
                call.callChainId(), call.myParticipantId(),
                call.answerDeadline().map(Instant::toString).orElse(""),
                call.ending().map(Ending::code).orElse(""),
                call.createdAt().toString(), call.updatedAt().toString());
    }

    @Override
    public Call decode(String encoded) {
        String[] f = encoded.split(SEP, -1);
        return new Call(f[0], f[1], f[2], Direction.fromWire(f[3]), CallState.fromWire(f[4]), Long.parseLong(f[5]),
                f[6], party(f[7]), list(f[8]).stream().map(TestCodec::party).toList(),
                list(f[9]).stream().map(m -> Modality.parse(m).orElseThrow()).toList(), Optional.empty(), f[10], f[11],
                f[12].isEmpty() ? Optional.empty() : Optional.of(Instant.parse(f[12])),
                f[13].isEmpty() ? Optional.empty() : Ending.parse(f[13]),
                Instant.parse(f[14]), Instant.parse(f[15]));
    }

    @Override
    public String resourceData(Call call) {
        return "{\"id\":\"" + call.id() + "\",\"state\":\"" + call.state().wireName() + "\"}";
    }

    public static Party party(String appId) {
        return Party.of(IdentitySet.of(Identity.application(appId, null, null)));
    }

    private static String appId(Party party) {
        return party.identity().applicationId().orElseThrow();
    }

    private static List<String> list(String joined) {
        return joined.isEmpty() ? List.of() : Arrays.asList(joined.split(","));
    }
}
