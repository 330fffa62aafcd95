package dev.switchboard.store;

import dev.switchboard.core.calls.Call;
import dev.switchboard.core.calls.CallState;
import dev.switchboard.core.calls.ChangeType;
import dev.switchboard.core.calls.Ending;
import dev.switchboard.core.calls.Notice;
import dev.switchboard.core.calls.RejectReason;
import dev.switchboard.core.store.CallStore;
import dev.switchboard.core.store.ClaimedNotifications;
import dev.switchboard.core.store.OutboxClaim;
import dev.switchboard.core.store.PendingNotification;
import dev.switchboard.core.store.Purge;
import dev.switchboard.core.store.StaleWriteException;
import dev.switchboard.core.store.TimelineEntry;
import dev.switchboard.core.time.Clock;
import dev.switchboard.core.time.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.switchboard.store.Legs.callingBackTo;
import static dev.switchboard.store.Legs.movedTo;
import static dev.switchboard.store.Legs.placing;
import static dev.switchboard.store.Legs.ringing;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link CallStore} adapter must do. An adapter's test implements this interface and
 * opens its store.
 */
public interface CallStoreContract {

    Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    /**
     * Opens the store under test. Each test starts from an empty store; opening again within the
     * same test (after closing) opens the same data.
     */
    CallStore openStore(Clock clock);

    @Test
    default void insertedLegIsReadBackEqual() {
        try (CallStore store = openStore(new ManualClock(T0))) {
            Call leg = ringing("c1", "chain-1", T0);
            Call seenInside = await(store.write(tx -> {
                tx.insert(leg);
                return tx.get("c1").orElseThrow();
            }));
            assertThat(seenInside).isEqualTo(leg);
            assertThat(store.find("c1")).contains(leg);
            assertThat(store.find("nope")).isEmpty();
        }
    }

    @Test
    default void conversationHoldsEveryLegOfItsChainOnly() {
        try (CallStore store = openStore(new ManualClock(T0))) {
            Call caller = placing("a", "chain-1", T0);
            Call callee = ringing("b", "chain-1", T0.plusMillis(1));
            Call stranger = ringing("c", "chain-2", T0);
            await(store.write(tx -> {
                tx.insert(caller);
                tx.insert(callee);
                tx.insert(stranger);
                return null;
            }));
            List<Call> legs = await(store.write(tx -> tx.conversation("chain-1").legs()));
            assertThat(legs).containsExactlyInAnyOrder(caller, callee);
            List<Call> byLeg = await(store.write(tx -> tx.conversationOf("b").legs()));
            assertThat(byLeg).containsExactlyInAnyOrder(caller, callee);
            List<Call> none = await(store.write(tx -> tx.conversationOf("nope").legs()));
            assertThat(none).isEmpty();
        }
    }

    @Test
    default void updateAtTheNextVersionIsStored() {
        try (CallStore store = openStore(new ManualClock(T0))) {
            Call leg = ringing("c1", "chain-1", T0);
            await(store.write(tx -> { tx.insert(leg); return null; }));
            Call answered = movedTo(leg, CallState.ESTABLISHED, T0.plusSeconds(2));
            await(store.write(tx -> { tx.update(answered); return null; }));
            assertThat(store.find("c1")).contains(answered);
        }
    }

    @Test
    default void updateOfAStaleVersionFailsAndChangesNothing() {
        try (CallStore store = openStore(new ManualClock(T0))) {
            Call leg = ringing("c1", "chain-1", T0);
            await(store.write(tx -> { tx.insert(leg); return null; }));
            Call answered = movedTo(leg, CallState.ESTABLISHED, T0.plusSeconds(2));
            Call rejected = Legs.ended(leg, new Ending.Rejected(RejectReason.BUSY), T0.plusSeconds(3));
            await(store.write(tx -> { tx.update(answered); return null; }));

            Throwable failure = failureOf(store.write(tx -> { tx.update(rejected); return null; }));

            assertThat(failure).isInstanceOf(StaleWriteException.class);
            assertThat(store.find("c1")).contains(answered);
        }
    }

