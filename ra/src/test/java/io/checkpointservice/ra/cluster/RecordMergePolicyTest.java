package io.checkpointservice.ra.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.infinispan.container.entries.CacheEntry;
import org.infinispan.container.entries.ImmortalCacheEntry;
import org.junit.jupiter.api.Test;

/** Which record survives a network split's merge, and that every node would pick the same one. */
class RecordMergePolicyTest {

    private static final String KEY = "ns/state";
    private static final Instant T = Instant.parse("2026-11-23T12:00:00Z");
    private final RecordMergePolicy policy = new RecordMergePolicy();

    /** The record {@code writer} publishes at {@code version} under {@code epoch}. */
    private static SegmentRecord published(long epoch, String writer, long version, int checksum) {
        return SegmentRecord.builder().version(version).dataEpoch(epoch).epoch(epoch).writer(writer)
                .size(1000 + version).checksum(checksum).writtenAt(T.plusSeconds(version)).origin(writer).build();
    }

    private static CacheEntry<String, String> entry(SegmentRecord record) {
        return new ImmortalCacheEntry(KEY, record.encode());
    }

    private SegmentRecord merge(SegmentRecord preferred, SegmentRecord... others) {
        List<CacheEntry<String, String>> rest = new ArrayList<>();
        for (SegmentRecord other : others) {
            rest.add(entry(other));
        }
        CacheEntry<String, String> kept = policy.merge(preferred == null ? null : entry(preferred), rest);
        return kept == null ? null : SegmentRecord.decode(kept.getValue());
    }

    @Test
    void takeOverOnTheSmallerSideBeatsTheOldWriterThatWroteMoreVersions() {
        SegmentRecord oldWriter = published(1, "A", 9, 111);                 // A went on writing: v9
        SegmentRecord takenOver = published(1, "A", 5, 55).takenOverBy("B", 2);  // B took over v5 ...
        SegmentRecord bWrote = published(2, "B", 6, 66);                     // ... and wrote v6
        assertEquals(takenOver, merge(oldWriter, takenOver), "the take-over wins even without new data");
        assertEquals(bWrote, merge(oldWriter, bWrote), "the later take-over's lineage wins over higher versions");
        assertEquals(bWrote, merge(bWrote, oldWriter), "whichever partition Infinispan prefers");
    }

    @Test
    void theWinnerFencesTheLoser() {
        SegmentRecord oldWriter = published(1, "A", 9, 111);
        SegmentRecord bWrote = published(2, "B", 6, 66);
        SegmentRecord kept = merge(oldWriter, bWrote);
        assertTrue(kept.fences("A", 1), "A, writing under epoch 1, is fenced by the kept record");
        assertTrue(!kept.fences("B", 2), "B keeps writing");
    }

    @Test
    void sameEpochTieIsBrokenByVersionThenWriterName() {
        SegmentRecord c = published(2, "C", 6, 600);
        SegmentRecord b = published(2, "B", 6, 500);
        assertEquals(c, merge(b, c), "same epoch, same version: the greater writer name");
        assertEquals(c, merge(c, b));
        SegmentRecord bFurther = published(2, "B", 7, 700);
        assertEquals(bFurther, merge(c, bFurther), "same epoch: the side that wrote more versions");
        assertTrue(merge(b, c).fences("B", 2), "the tie's loser is fenced: same epoch, other writer");
    }

    @Test
    void anOlderSnapshotOfTheSameLineageLosesToTheNewest() {
        SegmentRecord snapshot = published(3, "A", 4, 40);
        SegmentRecord newest = published(3, "A", 8, 80);
        assertEquals(newest, merge(snapshot, newest));
    }

    @Test
    void aDeleteOfTheSameVersionWinsOverItsData() {
        SegmentRecord data = published(3, "A", 8, 80);
        SegmentRecord tombstone = SegmentRecord.claim(3, "A", 8, T);
        assertEquals(tombstone, merge(data, tombstone));
        assertEquals(tombstone, merge(tombstone, data));
    }

    @Test
    void aRecordOnlyOneSideKnowsIsKept() {
        SegmentRecord only = published(1, "A", 1, 10);
        assertEquals(only, merge(null, only), "created on the non-preferred side during the split");
        assertEquals(only, merge(only), "created on the preferred side");
        assertNull(policy.merge(null, List.of()), "nothing anywhere: nothing to keep");
    }

    @Test
    void theOrderIsTotalSoEveryNodePicksTheSameWinner() {
        List<SegmentRecord> records = new ArrayList<>(List.of(
                published(1, "A", 9, 1), published(2, "B", 6, 2), published(2, "C", 6, 3),
                published(2, "C", 6, 4), SegmentRecord.claim(2, "D", 6, T), published(1, "A", 3, 5),
                published(2, "B", 5, 6).takenOverBy("E", 3), SegmentRecord.claim(3, "F", 0, T)));
        Random random = new Random(42);
        SegmentRecord first = null;
        for (int round = 0; round < 50; round++) {
            Collections.shuffle(records, random);
            SegmentRecord kept = merge(records.get(0), records.subList(1, records.size()).toArray(SegmentRecord[]::new));
            if (first == null) {
                first = kept;
            }
            assertEquals(first, kept, "the same winner in any order");
        }
        assertEquals(3, first.epoch(), "the highest epoch");
        assertEquals("E", first.writer(), "epoch 3, version 5 beats epoch 3, version 0");
    }

    @Test
    void recordsWithTheSameNumbersButOtherDataNeverShareChunkKeys() {
        SegmentRecord c = published(2, "C", 6, 600);
        SegmentRecord b = published(2, "B", 6, 500);
        assertNotEquals(ChunkKey.of(KEY, c, 0).cacheKey(), ChunkKey.of(KEY, b, 0).cacheKey());
        SegmentRecord takenOver = c.takenOverBy("D", 3);
        assertEquals(ChunkKey.of(KEY, c, 1), ChunkKey.of(KEY, takenOver, 1),
                "a take-over keeps pointing at the chunks its data writer stored");
        assertEquals(KEY, ChunkKey.groupOf(ChunkKey.of(KEY, c, 1).cacheKey()), "chunks stay in the segment's group");
        assertEquals(takenOver, SegmentRecord.decode(takenOver.encode()), "the data writer survives encoding");
        assertTrue(Arrays.asList(takenOver.encode().split("\\|")).contains("C"));
    }
}
