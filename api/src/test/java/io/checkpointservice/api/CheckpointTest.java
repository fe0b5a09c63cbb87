package io.checkpointservice.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class CheckpointTest {

    private static final Instant AT = Instant.parse("2026-01-02T03:04:05.678Z");

    @Test
    void checkpointOfAnOwnedArrayHasItsValuesAndStillHandsOutCopies() {
        byte[] stored = {1, 2, 3, 4};
        Checkpoint checkpoint = Checkpoint.ofOwnedArray("job", 7, AT, "node-a", stored);

        assertEquals("job", checkpoint.name(), "name");
        assertEquals(7, checkpoint.version(), "version");
        assertEquals(AT, checkpoint.writtenAt(), "writtenAt");
        assertEquals("node-a", checkpoint.originNode(), "originNode");
        assertEquals(4, checkpoint.size(), "size");
        byte[] handedOut = checkpoint.state();
        assertArrayEquals(stored, handedOut, "state() should return the handed-over bytes");
        handedOut[0] = 99;
        assertArrayEquals(new byte[] {1, 2, 3, 4}, checkpoint.state(),
                "changing what state() returned must not change the checkpoint");
        assertArrayEquals(new byte[] {1, 2, 3, 4}, stored, "nor the handed-over array");
    }

    @Test
    void checkpointOfAnOwnedArrayKeepsThatArrayWithoutACopy() {
        byte[] stored = {1, 2, 3};
        Checkpoint checkpoint = Checkpoint.ofOwnedArray("job", 1, AT, "node-a", stored);
        stored[0] = 9; // against the contract: shows that no copy was taken
        assertArrayEquals(new byte[] {9, 2, 3}, checkpoint.state(), "the checkpoint keeps the array it was handed");
    }

    @Test
    void checkpointOfAnOwnedArrayChecksItsArgumentsAsThePublicConstructorDoes() {
        assertThrows(IllegalArgumentException.class, () -> Checkpoint.ofOwnedArray("job", 0, AT, "n", new byte[0]),
                "version 0 is refused");
        assertThrows(NullPointerException.class, () -> Checkpoint.ofOwnedArray(null, 1, AT, "n", new byte[0]),
                "a null name is refused");
        assertThrows(NullPointerException.class, () -> Checkpoint.ofOwnedArray("job", 1, AT, "n", null),
                "null state is refused");
    }

    @Test
    void publicConstructorCopiesWhatAnApplicationPasses() {
        byte[] mine = {5, 6, 7};
        Checkpoint checkpoint = new Checkpoint("job", 1, AT, "node-a", mine);
        mine[0] = 0;
        assertArrayEquals(new byte[] {5, 6, 7}, checkpoint.state(),
                "an application changing its array after constructing must not change the checkpoint");
    }
}