    @Test
    default void aFailingWorkIsUndoneAloneWhileItsBatchMateCommits() throws Exception {
        try (CallStore store = openStore(new ManualClock(T0))) {
            CountDownLatch writing = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Object> holder = store.write(tx -> {
                writing.countDown();
                awaitLatch(release);
                return null;
            });
            assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();
            IllegalStateException boom = new IllegalStateException("boom");
            CompletableFuture<Object> failing = store.write(tx -> {
                tx.insert(ringing("lost", "chain-1", T0));
                tx.enqueue(new Notice(ChangeType.CREATED, ringing("lost", "chain-1", T0)), "m-lost", T0);
                throw boom;
            });
            CompletableFuture<String> succeeding = store.write(tx -> {
                tx.insert(ringing("kept", "chain-1", T0));
                return "done";
            });
            release.countDown();

            await(holder);
            assertThat(failureOf(failing)).isSameAs(boom);
            assertThat(await(succeeding)).isEqualTo("done");
            assertThat(store.find("lost")).isEmpty();
            assertThat(store.timeline("lost")).isEmpty();
            assertThat(store.pending(0, T0, 10)).isEmpty();
            assertThat(store.find("kept")).isPresent();
        }
    }

    @Test
    default void insertingAnExistingIdFailsThatWorkOnly() {
        try (CallStore store = openStore(new ManualClock(T0))) {
            Call leg = ringing("c1", "chain-1", T0);
            await(store.write(tx -> { tx.insert(leg); return null; }));
            assertThat(failureOf(store.write(tx -> { tx.insert(movedTo(leg, CallState.ESTABLISHED, T0)); return null; })))
                    .isInstanceOf(RuntimeException.class);
            assertThat(store.find("c1")).contains(leg);
            assertThat(store.healthy()).isTrue();
        }
    }

    @Test
    default void enqueuedNotificationsArePendingInTheOrderWritten() {
        try (CallStore store = openStore(new ManualClock(T0))) {
            Call callee = ringing("b", "chain-1", T0);
            Call answered = movedTo(callee, CallState.ESTABLISHED, T0.plusSeconds(1));
            await(store.write(tx -> {
                tx.insert(callee);
                tx.enqueue(new Notice(ChangeType.CREATED, callee), "m1", T0);
                return null;
            }));
            await(store.write(tx -> {
                tx.update(answered);
                tx.enqueue(new Notice(ChangeType.UPDATED, answered), "m2", T0.plusSeconds(1));
                return null;
            }));

            List<PendingNotification> all = store.pending(0, T0.plusSeconds(1), 10);

            assertThat(all).extracting(PendingNotification::messageId).containsExactly("m1", "m2");
            assertThat(all.get(0).seq()).isLessThan(all.get(1).seq());
            PendingNotification first = all.get(0);
            assertThat(first.callId()).isEqualTo("b");
            assertThat(first.tenantId()).isEqualTo("tenant-1");
            assertThat(first.appId()).isEqualTo("callee-app");
            assertThat(first.callChainId()).isEqualTo("chain-1");
            assertThat(first.changeType()).isEqualTo(ChangeType.CREATED);
            assertThat(first.callbackUri()).isEqualTo("https://callee.example/notify");
            assertThat(first.resourceData()).contains("\"id\":\"b\"");
            assertThat(first.attempts()).isZero();
            assertThat(first.createdAt()).isEqualTo(T0);
            assertThat(store.pending(first.seq(), T0.plusSeconds(1), 10)).extracting(PendingNotification::messageId)
                    .containsExactly("m2");
            assertThat(store.pending(0, T0, 10)).extracting(PendingNotification::messageId).containsExactly("m1");
            assertThat(store.pending(0, T0.plusSeconds(1), 1)).extracting(PendingNotification::messageId)
                    .containsExactly("m1");
        }
    }

