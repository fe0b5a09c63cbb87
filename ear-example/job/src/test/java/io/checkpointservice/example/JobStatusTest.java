package io.checkpointservice.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JobStatusTest {

    private static final JobStatus.Restore FRESH = new JobStatus.Restore(null, 0, null, 1.5, 1, 2000);

    @Test
    void startingHasNoStateAndSaysSo() {
        JobStatus starting = JobStatus.starting(1000);
        assertNull(starting.state());
        assertNull(starting.restore());
        assertEquals("starting", starting.problem());
        assertEquals(1000, starting.startedAt());
    }

    @Test
    void restoringFromACheckpointStartsFromItsVersionAndClearsTheProblem() {
        JobStatus.Restore restore = new JobStatus.Restore(7L, 700, "node-1", 12.5, 2, 2000);
        JobStatus status = JobStatus.starting(1000).withProblem("waiting for checkpoint: x")
                .restored(ProgressState.at(700), restore);
        assertNull(status.problem());
        assertEquals(7, status.checkpointVersion());
        assertEquals(700, status.checkpointPosition());
        assertEquals(0, status.awaitedPosition(), "nothing confirmed by this instance yet");
        assertEquals(restore, status.restore());
        assertEquals(1000, status.startedAt());
    }

    @Test
    void aFreshStartHasNoCheckpoint() {
        JobStatus status = JobStatus.starting(1000).restored(ProgressState.initial(), FRESH);
        assertEquals(0, status.checkpointVersion());
        assertEquals(0, status.state().position());
    }

    @Test
    void aConfirmedBarrierMovesTheAwaitedPositionATimedOutOneKeepsIt() {
        JobStatus status = JobStatus.starting(1000).restored(ProgressState.initial(), FRESH)
                .withCheckpoint(4, 400).withBarrier(true, 4, 400);
        assertEquals(4, status.awaitedVersion());
        assertEquals(400, status.awaitedPosition());
        assertFalse(status.replicationPending());

        JobStatus timedOut = status.withCheckpoint(8, 800).withBarrier(false, 8, 800);
        assertEquals(400, timedOut.awaitedPosition(), "a timeout must not claim the newer checkpoint");
        assertEquals(800, timedOut.checkpointPosition());
        assertTrue(timedOut.replicationPending());

        JobStatus again = timedOut.withCheckpoint(12, 1200).withBarrier(true, 12, 1200);
        assertEquals(1200, again.awaitedPosition());
        assertFalse(again.replicationPending());
    }
}
