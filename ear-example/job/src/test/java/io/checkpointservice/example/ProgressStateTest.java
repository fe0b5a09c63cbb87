package io.checkpointservice.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ProgressStateTest {

    @Test
    void initialStateIsPositionZeroWithTheSeedDigest() {
        ProgressState initial = ProgressState.initial();
        assertEquals(0, initial.position());
        // SHA-256("checkpoint-example/progress-job"): pinned, because demo/CheckpointDemo.java
        // recomputes digests on its own and must agree with the job.
        assertEquals(DIGEST_0, initial.digest());
        assertEquals(initial, ProgressState.at(0));
    }

    @Test
    void digestAtAPositionIsPinned() {
        assertEquals(DIGEST_1000, ProgressState.at(1000).digest());
    }

    @Test
    void advancingInChunksEqualsRecomputingFromScratch() {
        ProgressState state = ProgressState.initial();
        for (int tick = 0; tick < 50; tick++) {
            state = state.advance(ProgressJob.ITEMS_PER_TICK);
        }
        assertEquals(ProgressState.at(50L * ProgressJob.ITEMS_PER_TICK), state);
        assertEquals(state, state.advance(0));
    }

    @Test
    void everyPositionHasItsOwnDigest() {
        assertNotEquals(ProgressState.at(1).digest(), ProgressState.at(2).digest());
        assertNotEquals(ProgressState.at(0).digest(), ProgressState.at(1).digest());
    }

    @Test
    void resumingFromADecodedCheckpointContinuesTheSameStream() {
        ProgressState checkpoint = ProgressState.at(300);
        ProgressState resumed = ProgressState.decode(checkpoint.encode()).advance(20);
        assertEquals(ProgressState.at(320), resumed);
    }

    @Test
    void encodingIsReadableText() {
        assertEquals("position=0\ndigest=" + DIGEST_0 + "\n",
                new String(ProgressState.initial().encode(), StandardCharsets.US_ASCII));
    }

    @Test
    void decodeRefusesWhatItDidNotWrite() {
        assertThrows(IllegalArgumentException.class, () -> ProgressState.decode(new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> decode("position=x\ndigest=" + DIGEST_0 + "\n"));
        assertThrows(IllegalArgumentException.class, () -> decode("position=5\ndigest=abc\n"));
        assertThrows(IllegalArgumentException.class, () -> decode("position=-1\ndigest=" + DIGEST_0 + "\n"));
        assertThrows(IllegalArgumentException.class, () -> decode("digest=" + DIGEST_0 + "\nposition=5\n"));
        byte[] torn = ProgressState.at(7).encode();
        assertThrows(IllegalArgumentException.class,
                () -> ProgressState.decode(Arrays.copyOf(torn, torn.length - 1)));
    }

    @Test
    void refusesNegativeInput() {
        assertThrows(IllegalArgumentException.class, () -> ProgressState.initial().advance(-1));
        assertThrows(IllegalArgumentException.class, () -> new ProgressState(-1, DIGEST_0));
    }

    private static ProgressState decode(String text) {
        return ProgressState.decode(text.getBytes(StandardCharsets.US_ASCII));
    }

    private static final String DIGEST_0 = "6168be2f9658c10abbeb009e3942bc387495222d6ffa8aca5606702521d3a5d0";
    // Recomputed independently (Python hashlib) when pinned.
    private static final String DIGEST_1000 = "9f375bea8e19ecab2eb89a06f6b39734ddce2d8a821e9eab37d35fce7f6a84ff";
}