    @Test
    default void aClaimReturnsReachableRowsInSeqOrderAndWhereItStopped() {
        try (CallStore store = openStore(new ManualClock(T0))) {
            Call botLeg = ringing("b", "chain-1", T0);
            Call sipLeg = callingBackTo(placing("a", "chain-1", T0), "switchboard-sip://node-2");
            Call otherNodesLeg = callingBackTo(placing("c", "chain-2", T0), "switchboard-sip://node-3");
            await(store.write(tx -> {
                tx.insert(botLeg);
                tx.insert(sipLeg);
                tx.insert(otherNodesLeg);
                tx.enqueue(new Notice(ChangeType.CREATED, botLeg), "m1", T0);
                tx.enqueue(new Notice(ChangeType.CREATED, otherNodesLeg), "m2", T0);
                tx.enqueue(new Notice(ChangeType.UPDATED, sipLeg), "m3", T0);
                // not due for a minute: a claim still returns it, so the call's order is visible
                tx.enqueue(new Notice(ChangeType.UPDATED, botLeg), "m4", T0.plusSeconds(60));
                return null;
            }));
            long retried = store.pending(0, T0, 10).get(0).seq();
            await(store.write(tx -> {
                tx.deferred(retried, T0.plusSeconds(60), "bot down");
                return null;
            }));

            ClaimedNotifications all = store.claim(claimOf("node-2", 0, 10));
            assertThat(all.notifications()).extracting(PendingNotification::messageId).containsExactly("m1", "m3", "m4");
            assertThat(all.more()).isFalse();
            long last = all.notifications().get(2).seq();
            assertThat(all.scannedTo()).isEqualTo(last);

            ClaimedNotifications firstTwo = store.claim(claimOf("node-2", 0, 2));
            assertThat(firstTwo.more()).isTrue();
            assertThat(firstTwo.notifications()).extracting(PendingNotification::messageId).contains("m1")
                    .doesNotContain("m2");
            assertThat(store.claim(claimOf("node-2", last, 10)))
                    .isEqualTo(new ClaimedNotifications(List.of(), last, false));
            // what else node-3 gets depends on whether node-2's leases bind it (they do where nodes share a store)
            assertThat(store.claim(claimOf("node-3", 0, 10)).notifications())
                    .extracting(PendingNotification::messageId).contains("m2").doesNotContain("m3");
        }
    }

    private static OutboxClaim claimOf(String node, long after, int limit) {
        return new OutboxClaim(node, after, limit, T0, T0.plusSeconds(10), Set.of("switchboard-sip://" + node));
    }

    @Test
    default void aDeliveredNotificationIsNoLongerPending() {
        try (CallStore store = openStore(new ManualClock(T0))) {
            Call callee = ringing("b", "chain-1", T0);
            await(store.write(tx -> {
                tx.insert(callee);
                tx.enqueue(new Notice(ChangeType.CREATED, callee), "m1", T0);
                tx.enqueue(new Notice(ChangeType.UPDATED, callee), "m2", T0);
                return null;
            }));
            long seq = store.pending(0, T0, 10).get(0).seq();

            await(store.write(tx -> { tx.delivered(seq, T0.plusMillis(30)); return null; }));

            assertThat(store.pending(0, T0.plusSeconds(60), 10)).extracting(PendingNotification::messageId)
                    .containsExactly("m2");
        }
    }

    @Test
    default void aDeferredNotificationWaitsForItsNextAttemptAndCountsIt() {
        ManualClock clock = new ManualClock(T0);
        try (CallStore store = openStore(clock)) {
            Call callee = ringing("b", "chain-1", T0);
            await(store.write(tx -> {
                tx.insert(callee);
                tx.enqueue(new Notice(ChangeType.CREATED, callee), "m1", T0);
                return null;
            }));
            long seq = store.pending(0, T0, 10).get(0).seq();
            Instant retryAt = T0.plusSeconds(5);

            await(store.write(tx -> { tx.deferred(seq, retryAt, "503 from bot"); return null; }));

            assertThat(store.pending(0, retryAt.minusMillis(1), 10)).isEmpty();
            List<PendingNotification> due = store.pending(0, retryAt, 10);
            assertThat(due).extracting(PendingNotification::attempts).containsExactly(1);
            assertThat(due.get(0).createdAt()).isEqualTo(T0);
        }
    }

