package io.checkpointservice.ra.global;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.ra.cluster.SegmentRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared-directory global store: the backends' contract, plus what only a directory has (files). */
class DirectoryGlobalStoreTest extends GlobalStoreContract {

    @TempDir
    Path parent;

    private Path root() {
        return parent.resolve("global");
    }

    private Path away() {
        return parent.resolve("global-away");
    }

    private DirectoryGlobalStore open() {
        return DirectoryGlobalStore.open(root());
    }

    @Override
    GlobalStore store(int retainVersions) {
        return DirectoryGlobalStore.open(root(), retainVersions);
    }

    @Override
    int copiesHeld(String key) throws IOException {
        try (Stream<Path> files = Files.list(open().segmentDirectory(key))) {
            return (int) files.filter(f -> f.getFileName().toString().endsWith(CopyName.SUFFIX)).count();
        }
    }

    @Override
    void damage(String key, SegmentRecord record, Damage damage) throws IOException {
        Path file = open().copyFile(key, record);
        byte[] raw = Files.readAllBytes(file);
        switch (damage) {
            case DATA_BIT -> raw[raw.length - 5] ^= 0x10;
            case HEADER_BIT -> raw[12] ^= 0x01; // a bit of the key
            case TORN -> raw = Arrays.copyOf(raw, raw.length / 2);
        }
        Files.write(file, raw);
    }

    /** A file where the directory was (an unmounted share): refused even to root, unlike a mode of 0555. */
    @Override
    void takeDown() throws IOException {
        Files.move(root(), away());
        Files.writeString(root(), "the shared directory is not mounted");
    }

    @Override
    void bringBack() throws IOException {
        Files.delete(root());
        Files.move(away(), root());
    }

    @Test
    void aStoreHoldsOneFilePerSegmentNamedForItsVersion() throws IOException {
        DirectoryGlobalStore store = open();
        byte[] old = bytes("old");
        byte[] next = bytes("newer state");
        SegmentRecord v2 = record(1, 2, next);
        store.put(KEY, record(1, 1, old), old);
        store.put(KEY, v2, next);
        try (Stream<Path> files = Files.list(store.segmentDirectory(KEY))) {
            assertEquals(List.of(store.copyFile(KEY, v2)), files.toList());
        }
    }

    @Test
    void temporaryFilesAreIgnored() throws IOException {
        DirectoryGlobalStore store = open();
        byte[] a = bytes("a");
        store.put("ns/a", record(1, 5, a), a);
        Files.write(store.segmentDirectory("ns/a").resolve(".tmp-left-by-a-crash"), bytes("half a copy"));

        Map<String, SegmentRecord> listed = new HashMap<>();
        store.forEachNewestRecord(listed::put);
        assertEquals(Map.of("ns/a", record(1, 5, a)), listed);
        assertArrayEquals(a, store.newest("ns/a").orElseThrow().data());
    }

    @Test
    void anUnwritableSegmentDirectoryFailsThePutAndKeepsWhatItHeld() throws IOException {
        DirectoryGlobalStore store = open();
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
        Path file = Files.write(parent.resolve("a-file"), bytes("x"));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> DirectoryGlobalStore.open(file.resolve("store")));
        assertTrue(refused.getMessage().contains("globalStore directory") && refused.getMessage().contains("point globalStore"),
                refused.getMessage());
    }
}
