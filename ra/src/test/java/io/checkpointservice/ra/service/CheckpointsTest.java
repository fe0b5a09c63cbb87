package io.checkpointservice.ra.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.api.Checkpoint;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CheckpointsTest {

    private static final Instant AT = Instant.parse("2026-01-02T03:04:05.678Z");

    @Test
    void adapterReachesTheNoCopyConstructorOnTheClassPath() {
        assertTrue(Checkpoints.withoutCopy(), "the private no-copy constructor should be reachable from the adapter, "
                + "or every load pays a whole extra copy of its segment");
    }

    @Test
    void checkpointBuiltAroundAStoredArrayHasItsValuesAndStillHandsOutCopies() {
        byte[] stored = {1, 2, 3, 4};
        Checkpoint checkpoint = Checkpoints.around("job", 7, AT, "node-a", stored);

        assertEquals("job", checkpoint.name(), "name");
        assertEquals(7, checkpoint.version(), "version");
        assertEquals(AT, checkpoint.writtenAt(), "writtenAt");
        assertEquals("node-a", checkpoint.originNode(), "originNode");
        assertEquals(4, checkpoint.size(), "size");
        byte[] handedOut = checkpoint.state();
        assertArrayEquals(stored, handedOut, "state() should return the stored bytes");
        handedOut[0] = 99;
        assertArrayEquals(new byte[] {1, 2, 3, 4}, checkpoint.state(),
                "changing what state() returned must not change the checkpoint");
        assertArrayEquals(new byte[] {1, 2, 3, 4}, stored, "nor the stored array");
    }

    @Test
    void checkpointBuiltAroundAStoredArrayChecksItsArgumentsAsThePublicConstructorDoes() {
        assertThrows(IllegalArgumentException.class, () -> Checkpoints.around("job", 0, AT, "n", new byte[0]),
                "version 0 is refused");
        assertThrows(NullPointerException.class, () -> Checkpoints.around(null, 1, AT, "n", new byte[0]),
                "a null name is refused");
        assertThrows(NullPointerException.class, () -> Checkpoints.around("job", 1, AT, "n", null),
                "null state is refused");
    }

    @Test
    void publicConstructorStillCopiesWhatAnApplicationPasses() {
        byte[] mine = {5, 6, 7};
        Checkpoint checkpoint = new Checkpoint("job", 1, AT, "node-a", mine);
        mine[0] = 0;
        assertArrayEquals(new byte[] {5, 6, 7}, checkpoint.state(),
                "an application changing its array after constructing must not change the checkpoint");
    }
}