    @Test
    default void onlyRingingLegsAreDueSoonestFirst() {
        try (CallStore store = openStore(new ManualClock(T0))) {
            assertThat(store.nextDeadline()).isEmpty();
            Call late = ringing("late", "chain-1", T0.plusSeconds(2));
            Call early = ringing("early", "chain-2", T0);
            Call answered = ringing("answered", "chain-3", T0.minusSeconds(5));
            Call caller = placing("caller", "chain-1", T0);
            await(store.write(tx -> {
                tx.insert(late);
                tx.insert(early);
                tx.insert(answered);
                tx.insert(caller);
                return null;
            }));
            await(store.write(tx -> { tx.update(movedTo(answered, CallState.ESTABLISHED, T0)); return null; }));

            Instant earlyDeadline = T0.plus(Legs.ANSWER_TIMEOUT);
            assertThat(store.nextDeadline()).contains(earlyDeadline);
            assertThat(store.dueBy(earlyDeadline.minusMillis(1), 10)).isEmpty();
            assertThat(store.dueBy(earlyDeadline, 10)).containsExactly("early");
            assertThat(store.dueBy(earlyDeadline.plusSeconds(60), 10)).containsExactly("early", "late");
            assertThat(store.dueBy(earlyDeadline.plusSeconds(60), 1)).containsExactly("early");
        }
    }

    @Test
    default void recentListsTheNewestLegsFirst() {
        try (CallStore store = openStore(new ManualClock(T0))) {
            await(store.write(tx -> {
                tx.insert(ringing("old", "chain-1", T0));
                tx.insert(ringing("new", "chain-2", T0.plusSeconds(1)));
                tx.insert(ringing("mid", "chain-3", T0.plusMillis(500)));
                return null;
            }));
            assertThat(store.recent(2)).extracting(Call::id).containsExactly("new", "mid");
        }
    }

    @Test
    default void heldListsTheLegsAnAppHoldsInAStateOldestFirst() {
        try (CallStore store = openStore(new ManualClock(T0))) {
            await(store.write(tx -> {
                tx.insert(movedTo(ringing("second", "chain-2", T0.plusSeconds(2)), CallState.ESTABLISHED, T0.plusSeconds(3)));
                tx.insert(movedTo(ringing("first", "chain-1", T0), CallState.ESTABLISHED, T0.plusSeconds(1)));
                tx.insert(ringing("still-ringing", "chain-3", T0));
                tx.insert(movedTo(placing("other-app", "chain-1", T0), CallState.ESTABLISHED, T0.plusSeconds(1)));
                return null;
            }));
            assertThat(store.held("callee-app", CallState.ESTABLISHED, 10)).extracting(Call::id)
                    .containsExactly("first", "second");
            assertThat(store.held("callee-app", CallState.ESTABLISHED, 1)).extracting(Call::id).containsExactly("first");
            assertThat(store.held("callee-app", CallState.INCOMING, 10)).extracting(Call::id).containsExactly("still-ringing");
            assertThat(store.held("nobody", CallState.ESTABLISHED, 10)).isEmpty();
        }
    }

    @Test
    default void aPlacementIsRememberedUnderItsRetryKey() {
        try (CallStore store = openStore(new ManualClock(T0))) {
            Boolean claimed = await(store.write(tx -> {
                tx.insert(placing("a", "chain-1", T0));
                return tx.rememberPlacement("key-1", "a", T0);
            }));
            Boolean claimedAgain = await(store.write(tx -> tx.rememberPlacement("key-1", "z", T0)));
            Optional<String> placed = await(store.write(tx -> tx.placedUnder("key-1")));
            Optional<String> unknown = await(store.write(tx -> tx.placedUnder("key-2")));
            assertThat(claimed).isTrue();
            assertThat(claimedAgain).as("a key is taken once; the first placement stays").isFalse();
            assertThat(placed).contains("a");
            assertThat(unknown).isEmpty();
        }
    }

