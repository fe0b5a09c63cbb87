package io.checkpointservice.ra.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** When a copy this node wrote is newer than the cluster's record ({@link SegmentRecord#isOlderThan}). */
class SegmentRecordAgeTest {

    private static final Instant AT = Instant.parse("2026-12-02T06:00:00Z");
    /** Version 5 of b's data, stored under epoch 3. */
    private final SegmentRecord data = SegmentRecord.builder().version(5).dataEpoch(3).epoch(3).writer("b")
            .size(10).checksum(7).writtenAt(AT).origin("b").build();

    @Test
    void aHigherVersionIsNewerWhateverItsEpoch() {
        assertTrue(data.isOlderThan(6, 3));
        assertTrue(data.isOlderThan(6, 1));
        assertFalse(data.isOlderThan(4, 9), "a lower version is older, even under a newer epoch");
    }

    @Test
    void theSameVersionIsNewerOnlyUnderANewerEpochThanTheRecordsData() {
        assertTrue(data.isOlderThan(5, 4), "a take-over's write that got the same number");
        assertFalse(data.isOlderThan(5, 3), "the record's own version");
        assertFalse(data.isOlderThan(5, 2));
        // Taken over by a load: the record's epoch moved on, its data did not.
        SegmentRecord takenOver = data.takenOverBy("a", 4);
        assertFalse(takenOver.isOlderThan(5, 3), "the restored copy of the record's data");
        assertTrue(takenOver.isOlderThan(5, 4));
    }

    @Test
    void aTombstoneOrClaimClosesTheVersionItNames() {
        SegmentRecord tombstone = SegmentRecord.claim(4, "b", 5, AT);
        assertFalse(tombstone.isOlderThan(5, 4), "a copy of the deleted version never comes back");
        assertFalse(tombstone.isOlderThan(5, 9));
        assertTrue(tombstone.isOlderThan(6, 5), "a write after the delete");
    }
}
