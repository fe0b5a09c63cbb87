package io.checkpointservice.ra.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Chunk keys: their form, and which chunks no record can point at any more. */
class ChunkKeyTest {

    private static final String KEY = "ns/state";
    private static final Instant T = Instant.parse("2026-11-23T12:00:00Z");

    private static SegmentRecord published(long epoch, String writer, long version) {
        return SegmentRecord.builder().version(version).dataEpoch(epoch).epoch(epoch).writer(writer)
                .size(3_000_000).checksum(7).writtenAt(T).origin(writer).build();
    }

    @Test
    void cacheKeyParsesBackToTheSameChunk() {
        ChunkKey chunk = new ChunkKey(KEY, 4, "node-1.example", 17, 2);
        assertEquals(chunk, ChunkKey.parse(chunk.cacheKey()));
        assertNull(ChunkKey.parse("ns/state"), "no group end");
        assertNull(ChunkKey.parse("ns/state#1:2:3"), "the old form, without the writer");
        assertNull(ChunkKey.parse("ns/state#x:2:3:A"), "not a number");
    }

    @Test
    void aPlacementJoinsTheGroupAndParsesBack() {
        ChunkKey placed = new ChunkKey(KEY, 4, "node#1", 17, 2, 40);
        assertEquals("ns/state#40#4:17:2:node#1", placed.cacheKey());
        assertEquals("ns/state#40", placed.group());
        assertEquals(placed.group(), ChunkKey.groupOf(placed.cacheKey()));
        assertEquals(placed, ChunkKey.parse(placed.cacheKey()));
        ChunkKey unplaced = new ChunkKey(KEY, 4, "node#1", 17, 2);
        assertEquals(KEY, ChunkKey.groupOf(unplaced.cacheKey()), "placement 0: the segment key alone");
        assertEquals(unplaced, ChunkKey.parse(unplaced.cacheKey()));
    }

    @Test
    void theRecordsVersionUnderAnotherPlacementIsAbandoned() {
        SegmentRecord record = SegmentRecord.builder().version(9).dataEpoch(3).epoch(3).writer("B")
                .size(3_000_000).checksum(7).writtenAt(T).origin("B").dataWriter("B").placement(5).build();
        assertFalse(ChunkKey.of(KEY, record, 1).isAbandonedUnder(record));
        assertTrue(new ChunkKey(KEY, 3, "B", 9, 1, 2).isAbandonedUnder(record),
                "a failed publication of this version, retried under placement 5");
        assertFalse(new ChunkKey(KEY, 3, "B", 10, 0, 2).isAbandonedUnder(record), "the next version, being published");
    }

    @Test
    void theRecordsOwnDataIsNeverAbandoned() {
        SegmentRecord record = published(3, "B", 9);
        for (int i = 0; i < record.chunkCount(); i++) {
            assertFalse(ChunkKey.of(KEY, record, i).isAbandonedUnder(record));
        }
        SegmentRecord takenOver = record.takenOverBy("C", 4);
        assertFalse(ChunkKey.of(KEY, record, 0).isAbandonedUnder(takenOver),
                "after a take-over the new owner's record still points at the old writer's chunks");
    }

    @Test
    void theLosingLineagesChunksAreAbandoned() {
        SegmentRecord winner = published(3, "B", 9);
        assertTrue(new ChunkKey(KEY, 2, "A", 12, 0).isAbandonedUnder(winner),
                "the old writer's chunks under a lower epoch, even with a higher version");
        assertTrue(new ChunkKey(KEY, 3, "C", 9, 0).isAbandonedUnder(winner),
                "the other side's chunks under the same epoch and version (a tie the record lost)");
        assertTrue(new ChunkKey(KEY, 3, "C", 11, 0).isAbandonedUnder(winner),
                "the tie loser's chunks with a higher version");
        assertTrue(new ChunkKey(KEY, 3, "B", 8, 0).isAbandonedUnder(winner),
                "the winner's own previous version");
    }

    @Test
    void chunksOfAVersionBeingPublishedAreKept() {
        SegmentRecord record = published(3, "B", 9);
        assertFalse(new ChunkKey(KEY, 3, "B", 10, 0).isAbandonedUnder(record),
                "the owner's next version: stored before the record points at it");
        assertFalse(new ChunkKey(KEY, 4, "D", 10, 0).isAbandonedUnder(record),
                "a first write on a new node: published under epoch + 1 before its compare-and-set");
        assertFalse(new ChunkKey(KEY, 4, "D", 9, 0).isAbandonedUnder(record.takenOverBy("D", 4)),
                "a write that took the segment over and got the number B published meanwhile, being "
                        + "published after a load here recorded the take-over");
    }

    @Test
    void aDeletedSegmentsChunksAreAbandoned() {
        SegmentRecord tombstone = SegmentRecord.claim(3, "B", 9, T);
        assertTrue(new ChunkKey(KEY, 3, "B", 9, 0).isAbandonedUnder(tombstone));
        assertTrue(new ChunkKey(KEY, 2, "A", 9, 0).isAbandonedUnder(tombstone));
        assertFalse(new ChunkKey(KEY, 3, "B", 10, 0).isAbandonedUnder(tombstone),
                "a write after the delete, being published");
    }

    @Test
    void chunksOfAVersionTheRecordKeepsAreNotAbandoned() {
        SegmentRecord v2 = published(1, "node-a", 2);
        SegmentRecord v3 = published(1, "node-a", 3);
        // v4 published by node-b after it took the segment over (epoch 2), keeping v3 and v2.
        SegmentRecord v4 = published(2, "node-b", 4).toBuilder().kept(java.util.List.of(v3, v2)).build();

        assertFalse(ChunkKey.of(KEY, v3, 1).isAbandonedUnder(v4), "kept: an older epoch does not make it abandoned");
        assertFalse(ChunkKey.of(KEY, v2, 0).isAbandonedUnder(v4));
        assertTrue(ChunkKey.of(KEY, published(1, "node-a", 1), 0).isAbandonedUnder(v4), "v1 is not kept");
        assertTrue(ChunkKey.of(KEY, v3, 0).isAbandonedUnder(published(2, "node-b", 4)), "without the list, abandoned");
    }
}
