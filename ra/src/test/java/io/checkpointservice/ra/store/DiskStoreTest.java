package io.checkpointservice.ra.store;

import static io.checkpointservice.ra.store.Segments.assertSameSegment;
import static io.checkpointservice.ra.store.Segments.filesEndingWith;
import static io.checkpointservice.ra.store.Segments.flipByte;
import static io.checkpointservice.ra.store.Segments.pattern;
import static io.checkpointservice.ra.store.Segments.quarantined;
import static io.checkpointservice.ra.store.Segments.segment;
import static io.checkpointservice.ra.store.Segments.truncate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DiskStoreTest {

    private static final Pattern SEGMENT_FILE_NAME = Pattern.compile("[0-9a-f]{64}\\.[ab]\\.seg");

    /** Quarantine warnings are expected here by the dozen; keeps the build output readable. */
    private static final Logger DISK_STORE_LOG = Logger.getLogger(DiskStore.class.getName());

    static {
        DISK_STORE_LOG.setLevel(Level.SEVERE);
    }

    @TempDir
    Path tempDir;

    private Path storeDir() {
        return tempDir.resolve("store");
    }

    /** The file that holds the current version of {@code key}, checked to hold {@code version}. */
    private static Path fileOf(DiskStore store, String key, long version) {
        Path file = store.currentFile(key).orElseThrow(() -> new AssertionError("no current file for '" + key + "'"));
        assertEquals(version, versionIn(file), "the current file of '" + key + "' should hold v" + version);
        return file;
    }

    /** Slot {@code slot} ("a" or "b") of {@code key} in the store directory, whether it exists or not. */
    private Path slot(String key, String slot) {
        return storeDir().resolve(DiskStore.slotFileNameFor(key, slot));
    }

    /** @return the version the (whole) header of {@code file} names */
    private static long versionIn(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return SegmentFileFormat.decodeHeader(in, file.toString()).metadata().version();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest
    @EnumSource(SyncPolicy.class)
    void writtenSegmentIsReadBackWithItsMetadataAndBytes(SyncPolicy policy) {
        StoredSegment written = segment("app/job/position", 1, pattern(10_000, 1));
        StoredSegment empty = segment("app/empty", 3, new byte[0]);
        try (DiskStore store = DiskStore.open(storeDir(), policy)) {
            store.put(written);
            store.put(empty);

            assertSameSegment(written, store.get("app/job/position"), "get after put");
            assertSameSegment(empty, store.get("app/empty"), "get of an empty state");
            assertEquals(written.metadata(), store.metadata("app/job/position").orElseThrow(),
                    "metadata() should answer the written metadata without reading the file");
            assertEquals(Set.of(written.metadata(), empty.metadata()), Set.copyOf(store.list()),
                    "list() should hold exactly the two written segments");
            assertTrue(store.get("app/never-written").isEmpty(), "a key never written should read as empty");
            assertTrue(store.metadata("app/never-written").isEmpty(), "a key never written should have no metadata");
            assertTrue(store.describe().contains(policy.name().toLowerCase()),
                    "describe() should name the sync policy, was: " + store.describe());
        }
    }

    @ParameterizedTest
    @EnumSource(SyncPolicy.class)
    void overwriteKeepsOnlyTheNewestVersion(SyncPolicy policy) throws IOException {
        StoredSegment v1 = segment("app/s", 1, pattern(50_000, 1));
        StoredSegment v2 = segment("app/s", 2, pattern(10, 2));
        StoredSegment v3 = segment("app/s", 3, pattern(3_000, 3));
        try (DiskStore store = DiskStore.open(storeDir(), policy)) {
            store.put(v1);
            store.put(v2);
            store.put(v3);

            assertSameSegment(v3, store.get("app/s"), "after three writes");
            assertEquals(List.of(v3.metadata()), List.copyOf(store.list()), "list() should hold only the newest version");
            assertEquals(List.of(DiskStore.slotFileNameFor("app/s", "a"), DiskStore.slotFileNameFor("app/s", "b")),
                    filesEndingWith(storeDir(), ".seg"), "exactly the two slot files should be on disk for the key");
            assertEquals(slot("app/s", "a"), fileOf(store, "app/s", 3), "v1, v2, v3 go to slots a, b, a");
            assertEquals(2, versionIn(slot("app/s", "b")), "the other slot holds the previous version, v2");
            assertEquals(Files.size(slot("app/s", "a")) - 3_000 + 10, Files.size(slot("app/s", "b")),
                    "v2 (10 bytes) over nothing and v3 (3,000 bytes) over v1 (50,000 bytes): exact lengths");
            assertEquals(List.of(), filesEndingWith(storeDir(), ".tmp"), "no temporary file should be left after writes");
        }
        try (DiskStore reopened = DiskStore.open(storeDir(), policy)) {
            assertSameSegment(v3, reopened.get("app/s"), "after reopening");
        }
    }

    @ParameterizedTest
    @EnumSource(SyncPolicy.class)
    void removeDeletesTheFileAndTheSegmentStaysGoneAfterRestart(SyncPolicy policy) {
        try (DiskStore store = DiskStore.open(storeDir(), policy)) {
            store.put(segment("app/a", 1, "a"));
            store.put(segment("app/a", 2, "a2"));
            store.put(segment("app/b", 1, "b"));
            assertTrue(Files.exists(slot("app/a", "a")) && Files.exists(slot("app/a", "b")), "a has two slot files");

            assertTrue(store.remove("app/a"), "remove of a stored key should answer true");
            assertFalse(store.remove("app/a"), "a second remove of the same key should answer false");
            assertFalse(store.remove("app/never"), "remove of a key never written should answer false");
            assertTrue(store.get("app/a").isEmpty(), "a removed key should read as empty");
            assertFalse(Files.exists(slot("app/a", "a")), "the removed key's slot a should be deleted");
            assertFalse(Files.exists(slot("app/a", "b")), "the removed key's slot b should be deleted");
            assertEquals(List.of(DiskStore.slotFileNameFor("app/b", "a")), filesEndingWith(storeDir(), ".seg"),
                    "only b's file should be left");
        }
        try (DiskStore reopened = DiskStore.open(storeDir(), policy)) {
            assertTrue(reopened.get("app/a").isEmpty(), "a removed key should not come back after a restart");
            assertEquals(Set.of("app/b"), keys(reopened), "only the other key should be recovered");
        }
    }

    @ParameterizedTest
    @EnumSource(SyncPolicy.class)
    void tornFileIsQuarantinedOnOpenAndNeverReturned(SyncPolicy policy) throws IOException {
        StoredSegment torn = segment("app/torn", 4, pattern(1_000, 4));
        StoredSegment intact = segment("app/intact", 2, pattern(1_000, 5));
        Path tornFile;
        try (DiskStore store = DiskStore.open(storeDir(), policy)) {
            store.put(torn);
            store.put(intact);
            tornFile = fileOf(store, "app/torn", 4);
        }
        truncate(tornFile, Files.size(tornFile) - 10); // a crash in the middle of the data part

        try (DiskStore reopened = DiskStore.open(storeDir(), policy)) {
            assertTrue(reopened.get("app/torn").isEmpty(), "a torn copy must never be returned");
            assertTrue(reopened.metadata("app/torn").isEmpty(), "a torn copy must not be indexed");
            assertEquals(Set.of("app/intact"), keys(reopened), "list() should hold only the intact segment");
            assertSameSegment(intact, reopened.get("app/intact"), "the intact neighbour");
            assertFalse(Files.exists(tornFile), "the torn file should be moved out of the store directory");
            assertQuarantinedOnce(tornFile);
        }
    }

    @Test
    void fileLongerThanItsHeaderPromisesIsQuarantinedOnOpen() throws IOException {
        Path file;
        try (DiskStore store = DiskStore.open(storeDir(), SyncPolicy.NONE)) {
            store.put(segment("app/long", 1, "state"));
            file = fileOf(store, "app/long", 1);
        }
        Files.write(file, new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);

        try (DiskStore reopened = DiskStore.open(storeDir(), SyncPolicy.NONE)) {
            assertTrue(reopened.get("app/long").isEmpty(), "a file with trailing bytes must not be returned");
            assertQuarantinedOnce(file);
        }
    }

    @ParameterizedTest
    @EnumSource(SyncPolicy.class)
    void flippedDataByteFailsTheChecksumOnReadIsQuarantinedAndLaterReadsAreEmpty(SyncPolicy policy) throws IOException {
        try (DiskStore store = DiskStore.open(storeDir(), policy)) {
            store.put(segment("app/s", 7, pattern(2_000, 7)));
            Path file = fileOf(store, "app/s", 7);
            flipByte(file, Files.size(file) - 1_000); // inside the data part

            CorruptSegmentException e = assertThrows(CorruptSegmentException.class, () -> store.get("app/s"),
                    "a copy whose data fails its checksum must be refused, not returned");
            assertTrue(e.getMessage().contains("checksum"), "the exception should say the checksum failed: " + e.getMessage());
            assertFalse(Files.exists(file), "the corrupt file should be moved out of the store directory");
            assertQuarantinedOnce(file);
            assertTrue(store.get("app/s").isEmpty(), "after quarantine a later get should answer empty");
            assertTrue(store.metadata("app/s").isEmpty(), "after quarantine the key should have no metadata");
            assertTrue(store.list().isEmpty(), "after quarantine list() should not show the key");

            StoredSegment rewritten = segment("app/s", 8, "fresh");
            store.put(rewritten);
            assertSameSegment(rewritten, store.get("app/s"), "a new write after a quarantine");
        }
    }

    @Test
    void flippedDataByteFoundAfterRestartIsRefusedOnRead() throws IOException {
        Path file;
        try (DiskStore store = DiskStore.open(storeDir(), SyncPolicy.FSYNC)) {
            store.put(segment("app/s", 1, pattern(100, 1)));
            file = fileOf(store, "app/s", 1);
        }
        flipByte(file, Files.size(file) - 1);
        try (DiskStore reopened = DiskStore.open(storeDir(), SyncPolicy.FSYNC)) {
            assertThrows(CorruptSegmentException.class, () -> reopened.get("app/s"),
                    "a data flip is caught by the data checksum on the first read after a restart");
            assertTrue(reopened.get("app/s").isEmpty(), "the second read should answer empty");
            assertQuarantinedOnce(file);
        }
    }

    @ParameterizedTest
    @EnumSource(SyncPolicy.class)
    void flippedHeaderByteIsQuarantinedOnOpenWhicheverByteItIs(SyncPolicy policy) throws IOException {
        String key = "app/header";
        byte[] data = pattern(64, 9);
        int headerLength;
        try (DiskStore probe = DiskStore.open(tempDir.resolve("probe"), policy)) {
            probe.put(segment(key, 5, data));
            headerLength = Math.toIntExact(Files.size(fileOf(probe, key, 5)) - data.length);
        }
        assertTrue(headerLength > 50, "the header should be at least its fixed part long, was " + headerLength);

        for (int position = 0; position < headerLength; position++) {
            Path dir = tempDir.resolve("flip-" + position);
            Path file;
            try (DiskStore store = DiskStore.open(dir, policy)) {
                store.put(segment(key, 5, data));
                file = fileOf(store, key, 5);
            }
            flipByte(file, position);
            try (DiskStore reopened = DiskStore.open(dir, policy)) {
                assertTrue(reopened.metadata(key).isEmpty(), "header byte " + position
                        + " flipped: the file must not be indexed at open");
                assertTrue(reopened.get(key).isEmpty(), "header byte " + position + " flipped: get must answer empty");
                assertFalse(Files.exists(file), "header byte " + position + " flipped: the file should be quarantined");
                assertEquals(1, quarantined(dir).size(), "header byte " + position
                        + " flipped: exactly one file should be in quarantine");
            }
        }
    }

    @Test
    void truncatedHeaderOfFiveBytesIsQuarantinedOnOpen() throws IOException {
        Path file;
        try (DiskStore store = DiskStore.open(storeDir(), SyncPolicy.NONE)) {
            store.put(segment("app/short", 1, "state"));
            store.put(segment("app/other", 1, "other"));
            file = fileOf(store, "app/short", 1);
        }
        truncate(file, 5);
        try (DiskStore reopened = DiskStore.open(storeDir(), SyncPolicy.NONE)) {
            assertTrue(reopened.get("app/short").isEmpty(), "a 5-byte file must not be returned");
            assertQuarantinedOnce(file);
            assertEquals(Set.of("app/other"), keys(reopened), "the intact segment should still be recovered");
        }
    }

    @Test
    void emptyAndGarbageSegmentFilesAreQuarantinedOnOpen() throws IOException {
        Files.createDirectories(storeDir());
        Path empty = storeDir().resolve(DiskStore.slotFileNameFor("app/empty-file", "a"));
        Path garbage = storeDir().resolve(DiskStore.slotFileNameFor("app/garbage", "b"));
        Files.write(empty, new byte[0]);
        Files.write(garbage, pattern(4_096, 3));
        try (DiskStore store = DiskStore.open(storeDir(), SyncPolicy.NONE)) {
            assertTrue(store.list().isEmpty(), "neither an empty nor a garbage file is a segment");
            assertTrue(store.get("app/empty-file").isEmpty(), "an empty file must read as absent");
            assertTrue(store.get("app/garbage").isEmpty(), "a garbage file must read as absent");
            assertFalse(Files.exists(empty), "the empty file should be quarantined");
            assertFalse(Files.exists(garbage), "the garbage file should be quarantined");
            assertEquals(2, quarantined(storeDir()).size(), "both files should be in quarantine");
        }
    }

    @Test
    void filesNotEndingInSegAreLeftAlone() throws IOException {
        StoredSegment kept = segment("app/kept", 2, "kept");
        try (DiskStore store = DiskStore.open(storeDir(), SyncPolicy.NONE)) {
            store.put(kept);
        }
        Map<Path, byte[]> others = new HashMap<>();
        others.put(storeDir().resolve(DiskStore.hashOf("app/kept") + ".17.tmp"), pattern(100, 1));
        others.put(storeDir().resolve("whatever.tmp"), new byte[0]);
        others.put(storeDir().resolve(DiskStore.slotFileNameFor("app/kept", "b") + ".bak"), pattern(300, 2));
        for (Map.Entry<Path, byte[]> other : others.entrySet()) {
            Files.write(other.getKey(), other.getValue());
        }

        try (DiskStore reopened = DiskStore.open(storeDir(), SyncPolicy.NONE)) {
            assertSameSegment(kept, reopened.get("app/kept"), "the segment next to the other files");
            for (Map.Entry<Path, byte[]> other : others.entrySet()) {
                assertTrue(Files.exists(other.getKey()), other.getKey() + " is not this store's: neither deleted nor moved");
                assertTrue(Arrays.equals(other.getValue(), Files.readAllBytes(other.getKey())),
                        other.getKey() + " is not this store's: never written to");
            }
            assertTrue(quarantined(storeDir()).isEmpty(), "files that are not *.seg are not quarantined");
        }
    }

    @ParameterizedTest
    @EnumSource(SyncPolicy.class)
    void restartRecoversEverySegmentWithItsMetadataAndBytes(SyncPolicy policy) {
        Map<String, StoredSegment> written = new HashMap<>();
        try (DiskStore store = DiskStore.open(storeDir(), policy)) {
            for (int i = 0; i < 300; i++) {
                String key = "app/segment-" + i;
                StoredSegment s = segment(key, 1 + i % 7, pattern((i * 37) % 5_000, i));
                store.put(s);
                written.put(key, s);
            }
            // Overwrite some, remove some: only the final state may come back.
            for (int i = 0; i < 300; i += 10) {
                String key = "app/segment-" + i;
                StoredSegment s = segment(key, 100 + i, pattern(777, -i));
                store.put(s);
                written.put(key, s);
            }
            for (int i = 5; i < 300; i += 50) {
                store.remove("app/segment-" + i);
                written.remove("app/segment-" + i);
            }
        }
        try (DiskStore reopened = DiskStore.open(storeDir(), policy)) {
            assertEquals(written.keySet(), keys(reopened), "every stored key and no removed key should be recovered");
            for (StoredSegment expected : written.values()) {
                assertEquals(expected.metadata(), reopened.metadata(expected.key()).orElseThrow(),
                        "metadata of " + expected.key() + " should be recovered from its header");
                assertSameSegment(expected, reopened.get(expected.key()), "after restart");
            }
            assertTrue(quarantined(storeDir()).isEmpty(), "a clean restart should quarantine nothing");
        }
    }

    @Test
    void fileCopiedUnderAnotherKeysNameIsQuarantinedOnOpen() throws IOException {
        StoredSegment a = segment("app/a", 3, "state of a");
        StoredSegment b = segment("app/b", 9, "state of b");
        Path fileA;
        Path fileB;
        Path fileC;
        try (DiskStore store = DiskStore.open(storeDir(), SyncPolicy.NONE)) {
            store.put(a);
            store.put(b);
            fileA = fileOf(store, "app/a", 3);
            fileB = fileOf(store, "app/b", 9);
            fileC = slot("app/c", "a");
        }
        Files.copy(fileA, fileB, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(fileA, fileC);

        try (DiskStore reopened = DiskStore.open(storeDir(), SyncPolicy.NONE)) {
            assertTrue(reopened.get("app/b").isEmpty(), "a's bytes under b's file name must never be returned for b");
            assertTrue(reopened.get("app/c").isEmpty(), "a's bytes under c's file name must never be returned for c");
            assertSameSegment(a, reopened.get("app/a"), "the original of the copied file");
            assertEquals(Set.of("app/a"), keys(reopened), "only a should be indexed");
            assertFalse(Files.exists(fileB), "the foreign file under b's name should be quarantined");
            assertFalse(Files.exists(fileC), "the foreign file under c's name should be quarantined");
            assertEquals(2, quarantined(storeDir()).size(), "two foreign files should be in quarantine");
        }
    }

    @Test
    void fileReplacedByAnotherKeysFileWhileOpenIsRefusedOnRead() throws IOException {
        try (DiskStore store = DiskStore.open(storeDir(), SyncPolicy.NONE)) {
            StoredSegment a = segment("app/a", 1, "state of a");
            store.put(a);
            store.put(segment("app/b", 1, "state of b"));
            Files.copy(fileOf(store, "app/a", 1), fileOf(store, "app/b", 1), StandardCopyOption.REPLACE_EXISTING);

            assertThrows(CorruptSegmentException.class, () -> store.get("app/b"),
                    "a file that names another key must be refused");
            assertTrue(store.get("app/b").isEmpty(), "after quarantine b should read as empty");
            assertSameSegment(a, store.get("app/a"), "a itself");
        }
    }

    static Stream<String> craftedKeys() {
        return Stream.of("../../etc/passwd", "../escape", "..", ".", "", "/", "/etc/passwd", "a/../../b",
                "quarantine", "quarantine/x", "x.tmp", "x.seg", "C:\\Windows\\system32", "a\\..\\..\\b",
                "nul\u0000byte", "new\nline", "  spaces  ", "é/ü/ñ", "\u041f\u0440\u0438\u0432\u0435\u0442",
                "\uD83D\uDE00", "*?<>|:\"", "x".repeat(5_000));
    }

    @Test
    void fileNamesNeverEscapeTheDirectoryWhateverTheKey() throws IOException {
        List<String> keys = craftedKeys().toList();
        Path outside = tempDir.resolve("outside-marker");
        Files.writeString(outside, "untouched");
        try (DiskStore store = DiskStore.open(storeDir(), SyncPolicy.NONE)) {
            int i = 0;
            for (String key : keys) {
                StoredSegment s = segment(key, 1, pattern(50, i++));
                store.put(s);
                Path file = fileOf(store, key, 1);
                assertTrue(Files.isRegularFile(file), "the file of key '" + key + "' should exist as " + file);
                assertEquals(store.directory(), file.getParent(), "the file of key '" + key
                        + "' should be a direct child of the store directory");
                assertTrue(SEGMENT_FILE_NAME.matcher(file.getFileName().toString()).matches(),
                        "the file of key '" + key + "' should be named 64 hex digits + .a.seg or .b.seg, was " + file.getFileName());
                assertSameSegment(s, store.get(key), "crafted key '" + key + "'");
            }
            assertEquals(Set.copyOf(keys), keys(store), "every crafted key should be listed as written");
        }

        List<Path> everyFile;
        try (Stream<Path> walk = Files.walk(tempDir)) {
            everyFile = walk.filter(Files::isRegularFile).toList();
        }
        List<Path> unexpected = new ArrayList<>();
        for (Path file : everyFile) {
            boolean segmentFile = file.getParent().equals(storeDir())
                    && SEGMENT_FILE_NAME.matcher(file.getFileName().toString()).matches();
            if (!segmentFile && !file.equals(outside)) {
                unexpected.add(file);
            }
        }
        assertEquals(List.of(), unexpected, "no file may be created anywhere but directly in the store directory");
        assertEquals(keys.size(), filesEndingWith(storeDir(), ".seg").size(), "one file per crafted key");
        assertEquals("untouched", Files.readString(outside), "a file outside the store must not be touched");

        try (DiskStore reopened = DiskStore.open(storeDir(), SyncPolicy.NONE)) {
            assertEquals(Set.copyOf(keys), keys(reopened), "every crafted key should be recovered from its header");
        }
    }

    @Test
    void keyTooLongForTheHeaderIsRefusedWithoutLeavingAFile() {
        try (DiskStore store = DiskStore.open(storeDir(), SyncPolicy.NONE)) {
            assertThrows(IllegalArgumentException.class,
                    () -> store.put(segment("k".repeat(70_000), 1, "state")),
                    "a key longer than the header can hold should be refused");
            assertEquals(List.of(), filesEndingWith(storeDir(), ".tmp"), "a refused write must leave no temporary file");
            assertEquals(List.of(), filesEndingWith(storeDir(), ".seg"), "a refused write must leave no segment file");
            assertTrue(store.list().isEmpty(), "a refused write must not be indexed");
        }
    }

    @ParameterizedTest
    @EnumSource(SyncPolicy.class)
    void failedWriteThrowsLocalStoreExceptionAndKeepsThePreviousCopy(SyncPolicy policy) throws IOException {
        StoredSegment v1 = segment("app/s", 1, pattern(3_000, 1));
        Path moved = tempDir.resolve("moved-away");
        try (DiskStore store = DiskStore.open(storeDir(), policy)) {
            store.put(v1);
            // Take the directory away and put a regular file in its place: every file operation
            // in it now fails, whoever we run as (root ignores permission bits, not this).
            Files.move(storeDir(), moved);
            Files.writeString(storeDir(), "not a directory");

            LocalStoreException e = assertThrows(LocalStoreException.class,
                    () -> store.put(segment("app/s", 2, pattern(4_000, 2))),
                    "a write that cannot reach the disk should throw LocalStoreException");
            assertTrue(e.getMessage().contains("app/s"), "the message should name the segment: " + e.getMessage());
            assertEquals(v1.metadata(), store.metadata("app/s").orElseThrow(),
                    "after a failed write the index should still describe the previous version");

            Files.delete(storeDir());
            Files.move(moved, storeDir());
            assertSameSegment(v1, store.get("app/s"), "the previous copy after the failed write");
            assertEquals(List.of(), filesEndingWith(storeDir(), ".tmp"), "a failed write must leave no temporary file");
        }
        try (DiskStore reopened = DiskStore.open(storeDir(), policy)) {
            assertSameSegment(v1, reopened.get("app/s"), "the previous copy after a restart");
        }
    }

    @Test
    void failedWriteOntoADirectoryInTheWayLeavesNoTemporaryFile() throws IOException {
        try (DiskStore store = DiskStore.open(storeDir(), SyncPolicy.NONE)) {
            store.put(segment("app/other", 1, "other"));
            Path inTheWay = slot("app/blocked", "a"); // where the first write of a key goes
            Files.createDirectories(inTheWay.resolve("child"));

            assertThrows(LocalStoreException.class, () -> store.put(segment("app/blocked", 1, "state")),
                    "a write whose target name is taken by a directory should throw LocalStoreException");
            assertTrue(store.metadata("app/blocked").isEmpty(), "a failed write must not be indexed");
            assertEquals(List.of(), filesEndingWith(storeDir(), ".tmp"), "a failed write must leave no temporary file");
            assertTrue(store.get("app/other").isPresent(), "other segments are unaffected by the failed write");
        }
    }

    @Test
    void openingUnderARegularFileThrowsLocalStoreException() throws IOException {
        Path file = tempDir.resolve("plain-file");
        Files.writeString(file, "x");
        LocalStoreException e = assertThrows(LocalStoreException.class,
                () -> DiskStore.open(file.resolve("checkpoint"), SyncPolicy.FSYNC),
                "a directory that cannot be created should be reported as LocalStoreException");
        assertTrue(e.getMessage().contains("storageDirectory"), "the message should point at storageDirectory: " + e.getMessage());
        assertThrows(LocalStoreException.class, () -> DiskStore.open(file, SyncPolicy.NONE),
                "a regular file is not a store directory");
    }

    @Test
    void quarantineDirectoryIsNotMistakenForASegmentAtOpen() throws IOException {
        try (DiskStore store = DiskStore.open(storeDir(), SyncPolicy.NONE)) {
            store.put(segment("app/s", 1, pattern(100, 1)));
            Path file = fileOf(store, "app/s", 1);
            flipByte(file, Files.size(file) - 1);
            assertThrows(CorruptSegmentException.class, () -> store.get("app/s"), "corrupt data is refused");
            store.put(segment("app/t", 1, "t"));
        }
        try (DiskStore reopened = DiskStore.open(storeDir(), SyncPolicy.NONE)) {
            assertEquals(Set.of("app/t"), keys(reopened), "after a restart only the intact segment should be listed");
            assertEquals(1, quarantined(storeDir()).size(), "the quarantined file should stay in quarantine, untouched");
        }
    }

    @ParameterizedTest
    @EnumSource(SyncPolicy.class)
    void writesAlternateTheTwoSlotsNeverTouchTheCurrentOneAndNeverLeaveMoreThanTwoFiles(SyncPolicy policy) {
        try (DiskStore store = DiskStore.open(storeDir(), policy)) {
            for (long version = 1; version <= 6; version++) {
                Path before = store.currentFile("app/s").orElse(null);
                store.put(segment("app/s", version, pattern(2_000 + (int) version * 100, (int) version)));
                assertEquals(slot("app/s", version % 2 == 1 ? "a" : "b"), fileOf(store, "app/s", version),
                        "v" + version + " should go to the slot that did not hold v" + (version - 1));
                if (before != null) {
                    assertEquals(version - 1, versionIn(before), "the write of v" + version
                            + " must leave v" + (version - 1) + " untouched in the other slot");
                }
                assertEquals(version == 1 ? 1 : 2, filesEndingWith(storeDir(), ".seg").size(),
                        "after v" + version + " the segment should have " + (version == 1 ? "one slot" : "its two slots"));
            }
            assertEquals(List.of(), filesEndingWith(storeDir(), ".tmp"), "no temporary file should be left after writes");
            assertTrue(quarantined(storeDir()).isEmpty(), "writes quarantine nothing");
        }
    }

    /**
     * Reads racing writes that alternate the two slots (so each slot is overwritten every second
     * write, lengths changing) must hand out whole versions in order and never take a copy for
     * damaged. Guards any change that lets a read overlap a write (an unlocked read without a
     * retry fails it).
     */
    @Test
    void readsRacingWritesThatOverwriteTheirSlotSeeWholeVersionsAndQuarantineNothing() throws Exception {
        int versions = 3_000;
        try (DiskStore store = DiskStore.open(storeDir(), SyncPolicy.NONE)) {
            store.put(segment("app/raced", 1, pattern(47_000, 1)));
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicInteger reads = new AtomicInteger();
            Thread reader = new Thread(() -> {
                long seen = 0;
                try {
                    while (writing.get()) {
                        StoredSegment read = store.get("app/raced").orElseThrow();
                        long version = read.metadata().version();
                        assertTrue(read.isIntact(), "v" + version + " read whole");
                        assertTrue(Arrays.equals(pattern(40_000 + (int) (version % 3) * 7_000, (int) version),
                                read.data()), "v" + version + " has its own bytes");
                        assertTrue(version >= seen, "v" + version + " read after v" + seen);
                        seen = version;
                        reads.incrementAndGet();
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "racing-reader");
            reader.start();
            for (int version = 2; version <= versions && failure.get() == null; version++) {
                // Lengths change too: a reader must also survive a slot being cut shorter.
                store.put(segment("app/raced", version, pattern(40_000 + (version % 3) * 7_000, version)));
            }
            writing.set(false);
            reader.join();
            if (failure.get() != null) {
                throw new AssertionError("reader failed after " + reads.get() + " reads", failure.get());
            }
            assertTrue(reads.get() > 0, "the reader read while the writer wrote");
            assertTrue(quarantined(storeDir()).isEmpty(), "no copy was taken for damaged: " + quarantined(storeDir()));
            assertEquals(versions, store.get("app/raced").orElseThrow().metadata().version());
        }
    }

    @ParameterizedTest
    @EnumSource(SyncPolicy.class)
    void shorterVersionAfterALongerOneLeavesTheExactFileLength(SyncPolicy policy) throws IOException {
        StoredSegment v1 = segment("app/s", 1, pattern(50_000, 1));
        StoredSegment v2 = segment("app/s", 2, pattern(100, 2));
        StoredSegment v3 = segment("app/s", 3, pattern(10, 3));
        StoredSegment v4 = segment("app/s", 4, pattern(60_000, 4));
        try (DiskStore store = DiskStore.open(storeDir(), policy)) {
            store.put(v1);
            store.put(v2);
            long headerLength = Files.size(slot("app/s", "b")) - 100;
            store.put(v3); // over v1's 50,000 bytes in slot a
            assertEquals(headerLength + 10, Files.size(fileOf(store, "app/s", 3)),
                    "a 10-byte version written over a 50,000-byte one must be cut to its exact length");
            store.put(v4); // over v2's 100 bytes in slot b
            assertEquals(headerLength + 60_000, Files.size(fileOf(store, "app/s", 4)), "a longer version's exact length");
            assertSameSegment(v4, store.get("app/s"), "after the length changes");
        }
        try (DiskStore reopened = DiskStore.open(storeDir(), policy)) {
            assertSameSegment(v4, reopened.get("app/s"), "after reopening");
            assertTrue(quarantined(storeDir()).isEmpty(), "exact lengths: nothing looks torn at open");
            assertEquals(3, versionIn(slot("app/s", "a")), "the other slot keeps v3 whole");
        }
    }

    @Test
    void sameVersionWrittenAgainReplacesItsFile() {
        StoredSegment first = segment("app/s", 4, "first bytes of v4");
        StoredSegment again = segment("app/s", 4, "other bytes of v4, e.g. restored from a replica");
        try (DiskStore store = DiskStore.open(storeDir(), SyncPolicy.NONE)) {
            store.put(first);
            store.put(again);
            assertSameSegment(again, store.get("app/s"), "the second write of the same version");
            assertEquals(List.of(DiskStore.slotFileNameFor("app/s", "b")), filesEndingWith(storeDir(), ".seg"),
                    "one file for the version: the rewrite went to the other slot and deleted the previous copy");
            assertEquals(List.of(), filesEndingWith(storeDir(), ".tmp"), "the replacing write leaves no temporary file");
        }
        try (DiskStore reopened = DiskStore.open(storeDir(), SyncPolicy.NONE)) {
            assertSameSegment(again, reopened.get("app/s"), "after reopening");
        }
    }

    @Test
    void crashBetweenASameVersionRewriteAndItsDeleteKeepsTheCopyWrittenLast() throws IOException {
        StoredSegment first = segment("app/s", 4, "first bytes of v4");
        StoredSegment again = segment("app/s", 4, "other bytes of v4, e.g. restored from a replica");
        Path saved = tempDir.resolve("saved-first");
        try (DiskStore store = DiskStore.open(storeDir(), SyncPolicy.NONE)) {
            store.put(first);
            Files.copy(slot("app/s", "a"), saved);
            store.put(again);
        }
        Files.copy(saved, slot("app/s", "a"));
        Files.setLastModifiedTime(slot("app/s", "a"), java.nio.file.attribute.FileTime.fromMillis(1_000_000));
        Files.setLastModifiedTime(slot("app/s", "b"), java.nio.file.attribute.FileTime.fromMillis(2_000_000));
        try (DiskStore reopened = DiskStore.open(storeDir(), SyncPolicy.NONE)) {
            assertSameSegment(again, reopened.get("app/s"), "of two copies of one version, the one written last");
            assertEquals(List.of(DiskStore.slotFileNameFor("app/s", "b")), filesEndingWith(storeDir(), ".seg"),
                    "the other copy of the same version is deleted at open");
        }
    }

    /**
     * Writes v1, v2, v3 of {@code app/s} (slots a, b, a) and then leaves in slot a what a crash in
     * the middle of v3's in-place overwrite of v1 leaves: v3's first {@code written} bytes over
     * v1's file. v2, the version before the interrupted write, is whole in slot b.
     *
     * @return slot a
     */
    private Path crashDuringOverwrite(SyncPolicy policy, StoredSegment v1, StoredSegment v2, StoredSegment v3,
                                      int written) throws IOException {
        byte[] v1File;
        byte[] v3File;
        try (DiskStore store = DiskStore.open(storeDir(), policy)) {
            store.put(v1);
            v1File = Files.readAllBytes(fileOf(store, "app/s", 1));
            store.put(v2);
            store.put(v3);
            v3File = Files.readAllBytes(fileOf(store, "app/s", 3));
        }
        byte[] torn = new byte[Math.max(v1File.length, written)];
        System.arraycopy(v1File, 0, torn, 0, v1File.length);
        System.arraycopy(v3File, 0, torn, 0, written);
        Path slotA = slot("app/s", "a");
        Files.write(slotA, torn);
        return slotA;
    }

    /** Reopens after {@link #crashDuringOverwrite} and checks that v2 is kept and writes go on. */
    private void assertPreviousVersionKept(SyncPolicy policy, StoredSegment v2, String what) throws IOException {
        StoredSegment v4 = segment("app/s", 4, pattern(4_321, 4));
        try (DiskStore reopened = DiskStore.open(storeDir(), policy)) {
            assertSameSegment(v2, reopened.get("app/s"), what + ": the version before the interrupted write");
            assertEquals(List.of(v2.metadata()), List.copyOf(reopened.list()), what + ": only v2 is indexed");
            assertTrue(quarantined(storeDir()).isEmpty(), what + ": a write interrupted by a crash is not "
                    + "quarantined: quarantine/ must not grow with every crash");
            assertTrue(filesEndingWith(storeDir(), ".seg").size() <= 2, what + ": at most the two slots");
            reopened.put(v4);
            assertEquals(slot("app/s", "a"), fileOf(reopened, "app/s", 4), what + ": the next write overwrites the damaged slot");
            assertEquals(2, versionIn(slot("app/s", "b")), what + ": and leaves v2 whole in the current slot");
            assertSameSegment(v4, reopened.get("app/s"), what + ": the write after recovery");
        }
        try (DiskStore again = DiskStore.open(storeDir(), policy)) {
            assertSameSegment(v4, again.get("app/s"), what + ": after another restart");
        }
    }

    @ParameterizedTest
    @EnumSource(SyncPolicy.class)
    void tornInPlaceOverwriteOfTheSameLengthKeepsThePreviousVersion(SyncPolicy policy) throws IOException {
        // The data part half new, half old, and the file length already right: only the data CRC tells.
        StoredSegment v1 = segment("app/s", 1, pattern(6_000, 1));
        StoredSegment v2 = segment("app/s", 2, pattern(5_000, 2));
        StoredSegment v3 = segment("app/s", 3, pattern(6_000, 3));
        int headerLength = headerLength(v3);
        Path slotA = crashDuringOverwrite(policy, v1, v2, v3, headerLength + 3_000);
        assertEquals(headerLength + 6_000, Files.size(slotA), "the torn slot has exactly the length its (new) header promises");
        assertEquals(3, versionIn(slotA), "the torn slot's header is v3's, whole");
        assertPreviousVersionKept(policy, v2, "same-length torn overwrite");
    }

    @ParameterizedTest
    @EnumSource(SyncPolicy.class)
    void tornHeaderOfAnInPlaceOverwriteKeepsThePreviousVersion(SyncPolicy policy) throws IOException {
        StoredSegment v1 = segment("app/s", 1, pattern(6_000, 1));
        StoredSegment v2 = segment("app/s", 2, pattern(5_000, 2));
        StoredSegment v3 = segment("app/s", 3, pattern(6_000, 3));
        crashDuringOverwrite(policy, v1, v2, v3, 13); // in the middle of the version field
        assertPreviousVersionKept(policy, v2, "torn header");
    }

    @ParameterizedTest
    @EnumSource(SyncPolicy.class)
    void longerVersionCutShortByACrashKeepsThePreviousVersion(SyncPolicy policy) throws IOException {
        StoredSegment v1 = segment("app/s", 1, pattern(1_000, 1));
        StoredSegment v2 = segment("app/s", 2, pattern(5_000, 2));
        StoredSegment v3 = segment("app/s", 3, pattern(9_000, 3));
        crashDuringOverwrite(policy, v1, v2, v3, headerLength(v3) + 4_000);
        assertPreviousVersionKept(policy, v2, "longer version cut short");
    }

    @ParameterizedTest
    @EnumSource(SyncPolicy.class)
    void shorterVersionWrittenButNotYetCutKeepsThePreviousVersion(SyncPolicy policy) throws IOException {
        // Header and data of v3 complete, the crash came before the file was cut to v3's length.
        StoredSegment v1 = segment("app/s", 1, pattern(9_000, 1));
        StoredSegment v2 = segment("app/s", 2, pattern(5_000, 2));
        StoredSegment v3 = segment("app/s", 3, pattern(1_000, 3));
        int headerLength = headerLength(v3);
        Path slotA = crashDuringOverwrite(policy, v1, v2, v3, headerLength + 1_000);
        assertEquals(3, versionIn(slotA), "v3 is whole at the start of the slot");
        assertEquals(headerLength + 9_000, Files.size(slotA), "with v1's tail behind it");
        assertPreviousVersionKept(policy, v2, "shorter version not yet cut");
    }

    @ParameterizedTest
    @EnumSource(SyncPolicy.class)
    void bothSlotsIntactTheNewestIsKeptAndTheOlderStaysAsTheSlotTheNextWriteOverwrites(SyncPolicy policy)
            throws IOException {
        StoredSegment v1 = segment("app/s", 1, pattern(5_000, 1));
        StoredSegment v2 = segment("app/s", 2, pattern(6_000, 2));
        StoredSegment v3 = segment("app/s", 3, pattern(7_000, 3));
        try (DiskStore store = DiskStore.open(storeDir(), policy)) {
            store.put(v1);
            store.put(v2);
        }
        try (DiskStore reopened = DiskStore.open(storeDir(), policy)) {
            assertSameSegment(v2, reopened.get("app/s"), "the newer of two whole slots (b)");
            assertEquals(List.of(v2.metadata()), List.copyOf(reopened.list()), "list() should hold only the newest version");
            assertEquals(1, versionIn(slot("app/s", "a")), "the older slot is left in place, not deleted");
            assertTrue(quarantined(storeDir()).isEmpty(), "an older whole version is not quarantined");
            reopened.put(v3);
            assertEquals(slot("app/s", "a"), fileOf(reopened, "app/s", 3), "the next write goes to the older slot");
            assertEquals(2, versionIn(slot("app/s", "b")), "and leaves the current one alone");
        }
        try (DiskStore reopened = DiskStore.open(storeDir(), policy)) {
            assertSameSegment(v3, reopened.get("app/s"), "the newer of two whole slots (a)");
            StoredSegment v4 = segment("app/s", 4, "next");
            reopened.put(v4);
            assertEquals(slot("app/s", "b"), fileOf(reopened, "app/s", 4), "the next write goes to the older slot, b");
            assertEquals(3, versionIn(slot("app/s", "a")), "and leaves the current one alone");
        }
    }

    @ParameterizedTest
    @EnumSource(SyncPolicy.class)
    void bothSlotsDamagedNoIntactVersionBothAreQuarantined(SyncPolicy policy) throws IOException {
        try (DiskStore store = DiskStore.open(storeDir(), policy)) {
            store.put(segment("app/s", 1, pattern(5_000, 1)));
            store.put(segment("app/s", 2, pattern(5_000, 2)));
            store.put(segment("app/t", 1, "t"));
        }
        flipByte(slot("app/s", "a"), Files.size(slot("app/s", "a")) - 10);
        flipByte(slot("app/s", "b"), 3); // the magic
        try (DiskStore reopened = DiskStore.open(storeDir(), policy)) {
            assertTrue(reopened.get("app/s").isEmpty(), "no copy of s is intact: absent, never a damaged one");
            assertTrue(reopened.metadata("app/s").isEmpty(), "no copy of s is intact: not indexed");
            assertEquals(Set.of("app/t"), keys(reopened), "the intact neighbour is recovered");
            assertFalse(Files.exists(slot("app/s", "a")) || Files.exists(slot("app/s", "b")), "both slots are moved out");
            assertEquals(2, quarantined(storeDir()).size(), "damage nothing explains is kept in quarantine");
        }
    }

    @ParameterizedTest
    @EnumSource(SyncPolicy.class)
    void corruptCurrentSlotFoundOnReadIsQuarantinedAndTheOlderSlotNeverComesBack(SyncPolicy policy) throws IOException {
        try (DiskStore store = DiskStore.open(storeDir(), policy)) {
            store.put(segment("app/s", 1, pattern(3_000, 1)));
            store.put(segment("app/s", 2, pattern(3_000, 2)));
            Path current = fileOf(store, "app/s", 2);
            flipByte(current, Files.size(current) - 5);
            assertThrows(CorruptSegmentException.class, () -> store.get("app/s"), "a corrupt copy is refused");
            assertQuarantinedOnce(current);
            assertEquals(List.of(), filesEndingWith(storeDir(), ".seg"), "the older slot is deleted too");
            assertTrue(store.get("app/s").isEmpty(), "the key reads as absent");
        }
        try (DiskStore reopened = DiskStore.open(storeDir(), policy)) {
            assertTrue(reopened.get("app/s").isEmpty(), "after a restart the older version must not come back");
        }
    }

    private static int headerLength(StoredSegment segment) {
        return SegmentFileFormat.encodeHeader(segment.metadata()).remaining();
    }

    /** Writes a whole segment file, header and data, for {@code segment} under {@code name}. */
    private Path writeSegmentFile(StoredSegment segment, String name) throws IOException {
        Path file = storeDir().resolve(name);
        Files.createDirectories(storeDir());
        ByteBuffer header = SegmentFileFormat.encodeHeader(segment.metadata());
        byte[] bytes = new byte[header.remaining() + segment.data().length];
        int headerLength = header.remaining();
        header.get(bytes, 0, headerLength);
        System.arraycopy(segment.data(), 0, bytes, headerLength, segment.data().length);
        Files.write(file, bytes);
        return file;
    }

    @ParameterizedTest
    @EnumSource(SyncPolicy.class)
    void damagedSecondSlotNextToAnIntactFirstOneIsDeleted(SyncPolicy policy) throws IOException {
        // v2 is the write that creates slot b: a crash can leave it cut anywhere, even inside the
        // header, and a power loss without fsync the right length with data that never reached the disk.
        StoredSegment v1 = segment("app/s", 1, pattern(5_000, 1));
        StoredSegment v2 = segment("app/s", 2, pattern(6_000, 2));
        for (String damage : List.of("cut to 7 bytes", "cut by 100 bytes", "a data byte flipped")) {
            deleteTree(storeDir());
            try (DiskStore store = DiskStore.open(storeDir(), policy)) {
                store.put(v1);
                store.put(v2);
            }
            Path slotB = slot("app/s", "b");
            switch (damage) {
                case "cut to 7 bytes" -> truncate(slotB, 7);
                case "cut by 100 bytes" -> truncate(slotB, Files.size(slotB) - 100);
                default -> flipByte(slotB, Files.size(slotB) - 10);
            }
            try (DiskStore reopened = DiskStore.open(storeDir(), policy)) {
                assertSameSegment(v1, reopened.get("app/s"), "the intact older slot when slot b is " + damage);
                assertEquals(List.of(v1.metadata()), List.copyOf(reopened.list()), damage + ": only v1 is indexed");
                assertFalse(Files.exists(slotB), damage + ": the damaged slot should be gone from the store directory");
                assertTrue(quarantined(storeDir()).isEmpty(), damage + ": a write interrupted by a crash is deleted, "
                        + "not quarantined: quarantine/ must not grow with every crash");
            }
        }
    }

    @Test
    void segFilesNotNamedAsASlotAreNeverReadNorDeletedButMovedToQuarantine() throws IOException {
        StoredSegment s1 = segment("app/s", 1, pattern(2_000, 1));
        StoredSegment t1 = segment("app/t", 1, "t");
        try (DiskStore store = DiskStore.open(storeDir(), SyncPolicy.NONE)) {
            store.put(s1);
            store.put(t1);
        }
        String hashOfS = DiskStore.hashOf("app/s");
        Map<String, ByteBuffer> foreign = new HashMap<>(); // ByteBuffer: equal when the bytes are
        for (Path file : List.of(
                writeSegmentFile(segment("app/s", 5, pattern(2_000, 5)), hashOfS + ".seg"), // newer than s's slot
                writeSegmentFile(segment("app/s", 6, pattern(2_000, 6)), hashOfS + ".6.seg"),
                writeSegmentFile(segment("app/u", 2, "v2"), DiskStore.hashOf("app/u") + ".9.seg"),
                writeSegmentFile(segment("app/gone", 1, "gone"), DiskStore.hashOf("app/gone") + ".seg"))) {
            foreign.put(file.getFileName().toString(), ByteBuffer.wrap(Files.readAllBytes(file)));
        }
        Files.write(storeDir().resolve("notes.seg"), pattern(4_096, 3));
        foreign.put("notes.seg", ByteBuffer.wrap(pattern(4_096, 3)));

        try (DiskStore reopened = DiskStore.open(storeDir(), SyncPolicy.NONE)) {
            assertSameSegment(s1, reopened.get("app/s"), "s from its slot, whatever a file under another name holds");
            assertEquals(Set.of("app/s", "app/t"), keys(reopened), "only what the slots hold is indexed");
            assertTrue(reopened.get("app/gone").isEmpty(), "a segment only under another name is absent");
            assertFalse(reopened.hasLostCopy("app/gone"), "and not a lost copy: its file is not this store's");
            assertFalse(reopened.hasLostCopy("app/u"), "nor is a segment that never had a slot here");
            assertEquals(List.of(DiskStore.slotFileNameFor("app/s", "a"), DiskStore.slotFileNameFor("app/t", "a")).stream()
                    .sorted().toList(), filesEndingWith(storeDir(), ".seg"), "only the slots stay in the directory");
            assertEquals(foreign, quarantinedContents(), "every other *.seg file is in quarantine/, bytes unchanged");

            assertTrue(reopened.remove("app/s"), "s is removed");
            assertFalse(reopened.remove("app/gone"), "gone was never this store's segment");
            assertEquals(foreign, quarantinedContents(), "a remove never discards a file that was not this store's");
        }
        try (DiskStore again = DiskStore.open(storeDir(), SyncPolicy.NONE)) {
            assertEquals(Set.of("app/t"), keys(again), "after another restart");
            assertFalse(again.hasLostCopy("app/gone") || again.hasLostCopy("app/s") || again.hasLostCopy("app/u"),
                    "a file set aside in quarantine/ makes no segment a lost copy after a restart either");
            assertEquals(foreign, quarantinedContents(), "quarantine/ is left as it was");
        }
    }

    /** @return the original name (the part before the quarantine suffix) and bytes of each quarantined file */
    private Map<String, ByteBuffer> quarantinedContents() throws IOException {
        Map<String, ByteBuffer> contents = new HashMap<>();
        for (Path file : quarantined(storeDir())) {
            String name = file.getFileName().toString();
            contents.put(name.substring(0, name.indexOf(".seg.") + 4), ByteBuffer.wrap(Files.readAllBytes(file)));
        }
        return contents;
    }

    private static void deleteTree(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(directory)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static Set<String> keys(LocalStore store) {
        return store.list().stream().map(SegmentMetadata::key).collect(Collectors.toCollection(HashSet::new));
    }

    private void assertQuarantinedOnce(Path originalFile) {
        List<Path> inQuarantine = quarantined(storeDir());
        assertEquals(1, inQuarantine.size(), "exactly one file should be in quarantine, found " + inQuarantine);
        assertTrue(inQuarantine.get(0).getFileName().toString().startsWith(originalFile.getFileName().toString()),
                "the quarantined file should keep the original file name as its prefix, was " + inQuarantine.get(0));
    }
}
