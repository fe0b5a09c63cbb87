package io.checkpointservice.ra.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.api.Checkpoint;
import io.checkpointservice.api.CheckpointException;
import io.checkpointservice.api.SegmentUnavailableException;
import io.checkpointservice.ra.config.StorageMode;
import io.checkpointservice.ra.store.DiskStore;
import io.checkpointservice.ra.store.LocalStore;
import io.checkpointservice.ra.store.LocalStoreException;
import io.checkpointservice.ra.store.SyncPolicy;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The service contract over the disk store, once per sync policy, plus what only disk can do. */
class DiskCheckpointServiceTest {

    private static final Logger DISK_STORE_LOG = Logger.getLogger(DiskStore.class.getName());

    static {
        DISK_STORE_LOG.setLevel(Level.SEVERE); // quarantine warnings are expected here
    }

    @Nested
    class WithFsync extends DiskContract {
        @Override
        SyncPolicy syncPolicy() {
            return SyncPolicy.FSYNC;
        }
    }

    @Nested
    class WithoutSync extends DiskContract {
        @Override
        SyncPolicy syncPolicy() {
            return SyncPolicy.NONE;
        }
    }

    abstract static class DiskContract extends CheckpointServiceContractTest {

        @Override
        abstract SyncPolicy syncPolicy();

        @Override
        StorageMode storageMode() {
            return StorageMode.DISK;
        }

        @Override
        LocalStore openStore(Path directory) {
            return DiskStore.open(directory, syncPolicy());
        }

        @Test
        void restartKeepsEverySegmentAndVersionsContinueWhereTheyStopped() {
            for (int i = 0; i < 50; i++) {
                for (int v = 0; v <= i % 4; v++) {
                    service.write(NS, "restart/s-" + i, payload(i, v));
                }
            }
            service.close();
            service = newService(2);

            for (int i = 0; i < 50; i++) {
                Checkpoint loaded = service.load(NS, "restart/s-" + i).orElseThrow();
                assertEquals(i % 4 + 1, loaded.version(), "s-" + i + " should come back at its last version");
                assertArrayEquals(payload(i, i % 4), loaded.state(), "s-" + i + " should come back with its last bytes");
                assertEquals(NODE, loaded.originNode(), "s-" + i + " should keep its origin node");
            }
            assertEquals(2, service.write(NS, "restart/s-0", bytes("after restart")),
                    "the first write after a restart continues the version sequence (s-0 was at v1)");
        }

        @Test
        void aCorruptOnlyCopyIsNeverReturnedAndTheSegmentStaysUnavailableUntilWrittenAgain() throws IOException {
            service.write(NS, "corrupt", payload(1, 1));
            Path file = onlySegmentFile();
            flipLastByte(file);

            SegmentUnavailableException first = assertThrows(SegmentUnavailableException.class,
                    () -> service.load(NS, "corrupt"),
                    "a corrupt only copy must make load fail retryably, not return the bytes (G7, G8)");
            SegmentUnavailableException again = assertThrows(SegmentUnavailableException.class,
                    () -> service.load(NS, "corrupt"),
                    "the segment exists and its only copy is damaged: unavailable again, never absent (G8)");
            for (SegmentUnavailableException e : List.of(first, again)) {
                assertTrue(e.getMessage().contains("damaged and quarantined"),
                        () -> "the reason names the damaged local copy, not only the missing replicas: " + e.getMessage());
            }
            service.close();
            service = newService(2);
            assertThrows(SegmentUnavailableException.class, () -> service.load(NS, "corrupt"),
                    "after a restart with no record in the cluster, still unavailable (the file is in quarantine/)");

            assertEquals(1, service.write(NS, "corrupt", bytes("fresh")), "a new write after the quarantine starts over");
            assertArrayEquals(bytes("fresh"), service.load(NS, "corrupt").orElseThrow().state(), "the new write loads back");
            service.close();
            service = newService(2);
            assertArrayEquals(bytes("fresh"), service.load(NS, "corrupt").orElseThrow().state(),
                    "once written again, the quarantined copy no longer matters");
        }

        @Test
        void aCopyDamagedWhileTheNodeWasDownIsUnavailableNotAbsentAfterTheRestart() throws IOException {
            service.write(NS, "torn", payload(2, 1));
            service.close();
            flipByte(onlySegmentFile(), 0); // the header: open quarantines the file without reading its data

            service = newService(2);
            assertThrows(SegmentUnavailableException.class, () -> service.load(NS, "torn"),
                    "the segment existed; its only copy is damaged (G8)");
            assertEquals(Optional.empty(), service.load(NS, "never-written"), "a segment never written is absent");
        }

        @Test
        void deletingASegmentWhoseOnlyCopyIsDamagedMakesItAbsentForGood() throws IOException {
            service.write(NS, "doomed", payload(3, 1));
            flipLastByte(onlySegmentFile());
            assertThrows(SegmentUnavailableException.class, () -> service.load(NS, "doomed"));

            assertTrue(service.delete(NS, "doomed"), "there was a segment to delete, if only a damaged copy");
            assertEquals(Optional.empty(), service.load(NS, "doomed"), "deleted: absent");
            service.close();
            service = newService(2);
            assertEquals(Optional.empty(), service.load(NS, "doomed"), "and absent after a restart: the damaged copy is discarded");
        }

        @Test
        void failedDiskWriteThrowsAndThePreviousVersionSurvives() throws IOException {
            service.write(NS, "s", bytes("v1"));
            Path moved = tempDir.resolve("moved-away");
            Files.move(storeDirectory(), moved);
            Files.writeString(storeDirectory(), "a regular file where the directory was");
            try {
                CheckpointException e = assertThrows(CheckpointException.class, () -> service.write(NS, "s", bytes("v2")),
                        "a write the disk refuses should throw a CheckpointException");
                assertTrue(e instanceof LocalStoreException, "the failure should be a LocalStoreException, was " + e);
            } finally {
                Files.delete(storeDirectory());
                Files.move(moved, storeDirectory());
            }
            Checkpoint loaded = service.load(NS, "s").orElseThrow();
            assertEquals(1, loaded.version(), "the previous version is still the newest");
            assertArrayEquals(bytes("v1"), loaded.state(), "the previous bytes are intact");
            assertEquals(2, service.write(NS, "s", bytes("v2")), "the failed write did not use up a version");
        }

        private Path onlySegmentFile() throws IOException {
            try (Stream<Path> files = Files.list(storeDirectory())) {
                List<Path> segments = files.filter(p -> p.toString().endsWith(".seg")).toList();
                assertEquals(1, segments.size(), "exactly one segment file expected, found " + segments);
                assertFalse(Files.isDirectory(segments.get(0)), "a segment file is a regular file");
                return segments.get(0);
            }
        }

        private static void flipByte(Path file, long position) throws IOException {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                ByteBuffer one = ByteBuffer.allocate(1);
                channel.read(one, position);
                channel.write(ByteBuffer.wrap(new byte[] {(byte) ~one.get(0)}), position);
            }
        }

        private static void flipLastByte(Path file) throws IOException {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                long last = channel.size() - 1;
                ByteBuffer one = ByteBuffer.allocate(1);
                channel.read(one, last);
                channel.write(ByteBuffer.wrap(new byte[] {(byte) ~one.get(0)}), last);
            }
        }
    }
}
