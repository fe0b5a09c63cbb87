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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    private static final Pattern SEGMENT_FILE_NAME = Pattern.compile("[0-9a-f]{64}\\.[0-9]+\\.seg");

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

    /** The file that holds {@code version} of {@code key}. */
    private static Path fileOf(DiskStore store, String key, long version) {
        return store.directory().resolve(DiskStore.fileNameFor(key, version));
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
    void overwriteKeepsOnlyTheNewestVersion(SyncPolicy policy) {
        StoredSegment v1 = segment("app/s", 1, pattern(50_000, 1));
        StoredSegment v2 = segment("app/s", 2, pattern(10, 2));
        StoredSegment v3 = segment("app/s", 3, pattern(3_000, 3));
        try (DiskStore store = DiskStore.open(storeDir(), policy)) {
            store.put(v1);
            store.put(v2);
            store.put(v3);

            assertSameSegment(v3, store.get("app/s"), "after three writes");
            assertEquals(List.of(v3.metadata()), List.copyOf(store.list()), "list() should hold only the newest version");
            assertEquals(List.of(DiskStore.fileNameFor("app/s", 3)), filesEndingWith(storeDir(), ".seg"),
                    "exactly one segment file should be on disk for the key");
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
            store.put(segment("app/b", 1, "b"));

            assertTrue(store.remove("app/a"), "remove of a stored key should answer true");
            assertFalse(store.remove("app/a"), "a second remove of the same key should answer false");
            assertFalse(store.remove("app/never"), "remove of a key never written should answer false");
            assertTrue(store.get("app/a").isEmpty(), "a removed key should read as empty");
            assertFalse(Files.exists(fileOf(store, "app/a", 1)), "the removed key's file should be deleted");
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
        Path empty = storeDir().resolve(DiskStore.fileNameFor("app/empty-file", 1));
        Path garbage = storeDir().resolve(DiskStore.legacyFileName(DiskStore.hashOf("app/garbage")));
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
    void leftoverTemporaryFilesAreRemovedOnOpen() throws IOException {
        StoredSegment kept = segment("app/kept", 2, "kept");
        try (DiskStore store = DiskStore.open(storeDir(), SyncPolicy.NONE)) {
            store.put(kept);
        }
        Path unfinished = storeDir().resolve(DiskStore.hashOf("app/kept") + ".17.tmp");
        Path stray = storeDir().resolve("whatever.tmp");
        Files.write(unfinished, pattern(100, 1));
        Files.write(stray, new byte[0]);

        try (DiskStore reopened = DiskStore.open(storeDir(), SyncPolicy.NONE)) {
            assertFalse(Files.exists(unfinished), "an unfinished write's temporary file should be deleted at open");
            assertFalse(Files.exists(stray), "every *.tmp file should be deleted at open");
            assertSameSegment(kept, reopened.get("app/kept"), "the segment next to the temporary files");
            assertTrue(quarantined(storeDir()).isEmpty(), "temporary files are deleted, not quarantined");
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
            fileC = fileOf(store, "app/c", 3);
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
                        "the file of key '" + key + "' should be named 64 hex digits + .version.seg, was " + file.getFileName());
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
    void failedRenameOntoADirectoryInTheWayLeavesNoTemporaryFile() throws IOException {
        try (DiskStore store = DiskStore.open(storeDir(), SyncPolicy.NONE)) {
            store.put(segment("app/other", 1, "other"));
            Path inTheWay = fileOf(store, "app/blocked", 1);
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
    void everyWriteGoesToANewVersionNamedFileAndTheOldOneIsGone(SyncPolicy policy) {
        try (DiskStore store = DiskStore.open(storeDir(), policy)) {
            for (long version = 1; version <= 5; version++) {
                store.put(segment("app/s", version, pattern(2_000, (int) version)));
                assertEquals(List.of(DiskStore.fileNameFor("app/s", version)), filesEndingWith(storeDir(), ".seg"),
                        "after writing v" + version + " only its own file should be on disk");
            }
            assertEquals(List.of(), filesEndingWith(storeDir(), ".tmp"), "no temporary file should be left after writes");
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
            assertEquals(List.of(DiskStore.fileNameFor("app/s", 4)), filesEndingWith(storeDir(), ".seg"),
                    "one file for the version");
            assertEquals(List.of(), filesEndingWith(storeDir(), ".tmp"), "the replacing write leaves no temporary file");
        }
        try (DiskStore reopened = DiskStore.open(storeDir(), SyncPolicy.NONE)) {
            assertSameSegment(again, reopened.get("app/s"), "after reopening");
        }
    }

    /** Leaves v1's file next to v2's, as a crash after v2's file is written and before v1's unlink does. */
    private Path crashBeforeUnlink(SyncPolicy policy, StoredSegment v1, StoredSegment v2) throws IOException {
        Path saved = tempDir.resolve("saved-v1");
        Path v1File;
        try (DiskStore store = DiskStore.open(storeDir(), policy)) {
            store.put(v1);
            v1File = fileOf(store, v1.key(), v1.metadata().version());
            Files.copy(v1File, saved);
            store.put(v2);
        }
        assertFalse(Files.exists(v1File), "a completed write should have unlinked the previous version's file");
        Files.copy(saved, v1File);
        return v1File;
    }

    @ParameterizedTest
    @EnumSource(SyncPolicy.class)
    void twoWholeVersionsLeftByACrashKeepTheNewestAndDeleteTheOlder(SyncPolicy policy) throws IOException {
        StoredSegment v1 = segment("app/s", 1, pattern(5_000, 1));
        StoredSegment v2 = segment("app/s", 2, pattern(6_000, 2));
        Path v1File = crashBeforeUnlink(policy, v1, v2);

        try (DiskStore reopened = DiskStore.open(storeDir(), policy)) {
            assertSameSegment(v2, reopened.get("app/s"), "the newer of two whole versions");
            assertEquals(List.of(v2.metadata()), List.copyOf(reopened.list()), "list() should hold only the newest version");
            assertFalse(Files.exists(v1File), "the older version's file should be deleted at open");
            assertTrue(quarantined(storeDir()).isEmpty(), "an older whole version is deleted, not quarantined");
            StoredSegment v3 = segment("app/s", 3, "next");
            reopened.put(v3);
            assertEquals(List.of(DiskStore.fileNameFor("app/s", 3)), filesEndingWith(storeDir(), ".seg"),
                    "the next write should leave only its own file");
        }
    }

    @ParameterizedTest
    @EnumSource(SyncPolicy.class)
    void tornNewestVersionNextToAnIntactOlderOneGivesTheOlderOne(SyncPolicy policy) throws IOException {
        // A crash in the middle of writing v2's file: v1 is still there, v2 is short.
        StoredSegment v1 = segment("app/s", 1, pattern(5_000, 1));
        StoredSegment v2 = segment("app/s", 2, pattern(6_000, 2));
        crashBeforeUnlink(policy, v1, v2);
        Path v2File = storeDir().resolve(DiskStore.fileNameFor("app/s", 2));
        truncate(v2File, Files.size(v2File) - 100);

        try (DiskStore reopened = DiskStore.open(storeDir(), policy)) {
            assertSameSegment(v1, reopened.get("app/s"), "the intact older version when the newest is torn");
            assertEquals(List.of(v1.metadata()), List.copyOf(reopened.list()), "only the intact version is indexed");
            assertFalse(Files.exists(v2File), "the torn newest file should be gone from the store directory");
            assertTrue(quarantined(storeDir()).isEmpty(), "a write interrupted by a crash is deleted, not "
                    + "quarantined: quarantine/ must not grow with every crash");
        }
    }

    @ParameterizedTest
    @EnumSource(SyncPolicy.class)
    void newestVersionCutInsideItsHeaderNextToAnIntactOlderOneIsDeleted(SyncPolicy policy) throws IOException {
        // A crash right after v2's file was created: not even its header is whole.
        StoredSegment v1 = segment("app/s", 1, pattern(5_000, 1));
        StoredSegment v2 = segment("app/s", 2, pattern(6_000, 2));
        crashBeforeUnlink(policy, v1, v2);
        Path v2File = storeDir().resolve(DiskStore.fileNameFor("app/s", 2));
        truncate(v2File, 7);

        try (DiskStore reopened = DiskStore.open(storeDir(), policy)) {
            assertSameSegment(v1, reopened.get("app/s"), "the intact older version when the newest has no whole header");
            assertFalse(Files.exists(v2File), "the header-torn newest file should be gone from the store directory");
            assertTrue(quarantined(storeDir()).isEmpty(), "an interrupted write is deleted, not quarantined");
        }
    }

    @ParameterizedTest
    @EnumSource(SyncPolicy.class)
    void newestVersionWithWholeLengthButBadDataNextToAnIntactOlderOneGivesTheOlderOne(SyncPolicy policy)
            throws IOException {
        // A power loss without fsync can leave the right length with data that never reached the disk.
        StoredSegment v1 = segment("app/s", 1, pattern(5_000, 1));
        StoredSegment v2 = segment("app/s", 2, pattern(6_000, 2));
        crashBeforeUnlink(policy, v1, v2);
        Path v2File = storeDir().resolve(DiskStore.fileNameFor("app/s", 2));
        flipByte(v2File, Files.size(v2File) - 10);

        try (DiskStore reopened = DiskStore.open(storeDir(), policy)) {
            assertSameSegment(v1, reopened.get("app/s"), "the intact older version when the newest fails its checksum");
            assertFalse(Files.exists(v2File), "the corrupt newest file should be moved out of the store directory");
            assertQuarantinedOnce(v2File);
        }
    }

    @Test
    void leftoverTemporaryFileOfAnUnfinishedWriteKeepsThePreviousVersion() throws IOException {
        StoredSegment v1 = segment("app/s", 1, pattern(3_000, 1));
        try (DiskStore store = DiskStore.open(storeDir(), SyncPolicy.NONE)) {
            store.put(v1);
        }
        // A crash before the rename: a temporary file, possibly half written, next to v1.
        Path unfinished = storeDir().resolve(DiskStore.hashOf("app/s") + ".1.tmp");
        Files.write(unfinished, pattern(1_234, 2));

        try (DiskStore reopened = DiskStore.open(storeDir(), SyncPolicy.NONE)) {
            assertSameSegment(v1, reopened.get("app/s"), "the previous version after an unfinished write");
            assertFalse(Files.exists(unfinished), "the temporary file should be deleted at open");
            StoredSegment v2 = segment("app/s", 2, "next");
            reopened.put(v2);
            assertSameSegment(v2, reopened.get("app/s"), "a write after recovery");
        }
    }

    @Test
    void fileOfAnEarlierReleaseWithoutVersionInItsNameIsReadAndReplacedByTheNextWrite() throws IOException {
        StoredSegment v3 = segment("app/old", 3, pattern(2_000, 3));
        Path legacy = storeDir().resolve(DiskStore.legacyFileName(DiskStore.hashOf("app/old")));
        try (DiskStore store = DiskStore.open(storeDir(), SyncPolicy.NONE)) {
            store.put(v3);
            Files.move(fileOf(store, "app/old", 3), legacy);
        }
        try (DiskStore reopened = DiskStore.open(storeDir(), SyncPolicy.NONE)) {
            assertSameSegment(v3, reopened.get("app/old"), "a file named as earlier releases named it");
            StoredSegment v4 = segment("app/old", 4, "new");
            reopened.put(v4);
            assertFalse(Files.exists(legacy), "the next write should remove the old-style file");
            assertEquals(List.of(DiskStore.fileNameFor("app/old", 4)), filesEndingWith(storeDir(), ".seg"),
                    "only the new file should be left");
        }
    }

    @Test
    void fileWhoseNameAndHeaderDisagreeOnTheVersionIsQuarantined() throws IOException {
        Path renamed;
        try (DiskStore store = DiskStore.open(storeDir(), SyncPolicy.NONE)) {
            store.put(segment("app/s", 2, "v2"));
            renamed = storeDir().resolve(DiskStore.fileNameFor("app/s", 9));
            Files.move(fileOf(store, "app/s", 2), renamed);
        }
        try (DiskStore reopened = DiskStore.open(storeDir(), SyncPolicy.NONE)) {
            assertTrue(reopened.get("app/s").isEmpty(), "a file named v9 that holds v2 must not be trusted");
            assertQuarantinedOnce(renamed);
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
