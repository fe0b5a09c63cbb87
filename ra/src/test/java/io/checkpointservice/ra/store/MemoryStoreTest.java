package io.checkpointservice.ra.store;

import static io.checkpointservice.ra.store.Segments.assertSameSegment;
import static io.checkpointservice.ra.store.Segments.pattern;
import static io.checkpointservice.ra.store.Segments.segment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class MemoryStoreTest {

    private final MemoryStore store = new MemoryStore();

    @Test
    void writtenSegmentIsReadBackWithItsMetadataAndBytes() {
        StoredSegment s = segment("app/s", 1, pattern(1_000, 1));
        StoredSegment empty = segment("app/empty", 2, new byte[0]);
        store.put(s);
        store.put(empty);

        assertSameSegment(s, store.get("app/s"), "get after put");
        assertSameSegment(empty, store.get("app/empty"), "get of an empty state");
        assertEquals(s.metadata(), store.metadata("app/s").orElseThrow(), "metadata() should answer the written metadata");
        assertTrue(store.get("app/never").isEmpty(), "a key never written should read as empty");
        assertTrue(store.metadata("app/never").isEmpty(), "a key never written should have no metadata");
        assertEquals("memory", store.describe(), "describe() should say memory");
    }

    @Test
    void overwriteKeepsOnlyTheNewestVersion() {
        store.put(segment("app/s", 1, "one"));
        StoredSegment v2 = segment("app/s", 2, "two");
        store.put(v2);

        assertSameSegment(v2, store.get("app/s"), "after two writes");
        assertEquals(Set.of(v2.metadata()), Set.copyOf(store.list()), "list() should hold only the newest version");
    }

    @Test
    void removeAnswersWhetherTheSegmentExistedAndForgetsIt() {
        store.put(segment("app/a", 1, "a"));
        store.put(segment("app/b", 1, "b"));

        assertTrue(store.remove("app/a"), "remove of a stored key should answer true");
        assertFalse(store.remove("app/a"), "a second remove should answer false");
        assertFalse(store.remove("app/never"), "remove of a key never written should answer false");
        assertTrue(store.get("app/a").isEmpty(), "a removed key should read as empty");
        assertEquals(Set.of("app/b"), keys(), "only the other key should be listed");
    }

    @Test
    void listHoldsTheMetadataOfEveryStoredSegmentAndIsASnapshot() {
        assertTrue(store.list().isEmpty(), "a new store should list nothing");
        StoredSegment a = segment("ns1/a", 3, "a");
        StoredSegment b = segment("ns2/a", 4, "b");
        store.put(a);
        store.put(b);

        var listed = store.list();
        assertEquals(Set.of(a.metadata(), b.metadata()), Set.copyOf(listed), "list() should hold both segments' metadata");
        store.put(segment("ns3/c", 1, "c"));
        assertEquals(2, listed.size(), "a list taken earlier should not change with later writes");
        assertThrows(UnsupportedOperationException.class, () -> listed.clear(), "list() should not expose the store");
    }

    @Test
    void copyThatFailsItsChecksumIsDiscardedAndNeverReturned() {
        byte[] data = pattern(100, 1);
        store.put(segment("app/s", 1, data));
        data[10] ^= 1; // the store keeps the caller's array: simulate a bit flip in memory

        assertThrows(CorruptSegmentException.class, () -> store.get("app/s"),
                "a copy whose checksum does not match must be refused");
        assertTrue(store.get("app/s").isEmpty(), "the corrupt copy should be discarded after the first refusal");
        assertTrue(store.list().isEmpty(), "the corrupt copy should not be listed any more");
    }

    @Test
    void closeForgetsEverything() {
        store.put(segment("app/s", 1, "s"));
        store.close();
        assertTrue(store.list().isEmpty(), "a closed memory store holds nothing");
    }

    private Set<String> keys() {
        return Set.copyOf(store.list().stream().map(SegmentMetadata::key).toList());
    }

    private static SegmentWrite applicationWrite(String key, long version, byte[] callers) {
        return new SegmentWrite(key, version, 1, Segments.WRITTEN_AT, "node-a", callers);
    }

    @Test
    void whatAReaderGotStaysAsItWasWhenTheNextVersionIsCopiedOverTheStoresArray() {
        byte[] v1 = pattern(65_536, 1);
        byte[] v2 = pattern(65_536, 2);
        store.write(applicationWrite("app/s", 1, v1));
        StoredSegment read = store.get("app/s").orElseThrow();

        store.write(applicationWrite("app/s", 2, v2)); // same length: goes over the store's own array

        org.junit.jupiter.api.Assertions.assertArrayEquals(v1, read.data(), "a reader's bytes must not change");
        assertEquals(1, read.metadata().version());
        StoredSegment now = store.get("app/s").orElseThrow();
        org.junit.jupiter.api.Assertions.assertArrayEquals(v2, now.data());
        assertEquals(Checksums.crc32c(v2), now.metadata().checksum());
        assertTrue(read.data() != now.data(), "each reader gets its own array");
    }

    @Test
    void anArrayGivenToPutIsNeverWrittenOver() {
        byte[] fetched = pattern(4_096, 3); // a restored version: the loader hands this array to the application too
        StoredSegment restored = segment("app/s", 5, fetched);
        store.put(restored);

        store.write(applicationWrite("app/s", 6, pattern(4_096, 4)));

        org.junit.jupiter.api.Assertions.assertArrayEquals(pattern(4_096, 3), fetched, "the restored array must stay as it was");
        org.junit.jupiter.api.Assertions.assertArrayEquals(pattern(4_096, 4), store.get("app/s").orElseThrow().data());
    }

    @Test
    void versionsOfAnotherLengthTakeANewArrayAndReadBackWhole() {
        for (int version = 1; version <= 6; version++) {
            byte[] data = pattern(1_000 * (version % 3 + 1), version);
            store.write(applicationWrite("app/s", version, data));
            StoredSegment read = store.get("app/s").orElseThrow();
            org.junit.jupiter.api.Assertions.assertArrayEquals(data, read.data(), "version " + version);
            assertEquals(Checksums.crc32c(data), read.metadata().checksum());
        }
    }
}
