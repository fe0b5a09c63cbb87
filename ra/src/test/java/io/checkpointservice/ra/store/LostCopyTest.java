package io.checkpointservice.ra.store;

import static io.checkpointservice.ra.store.Segments.flipByte;
import static io.checkpointservice.ra.store.Segments.pattern;
import static io.checkpointservice.ra.store.Segments.quarantined;
import static io.checkpointservice.ra.store.Segments.segment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link LocalStore#hasLostCopy}: a damaged only copy is remembered, so a load can say "unavailable" (G8). */
class LostCopyTest {

    static {
        Logger.getLogger(DiskStore.class.getName()).setLevel(Level.SEVERE); // quarantine warnings are expected
    }

    @TempDir
    Path dir;

    private Path onlyFile() throws IOException {
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".seg")).findFirst().orElseThrow();
        }
    }

    @Test
    void anOnlyCopyWhoseHeaderIsDamagedAtOpenIsLostAcrossRestartsUntilWrittenAgain() throws IOException {
        try (DiskStore store = DiskStore.open(dir, SyncPolicy.NONE)) {
            store.put(segment("app/s", 1, pattern(500, 1)));
            assertFalse(store.hasLostCopy("app/s"), "an intact copy is not lost");
        }
        flipByte(onlyFile(), 0);

        try (DiskStore store = DiskStore.open(dir, SyncPolicy.NONE)) {
            assertTrue(store.get("app/s").isEmpty());
            assertTrue(store.hasLostCopy("app/s"), "quarantined at open with no intact version: lost");
            assertFalse(store.hasLostCopy("app/other"), "another key is not");
        }
        try (DiskStore store = DiskStore.open(dir, SyncPolicy.NONE)) {
            assertTrue(store.hasLostCopy("app/s"), "still lost after another restart: the file is in quarantine/");
            store.put(segment("app/s", 2, pattern(500, 2)));
            assertFalse(store.hasLostCopy("app/s"), "a new version replaces the lost one");
        }
        try (DiskStore store = DiskStore.open(dir, SyncPolicy.NONE)) {
            assertFalse(store.hasLostCopy("app/s"), "and stays replaced after a restart");
            assertEquals(1, quarantined(dir).size(), "the damaged file stays in quarantine/ for a human");
        }
    }

    @Test
    void aCopyFoundDamagedOnReadIsLostUntilRemovedAndRemovingDiscardsIt() throws IOException {
        try (DiskStore store = DiskStore.open(dir, SyncPolicy.NONE)) {
            store.put(segment("app/s", 1, pattern(500, 3)));
            Path file = onlyFile();
            flipByte(file, Files.size(file) - 1);
            assertThrows(CorruptSegmentException.class, () -> store.get("app/s"));
            assertTrue(store.hasLostCopy("app/s"));

            assertTrue(store.remove("app/s"), "removing a lost copy removes something");
            assertFalse(store.hasLostCopy("app/s"));
            assertTrue(quarantined(dir).isEmpty(), "the application deleted the segment: its damaged copy goes too");
        }
        try (DiskStore store = DiskStore.open(dir, SyncPolicy.NONE)) {
            assertFalse(store.hasLostCopy("app/s"), "not lost after a restart either");
        }
    }

    @Test
    void aDamagedMemoryCopyIsLostUntilWrittenOrRemoved() {
        MemoryStore store = new MemoryStore();
        byte[] data = pattern(100, 4);
        store.put(segment("app/s", 1, data));
        data[7] ^= 1; // bad memory, or a bug: the array put() kept
        assertThrows(CorruptSegmentException.class, () -> store.get("app/s"));
        assertTrue(store.hasLostCopy("app/s"));

        store.write(new SegmentWrite("app/s", 2, 1, Segments.WRITTEN_AT, "node-a", pattern(100, 5)));
        assertFalse(store.hasLostCopy("app/s"));
        store.put(segment("app/t", 1, data.clone()));
        store.get("app/t").orElseThrow();
        store.remove("app/t");
        assertFalse(store.hasLostCopy("app/t"));
    }
}