    @Test
    default void theTimelineTellsTransitionsAndNotificationsInOrder() {
        ManualClock clock = new ManualClock(T0);
        try (CallStore store = openStore(clock)) {
            Call callee = ringing("b", "chain-1", T0);
            Call rejected = Legs.ended(callee, new Ending.Rejected(RejectReason.BUSY), T0.plusSeconds(1));
            await(store.write(tx -> {
                tx.insert(callee);
                tx.enqueue(new Notice(ChangeType.CREATED, callee), "m1", T0);
                return null;
            }));
            long first = store.pending(0, T0, 10).get(0).seq();
            clock.advance(Duration.ofMillis(200));
            await(store.write(tx -> { tx.deferred(first, T0.plusSeconds(2), "timeout"); return null; }));
            await(store.write(tx -> { tx.delivered(first, T0.plusSeconds(2)); return null; }));
            await(store.write(tx -> {
                tx.update(rejected);
                tx.enqueue(new Notice(ChangeType.DELETED, rejected), "m2", T0.plusSeconds(3));
                return null;
            }));

            assertThat(store.timeline("b")).containsExactly(
                    new TimelineEntry(T0, "transition", "incoming"),
                    new TimelineEntry(T0, "notification", "created queued m1 → https://callee.example/notify"),
                    new TimelineEntry(T0.plusMillis(200), "notification",
                            "attempt 1 failed: timeout; next at " + T0.plusSeconds(2)),
                    new TimelineEntry(T0.plusSeconds(1), "transition", "terminated (rejected:busy) 486/0"),
                    new TimelineEntry(T0.plusSeconds(2), "notification", "delivered after 2 attempts"),
                    new TimelineEntry(T0.plusSeconds(3), "notification",
                            "deleted queued m2 → https://callee.example/notify"));
        }
    }

    @Test
    default void everythingSurvivesClosingAndReopening() {
        Call callee = ringing("b", "chain-1", T0);
        try (CallStore store = openStore(new ManualClock(T0))) {
            await(store.write(tx -> {
                tx.insert(callee);
                tx.enqueue(new Notice(ChangeType.CREATED, callee), "m1", T0);
                tx.rememberPlacement("key-1", "b", T0);
                return null;
            }));
        }
        try (CallStore store = openStore(new ManualClock(T0))) {
            assertThat(store.find("b")).contains(callee);
            assertThat(store.pending(0, T0, 10)).extracting(PendingNotification::messageId).containsExactly("m1");
            assertThat(store.timeline("b")).hasSize(2);
            assertThat(store.nextDeadline()).contains(T0.plus(Legs.ANSWER_TIMEOUT));
            Optional<String> placed = await(store.write(tx -> tx.placedUnder("key-1")));
            assertThat(placed).contains("b");
        }
    }

    @Test
    default void aPurgeForgetsWholeConversationsThatEndedBeforeTheCutoffAndHaveNothingToDeliver() {
        Instant cutoff = T0.plus(Duration.ofDays(7));
        try (CallStore store = openStore(new ManualClock(T0))) {
            // chain-1: over, both legs, everything delivered: goes
            Call caller = placing("over-a", "chain-1", T0);
            Call callee = ringing("over-b", "chain-1", T0);
            endDelivered(store, caller, T0.plusSeconds(1), "key-1");
            endDelivered(store, callee, T0.plusSeconds(1), "key-2");
            // chain-2: ended after the cutoff: stays
            endDelivered(store, ringing("late", "chain-2", T0), cutoff.plusMillis(1), "key-3");
            // chain-3: still ringing: stays
            await(store.write(tx -> { tx.insert(ringing("live", "chain-3", T0.minusSeconds(1))); return null; }));
            // chain-4: over, but its deleted notification is not delivered yet: stays
            Call undelivered = ringing("owed", "chain-4", T0);
            Call owedEnded = Legs.ended(undelivered, new Ending.Rejected(RejectReason.BUSY), T0.plusSeconds(1));
            await(store.write(tx -> {
                tx.insert(undelivered);
                tx.update(owedEnded);
                tx.enqueue(new Notice(ChangeType.DELETED, owedEnded), "m-owed", T0.plusSeconds(1));
                return null;
            }));
            // chain-5: one leg over, the other answered: the whole conversation stays
            endDelivered(store, placing("half-a", "chain-5", T0), T0.plusSeconds(1), "key-5");
            Call answered = movedTo(ringing("half-b", "chain-5", T0), CallState.ESTABLISHED, T0.plusSeconds(1));
            await(store.write(tx -> { tx.insert(answered); return null; }));

            Purge purge = await(store.write(tx -> tx.purge(cutoff, Optional.empty(), 100)));

            assertThat(purge.legs()).isEqualTo(2);
            assertThat(purge.next()).as("fewer legs than the limit: nothing older is left to look at").isEmpty();
            for (String gone : List.of("over-a", "over-b")) {
                assertThat(store.find(gone)).isEmpty();
                assertThat(store.timeline(gone)).isEmpty();
            }
            Optional<String> forgottenKey = await(store.write(tx -> tx.placedUnder("key-1")));
            assertThat(forgottenKey).isEmpty();
            for (String kept : List.of("late", "live", "owed", "half-a", "half-b")) {
                assertThat(store.find(kept)).as(kept).isPresent();
                assertThat(store.timeline(kept)).as(kept).isNotEmpty();
            }
            Optional<String> keptKey = await(store.write(tx -> tx.placedUnder("key-3")));
            assertThat(keptKey).contains("late");
            assertThat(store.pending(0, cutoff, 10)).extracting(PendingNotification::messageId).containsExactly("m-owed");
            Purge again = await(store.write(tx -> tx.purge(cutoff, Optional.empty(), 100)));
            assertThat(again.legs()).as("a second purge finds nothing more").isZero();
        }
    }

