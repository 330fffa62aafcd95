package dev.switchboard.core.calls;

import java.util.Optional;

/**
 * Why a call leg is over. Each ending fixes the leg's {@link ResultInfo}, and remembers enough to
 * tell a retried action (same reject again: no second effect) from a late one (404).
 */
public sealed interface Ending {

    ResultInfo result();

    /** A stable text form, for storage. */
    String code();

    /** The owner rejected the offered call. */
    record Rejected(RejectReason reason) implements Ending {
        public ResultInfo result() { return reason.result(); }
        public String code() { return "rejected:" + reason.wireName(); }
    }

    /** The caller's leg, after the callee rejected. */
    record PeerRejected(RejectReason reason) implements Ending {
        public ResultInfo result() { return reason.result(); }
        public String code() { return "peerRejected:" + reason.wireName(); }
    }

    /** Nobody decided within the answer timeout. Both legs end so. */
    record TimedOut() implements Ending {
        public ResultInfo result() { return ResultInfo.TIMED_OUT; }
        public String code() { return "timedOut"; }
    }

    /** The owner redirected the offered call elsewhere. */
    record Redirected() implements Ending {
        public ResultInfo result() { return ResultInfo.REDIRECTED; }
        public String code() { return "redirected"; }
    }

    /** The caller gave up while the call was still being offered. */
    record CallerCancelled() implements Ending {
        public ResultInfo result() { return ResultInfo.CALLER_CANCELLED; }
        public String code() { return "callerCancelled"; }
    }

    /** The owner ended its call with DELETE. */
    record EndedByOwner() implements Ending {
        public ResultInfo result() { return ResultInfo.ENDED_BY_APP; }
        public String code() { return "endedByOwner"; }
    }

    /** The other party of an established call hung up. */
    record RemoteEnded() implements Ending {
        public ResultInfo result() { return ResultInfo.REMOTE_ENDED; }
        public String code() { return "remoteEnded"; }
    }

    /**
     * The network could not reach the callee (a SIP trunk's failure response); both legs end with
     * the network's code.
     */
    record Unreachable(ResultInfo result) implements Ending {
        public String code() { return "unreachable:" + result.code() + ":" + result.subcode() + ":" + result.message(); }
    }

    static Optional<Ending> parse(String code) {
        if (code.startsWith("unreachable:")) {
            String[] parts = code.split(":", 4);
            try {
                return parts.length == 4 ? Optional.of(new Unreachable(new ResultInfo(Integer.parseInt(parts[1]),
                        Integer.parseInt(parts[2]), parts[3]))) : Optional.empty();
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return switch (code) {
            case "timedOut" -> Optional.of(new TimedOut());
            case "redirected" -> Optional.of(new Redirected());
            case "callerCancelled" -> Optional.of(new CallerCancelled());
            case "endedByOwner" -> Optional.of(new EndedByOwner());
            case "remoteEnded" -> Optional.of(new RemoteEnded());
            default -> {
                int colon = code.indexOf(':');
                if (colon < 0) yield Optional.empty();
                Optional<RejectReason> reason = RejectReason.parse(code.substring(colon + 1));
                yield switch (code.substring(0, colon)) {
                    case "rejected" -> reason.map(Rejected::new);
                    case "peerRejected" -> reason.map(PeerRejected::new);
                    default -> Optional.empty();
                };
            }
        };
    }
}
