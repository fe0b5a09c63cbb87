package io.checkpointservice.ra.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The gate's rules, with the cluster's "resolved" answer played by the test. */
class MergeGateTest {

    private final AtomicBoolean resolved = new AtomicBoolean(true);
    private final MergeGate gate = new MergeGate(viewId -> resolved.get());

    @Test
    void openWithoutAMergeAndPassesStayValid() {
        long pass = gate.passWithin(Duration.ZERO);
        assertNotEquals(MergeGate.UNRESOLVED, pass);
        assertTrue(gate.stillValid(pass));
    }

    @Test
    void closedFromTheMergedViewUntilTheClusterSaysResolved() {
        resolved.set(false);
        gate.mergeBegan(1, "[test]");
        assertTrue(gate.isPending());
        long started = System.nanoTime();
        assertEquals(MergeGate.UNRESOLVED, gate.passWithin(Duration.ofMillis(150)));
        assertTrue(System.nanoTime() - started >= TimeUnit.MILLISECONDS.toNanos(150), "waits its patience");

        resolved.set(true);
        long pass = gate.passWithin(Duration.ZERO);
        assertNotEquals(MergeGate.UNRESOLVED, pass);
        assertFalse(gate.isPending());
        assertTrue(gate.stillValid(pass));
    }

    @Test
    void aWaiterPassesOnceResolvedWithinItsPatience() throws Exception {
        resolved.set(false);
        gate.mergeBegan(1, "[test]");
        CompletableFuture<Long> waiter = CompletableFuture.supplyAsync(() -> gate.passWithin(Duration.ofSeconds(10)));
        Thread.sleep(100);
        assertFalse(waiter.isDone(), "still waiting while unresolved");
        resolved.set(true);
        assertNotEquals(MergeGate.UNRESOLVED, waiter.get(5, TimeUnit.SECONDS));
    }

    @Test
    void aPassTakenBeforeAMergeIsNoLongerValidEvenOnceResolved() {
        long before = gate.passWithin(Duration.ZERO);
        gate.mergeBegan(1, "[test]");
        assertFalse(gate.stillValid(before), "a merge is pending");
        gate.passWithin(Duration.ZERO); // resolved: opens
        assertFalse(gate.stillValid(before), "an answer decided across the merge went by unmerged records");
    }

    @Test
    void interruptedWaiterGetsNoPassAndKeepsItsInterrupt() {
        resolved.set(false);
        gate.mergeBegan(1, "[test]");
        Thread.currentThread().interrupt();
        try {
            assertEquals(MergeGate.UNRESOLVED, gate.passWithin(Duration.ofSeconds(10)));
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void resolutionIsJudgedForTheMergedViewNotForAnEarlierOne() {
        AtomicLong askedAbout = new AtomicLong();
        MergeGate judged = new MergeGate(viewId -> {
            askedAbout.set(viewId);
            return viewId == 7; // the cluster has installed view 7, not yet view 9
        });
        judged.mergeBegan(9, "[test]");
        assertEquals(MergeGate.UNRESOLVED, judged.passWithin(Duration.ZERO));
        assertEquals(9, askedAbout.get());
    }

    @Test
    void neverClosedGateForAClusterWithoutMerges() {
        assertTrue(MergeGate.NEVER_CLOSED.stillValid(MergeGate.NEVER_CLOSED.passWithin(Duration.ZERO)));
    }
}
