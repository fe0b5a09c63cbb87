package io.checkpointservice.ra.global;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.ra.cluster.SegmentRecord;
import io.checkpointservice.ra.store.Checksums;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared-directory global store: what it keeps, what it returns, and that it never returns a damaged copy (G7). */
class DirectoryGlobalStoreTest {

    private static final String KEY = "ns/segment";

    @TempDir
    Path root;

    private static SegmentRecord record(long epoch, long version, byte[] data) {
        return SegmentRecord.builder().version(version).epoch(epoch).writer("writer-1").size(data.length)
                .checksum(Checksums.crc32c(data)).writtenAt(Instant.ofEpochMilli(1_000 + version)).build();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void returnsExactlyTheVersionStoredWithItsRecord() {
        DirectoryGlobalStore store = DirectoryGlobalStore.open(root);
        byte[] data = bytes("state of version 3");
        SegmentRecord v3 = record(2, 3, data);
        store.put(KEY, v3, data);

        assertTrue(store.holds(KEY, v3));
        assertArrayEquals(data, store.get(KEY, v3).orElseThrow());
        GlobalCopy newest = store.newest(KEY).orElseThrow();
        assertEquals(v3, newest.record());
        assertArrayEquals(data, newest.data());
        assertEquals(Optional.empty(), store.get(KEY, record(2, 4, data)), "a version never stored");
        assertEquals(Optional.empty(), store.get("ns/other", v3), "another segment");
    }

    @Test
    void keepsOnlyTheNewestVersionAndNeverGoesBack() throws IOException {
        DirectoryGlobalStore store = DirectoryGlobalStore.open(root);
        byte[] old = bytes("old");
        byte[] next = bytes("newer state");
        SegmentRecord v1 = record(1, 1, old);
        SegmentRecord v2 = record(1, 2, next);
        store.put(KEY, v1, old);
        store.put(KEY, v2, next);
        store.put(KEY, v1, old); // a late archiver of the older version

        assertFalse(store.holds(KEY, v1), "the older version is removed once a newer one is stored");
        assertEquals(v2, store.newest(KEY).orElseThrow().record());
        try (Stream<Path> files = Files.list(store.segmentDirectory(KEY))) {
            assertEquals(List.of(store.copyFile(KEY, v2)), files.toList());
        }
        // A take-over's lineage (higher data epoch) is newer even with a lower version number.
        byte[] taken = bytes("after a take-over");
        SegmentRecord epoch3 = record(3, 1, taken);
        store.put(KEY, epoch3, taken);
        assertEquals(epoch3, store.newest(KEY).orElseThrow().record());
    }

    @Test
    void aDamagedCopyIsNeverReturned() throws IOException {
        DirectoryGlobalStore store = DirectoryGlobalStore.open(root);
        byte[] data = bytes("bytes that will be damaged on the shared disk");
        SegmentRecord v1 = record(1, 1, data);
        store.put(KEY, v1, data);
        Path file = store.copyFile(KEY, v1);
        byte[] raw = Files.readAllBytes(file);
        raw[raw.length - 5] ^= 0x10; // one bit of the data
        Files.write(file, raw);

        assertEquals(Optional.empty(), store.get(KEY, v1));
        assertEquals(Optional.empty(), store.newest(KEY));

        raw[raw.length - 5] ^= 0x10;
        raw[12] ^= 0x01; // one bit of the header (the key)
        Files.write(file, raw);
        assertEquals(Optional.empty(), store.get(KEY, v1));
        Map<String, SegmentRecord> listed = new HashMap<>();
        store.forEachNewestRecord(listed::put);
        assertEquals(Map.of(), listed, "a damaged header lists nothing");

        Files.write(file, java.util.Arrays.copyOf(raw, raw.length / 2)); // torn
        assertEquals(Optional.empty(), store.get(KEY, v1));
    }

    @Test
    void temporaryFilesAreIgnoredAndRecordsAreListedPerSegment() throws IOException {
        DirectoryGlobalStore store = DirectoryGlobalStore.open(root);
        byte[] a = bytes("a");
        byte[] b = bytes("");
        store.put("ns/a", record(1, 5, a), a);
        store.put("ns/b", record(4, 1, b), b);
        Files.write(store.segmentDirectory("ns/a").resolve(".tmp-left-by-a-crash"), bytes("half a copy"));

        Map<String, SegmentRecord> listed = new HashMap<>();
        store.forEachNewestRecord(listed::put);
        assertEquals(Map.of("ns/a", record(1, 5, a), "ns/b", record(4, 1, b)), listed);
        assertArrayEquals(b, store.get("ns/b", record(4, 1, b)).orElseThrow());
    }

    @Test
    void aTombstoneRemovesTheVersionsItDeletesButAClaimRemovesNothing() {
        DirectoryGlobalStore store = DirectoryGlobalStore.open(root);
        byte[] data = bytes("x");
        SegmentRecord v2 = record(1, 2, data);
        store.put(KEY, v2, data);

        store.delete(KEY, SegmentRecord.claim(2, "loader", 0, Instant.EPOCH));
        assertTrue(store.holds(KEY, v2), "a claim without data (version 0) is no delete");
        store.delete(KEY, SegmentRecord.claim(2, "writer-1", 2, Instant.EPOCH));
        assertFalse(store.holds(KEY, v2));
        assertEquals(Optional.empty(), store.newest(KEY));
    }

    @Test
    void anUnwritableStoreFailsThePutAndKeepsWhatItHeld() throws IOException {
        DirectoryGlobalStore store = DirectoryGlobalStore.open(root);
        byte[] data = bytes("kept");
        SegmentRecord v1 = record(1, 1, data);
        store.put(KEY, v1, data);
        // Root ignores permission bits: a file where the segment's directory must be is refused by everyone.
        Path other = store.segmentDirectory("ns/other");
        Files.write(other, bytes("not a directory"));

        assertThrows(GlobalStoreException.class, () -> store.put("ns/other", v1, data));
        assertArrayEquals(data, store.get(KEY, v1).orElseThrow());
    }

    @Test
    void openRefusesADirectoryItCannotCreateSayingWhatToChange() throws IOException {
        Path file = Files.write(root.resolve("a-file"), bytes("x"));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> DirectoryGlobalStore.open(file.resolve("store")));
        assertTrue(refused.getMessage().contains("globalStore directory") && refused.getMessage().contains("point globalStore"),
                refused.getMessage());
    }
}
