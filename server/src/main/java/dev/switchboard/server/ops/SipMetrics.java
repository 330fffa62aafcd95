package dev.switchboard.server.ops;

import dev.switchboard.sip.FinalResponseListener;
import dev.switchboard.sip.SipBridge;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How long SIP callers wait for their final response, by status: {@code
 * switchboard_sip_final_response_seconds{status="486"}}, from the INVITE reaching the bridge to the
 * response leaving it. The bridge's side of what a caller measures as post-dial delay. And what the
 * SIP stack holds, {@code switchboard_sip_transactions} and {@code switchboard_sip_dialogs}: the
 * bridge's memory grows with them. With {@code sip.outbound.register}, {@code
 * switchboard_sip_trunk_registered} is 1 while the trunk holds the registration: at 0, the trunk's
 * callers cannot reach us. With {@code sip.outbound.keepAlive}, {@code switchboard_sip_trunk_up} is 1
 * while the trunk answers our OPTIONS.
 */
public final class SipMetrics implements FinalResponseListener {

    private final MeterRegistry registry;
    private final Map<Integer, Timer> byStatus = new ConcurrentHashMap<>();

    public SipMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Gauges of what the bridge's SIP stack holds. */
    public void watch(SipBridge bridge) {
        Gauge.builder("switchboard.sip.transactions", bridge, SipBridge::heldTransactions)
                .description("SIP transactions the stack holds, answered ones waiting out their timers included")
                .register(registry);
        Gauge.builder("switchboard.sip.dialogs", bridge, SipBridge::heldDialogs)
                .description("SIP dialogs the stack holds, ended ones still kept included")
                .register(registry);
        if (bridge.registersWithTrunk()) {
            Gauge.builder("switchboard.sip.trunk.registered", bridge, b -> b.trunkRegistered() ? 1 : 0)
                    .description("1 while the trunk holds our registration (sip.outbound.register), else 0")
                    .register(registry);
        }
        if (bridge.probesTrunk()) {
            Gauge.builder("switchboard.sip.trunk.up", bridge, b -> b.trunkUp() ? 1 : 0)
                    .description("1 while the trunk answers our OPTIONS (sip.outbound.keepAlive), else 0")
                    .register(registry);
        }
    }

    @Override
    public void sent(int status, Duration sinceInvite) {
        byStatus.computeIfAbsent(status, s -> Timer.builder("switchboard.sip.final.response")
                .description("from an INVITE reaching the SIP bridge to its final response")
                .tag("status", Integer.toString(s))
                .publishPercentiles(0.5, 0.99)
                .register(registry)).record(sinceInvite);
    }
}