    @Test
    default void aKeptDialogIsReadBackReplacedAndPurgedWithItsLeg() {
        Instant cutoff = T0.plus(Duration.ofDays(7));
        try (CallStore store = openStore(new ManualClock(T0))) {
            Call leg = ringing("sip-leg", "chain-1", T0);
            await(store.write(tx -> {
                tx.insert(leg);
                tx.keepDialog("sip-leg", "{\"callId\":\"a@b\",\"cseq\":1}");
                return null;
            }));
            assertThat(store.dialog("sip-leg")).contains("{\"callId\":\"a@b\",\"cseq\":1}");
            assertThat(store.dialog("other")).isEmpty();

            await(store.write(tx -> { tx.keepDialog("sip-leg", "{\"cseq\":2}"); return null; }));
            assertThat(store.dialog("sip-leg")).contains("{\"cseq\":2}");

            await(store.write(tx -> { tx.update(Legs.ended(leg, new Ending.Rejected(RejectReason.BUSY), T0)); return null; }));
            Purge purge = await(store.write(tx -> tx.purge(cutoff, Optional.empty(), 10)));
            assertThat(purge.legs()).isEqualTo(1);
            assertThat(store.dialog("sip-leg")).isEmpty();
        }
    }

    @Test
    default void aPurgeStepGoesOnAfterTheLastLegTheOneBeforeLookedAt() {
        Instant cutoff = T0.plus(Duration.ofDays(7));
        try (CallStore store = openStore(new ManualClock(T0))) {
            await(store.write(tx -> { tx.insert(ringing("first-live", "chain-1", T0)); return null; }));
            endDelivered(store, ringing("second-over", "chain-2", T0), T0.plusSeconds(1), "key-2");
            endDelivered(store, ringing("third-over", "chain-3", T0.plusMillis(1)), T0.plusSeconds(1), "key-3");

            Purge first = await(store.write(tx -> tx.purge(cutoff, Optional.empty(), 1)));
            assertThat(first.legs()).isZero();
            assertThat(first.next()).contains(new Purge.Position(T0, "first-live"));
            Purge second = await(store.write(tx -> tx.purge(cutoff, first.next(), 1)));
            assertThat(second.legs()).isEqualTo(1);
            assertThat(second.next()).contains(new Purge.Position(T0, "second-over"));
            Purge third = await(store.write(tx -> tx.purge(cutoff, second.next(), 2)));
            assertThat(third.legs()).isEqualTo(1);
            assertThat(third.next()).isEmpty();

            assertThat(store.find("first-live")).isPresent();
            assertThat(store.find("second-over")).isEmpty();
            assertThat(store.find("third-over")).isEmpty();
        }
    }

