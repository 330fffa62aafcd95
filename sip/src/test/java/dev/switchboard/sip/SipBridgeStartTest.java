package dev.switchboard.sip;

import dev.switchboard.core.apps.Directory;
import dev.switchboard.core.calls.CallActions;
import dev.switchboard.core.calls.CallMachine;
import dev.switchboard.core.ids.RandomIds;
import dev.switchboard.core.store.CallStore;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.json.GraphCallCodec;
import dev.switchboard.store.sqlite.SqliteCallStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Starting the bridge on a port another process holds. */
class SipBridgeStartTest {

    @Test
    void aConfiguredPortWhoseTcpSideIsTakenFailsWithTheBindErrorNotTheStacksCleanUp(@TempDir Path dir) throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-11-27T06:00:00Z"));
        try (CallStore store = SqliteCallStore.open(dir.resolve("calls.db"), new GraphCallCodec(), clock);
             ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CallActions actions = new CallActions(store,
                    new CallMachine(Duration.ofSeconds(15), RandomIds::uuid, Set.of(SipBridge.APP_ID)), clock, RandomIds::uuid);
            SipBridge bridge = new SipBridge(SipConfig.of("127.0.0.1", taken.getLocalPort(), List.of()),
                    new Directory(List.of()), actions);

            assertThatThrownBy(bridge::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cannot listen for SIP on 127.0.0.1:" + taken.getLocalPort());
        }
    }
}
