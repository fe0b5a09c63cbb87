package io.checkpointservice.ra.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The overrun lane's own rules: who is overrun, how many may publish them, who is handed on. */
class OverrunThrottleTest {

    private final List<String> requeued = new ArrayList<>();

    @Test
    void aSegmentIsOverrunOnlyOnceNotedAndOnlyForTheHoldPeriod() throws InterruptedException {
        OverrunThrottle<String> lane = new OverrunThrottle<>(TimeUnit.MILLISECONDS.toNanos(50));
        assertFalse(lane.isOverrun("app/a"));
        lane.overrun("app/a");
        assertTrue(lane.isOverrun("app/a"));
        assertFalse(lane.isOverrun("app/b"), "only the segment noted");
        Thread.sleep(120);
        assertFalse(lane.isOverrun("app/a"), "a segment not overrun again leaves the lane after the hold period");
        assertEquals(0, lane.tracked(), "and its entry is gone");
    }

    @Test
    void aQuarterOfTheWorkersAndAtLeastOneMayPublishOverrunSegments() {
        assertEquals(1, placesFor(1));
        assertEquals(1, placesFor(4));
        assertEquals(1, placesFor(7));
        assertEquals(2, placesFor(8));
        assertEquals(4, placesFor(16));
    }

    private static int placesFor(int workers) {
        OverrunThrottle<String> lane = new OverrunThrottle<>();
        int places = 0;
        while (lane.tryEnter(workers)) {
            places++;
        }
        return places;
    }

    @Test
    void aWorkerLeavingTheLaneHandsOnOneWaitingSegment() {
        OverrunThrottle<String> lane = new OverrunThrottle<>();
        assertTrue(lane.tryEnter(4));
        lane.await("app/a", 4, requeued::add);
        lane.await("app/b", 4, requeued::add);
        assertEquals(List.of(), requeued, "both wait while the lane is full");
        assertEquals(2, lane.waiting());

        lane.leave(requeued::add);
        assertEquals(List.of("app/a"), requeued, "one handed on per worker leaving, first come first");
        assertEquals(1, lane.waiting());
    }

    @Test
    void aSegmentThatStartsWaitingWhenTheLaneIsFreeIsHandedOnAtOnce() {
        // The worker that held the lane left just before this segment was added to the waiting
        // queue, so nobody else would ever hand it on.
        OverrunThrottle<String> lane = new OverrunThrottle<>();
        lane.await("app/a", 4, requeued::add);
        assertEquals(List.of("app/a"), requeued);
        assertEquals(0, lane.waiting());
        assertTrue(lane.tryEnter(4), "and the place it briefly took is free again");
    }

    @Test
    void entriesOfSegmentsOverrunNoMoreArePurgedAsTheirNumberGrows() {
        OverrunThrottle<String> lane = new OverrunThrottle<>(0); // every entry is stale as soon as it is written
        for (int i = 0; i < 5_000; i++) {
            lane.overrun("app/job-" + i);
            lane.purgeIfGrown(); // as a worker does after each publication
        }
        assertTrue(lane.tracked() <= 2_048, "segments never looked up again do not stay forever: " + lane.tracked());
    }
}
