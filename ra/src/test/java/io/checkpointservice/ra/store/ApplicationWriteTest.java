package io.checkpointservice.ra.store;

import static io.checkpointservice.ra.store.Segments.WRITTEN_AT;
import static io.checkpointservice.ra.store.Segments.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link LocalStore#write}: the application's array is borrowed for the call only, whichever
 * store computes the checksum and whenever it does.
 */
class ApplicationWriteTest {

    @TempDir
    static Path directory;

    static Stream<LocalStore> stores() {
        return Stream.of(new MemoryStore(), DiskStore.open(directory.resolve("none"), SyncPolicy.NONE),
                DiskStore.open(directory.resolve("fsync"), SyncPolicy.FSYNC));
    }

    private static SegmentWrite write(String key, long version, byte[] callersArray) {
        return new SegmentWrite(key, version, 1, WRITTEN_AT, "node-a", callersArray);
    }

    @ParameterizedTest
    @MethodSource("stores")
    void theCallersArrayCanBeReusedOnceWriteReturns(LocalStore store) {
        byte[] callers = pattern(70_000, 3);
        byte[] original = callers.clone();
        store.write(write("app/reuse", 1, callers));
        callers[0] ^= 1;
        callers[69_999] ^= 1;

        StoredSegment stored = store.get("app/reuse").orElseThrow();
        assertArrayEquals(original, stored.data(), store.describe() + " must keep what was written, not the array");
        assertEquals(Checksums.crc32c(original), stored.metadata().checksum(), "the checksum is of the written bytes");
        assertEquals(stored.metadata(), store.metadata("app/reuse").orElseThrow(), "metadata() agrees with get()");
        assertTrue(stored.isIntact());
    }

    @ParameterizedTest
    @MethodSource("stores")
    void writeNeverChangesTheCallersArray(LocalStore store) {
        byte[] callers = pattern(5_000, 4);
        byte[] original = callers.clone();
        store.write(write("app/untouched", 1, callers));
        store.get("app/untouched").orElseThrow();
        assertArrayEquals(original, callers);
    }

    @ParameterizedTest
    @MethodSource("stores")
    void aVersionIsCheckedBeforeAnythingIsStored(LocalStore store) {
        store.write(write("app/kept", 1, pattern(10, 5)));
        assertThrows(IllegalArgumentException.class, () -> write("app/kept", 0, pattern(10, 6)));
        assertThrows(NullPointerException.class, () -> write("app/kept", 2, null));
        assertEquals(1, store.metadata("app/kept").orElseThrow().version(), "nothing stored is harmed");
    }

    @ParameterizedTest
    @MethodSource("stores")
    void anApplicationChangingItsArrayDuringWriteNeverLeavesACopyThatFailsItsChecksum(LocalStore store)
            throws Exception {
        byte[] callers = pattern(256 * 1024, 11);
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        Thread scribbler = new Thread(() -> { // against the API's contract, as a buggy application would
            for (int i = 0; !done.get(); i = (i + 4099) % callers.length) {
                callers[i]++;
            }
        });
        scribbler.start();
        try {
            for (int version = 1; version <= 200; version++) {
                store.write(write("app/scribbled", version, callers));
                StoredSegment stored = store.get("app/scribbled").orElseThrow(); // throws if it fails its checksum
                assertEquals(version, stored.metadata().version());
            }
        } finally {
            done.set(true);
            scribbler.join();
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void readersRacingForTheFirstChecksumAllSeeTheSameIntactCopy(LocalStore store) throws Exception {
        byte[] data = pattern(300_000, 9);
        ExecutorService readers = Executors.newFixedThreadPool(4);
        try {
            for (int version = 1; version <= 20; version++) {
                store.write(write("app/raced", version, data));
                List<Callable<StoredSegment>> reads = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    reads.add(() -> store.get("app/raced").orElseThrow());
                }
                for (Future<StoredSegment> read : readers.invokeAll(reads)) {
                    StoredSegment segment = read.get();
                    assertEquals(version, segment.metadata().version());
                    assertEquals(Checksums.crc32c(data), segment.metadata().checksum());
                    assertArrayEquals(data, segment.data());
                }
            }
        } finally {
            readers.shutdownNow();
        }
    }
}