    /** Inserts {@code leg}, ends it at {@code at} and records its two notifications as delivered. */
    private static void endDelivered(CallStore store, Call leg, Instant at, String retryKey) {
        Call ended = Legs.ended(leg, new Ending.Rejected(RejectReason.BUSY), at);
        await(store.write(tx -> {
            tx.insert(leg);
            tx.rememberPlacement(retryKey, leg.id(), leg.createdAt());
            tx.enqueue(new Notice(ChangeType.CREATED, leg), "m-created-" + leg.id(), leg.createdAt());
            tx.update(ended);
            tx.enqueue(new Notice(ChangeType.DELETED, ended), "m-deleted-" + leg.id(), at);
            return null;
        }));
        List<Long> seqs = store.pending(0, at, 1000).stream()
                .filter(n -> n.callId().equals(leg.id()))
                .map(PendingNotification::seq)
                .toList();
        assertThat(seqs).hasSize(2);
        await(store.write(tx -> {
            seqs.forEach(seq -> tx.delivered(seq, at));
            return null;
        }));
    }

    @Test
    default void commitListenersHearOfEachCommit() throws Exception {
        try (CallStore store = openStore(new ManualClock(T0))) {
            CountDownLatch heard = new CountDownLatch(1);
            store.onCommit(heard::countDown);
            await(store.write(tx -> { tx.insert(ringing("b", "chain-1", T0)); return null; }));
            assertThat(heard.await(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    default void aClosedStoreRefusesWritesAndIsNotHealthy() {
        CallStore store = openStore(new ManualClock(T0));
        assertThat(store.healthy()).isTrue();
        store.close();
        assertThat(store.healthy()).isFalse();
        assertThat(failureOf(store.write(tx -> null))).isInstanceOf(IllegalStateException.class);
    }

    /** Works that read inside their transaction, as CallActions does, never lose an increment. */
    @Test
    default void concurrentWorksEachCommitExactlyOnce() throws Exception {
        int threads = 50;
        int perThread = 100;
        try (CallStore store = openStore(new ManualClock(T0))) {
            await(store.write(tx -> { tx.insert(ringing("counter", "chain-1", T0)); return null; }));
            runConcurrently(threads, () -> {
                for (int i = 0; i < perThread; i++) {
                    retryWhileStale(() -> store.write(tx -> {
                        tx.update(Legs.bumped(tx.get("counter").orElseThrow()));
                        return null;
                    }));
                }
            });
            assertThat(store.find("counter").orElseThrow().version()).isEqualTo(1 + threads * perThread);
        }
    }

    /** Works built from a read outside the transaction lose races; their retries still count once each. */
    @Test
    default void staleWritersRetryUntilEveryIncrementLands() throws Exception {
        int threads = 8;
        int perThread = 50;
        AtomicInteger stale = new AtomicInteger();
        try (CallStore store = openStore(new ManualClock(T0))) {
            await(store.write(tx -> { tx.insert(ringing("counter", "chain-1", T0)); return null; }));
            runConcurrently(threads, () -> {
                for (int i = 0; i < perThread; i++) {
                    while (true) {
                        Call seen = store.find("counter").orElseThrow();
                        Throwable failure = failureOrNull(store.write(tx -> { tx.update(Legs.bumped(seen)); return null; }));
                        if (failure == null) break;
                        assertThat(failure).isInstanceOf(StaleWriteException.class);
                        stale.incrementAndGet();
                    }
                }
            });
            assertThat(store.find("counter").orElseThrow().version()).isEqualTo(1 + threads * perThread);
            assertThat(store.timeline("counter")).hasSize(1 + threads * perThread);
        }
    }

    private static void retryWhileStale(java.util.function.Supplier<CompletableFuture<?>> write) {
        while (true) {
            Throwable failure = failureOrNull(write.get());
            if (failure == null) return;
            if (!(failure instanceof StaleWriteException)) throw new AssertionError("unexpected failure", failure);
        }
    }

    private static void runConcurrently(int threads, Runnable body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    awaitLatch(start);
                    body.run();
                }));
            }
            start.countDown();
            for (Future<?> f : done) f.get(120, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("the write failed", e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("the write did not complete", e);
        }
    }

    private static Throwable failureOf(CompletableFuture<?> future) {
        Throwable failure = failureOrNull(future);
        if (failure == null) throw new AssertionError("the write was expected to fail");
        return failure;
    }

    private static Throwable failureOrNull(CompletableFuture<?> future) {
        try {
            future.get(30, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("the write did not complete", e);
        }
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) throw new AssertionError("latch never released");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
