package io.checkpointservice.ra.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Small helpers for store tests: building segments and poking at segment files. */
final class Segments {

    static final Instant WRITTEN_AT = Instant.parse("2024-05-01T12:00:00.123Z");

    private Segments() {
    }

    static StoredSegment segment(String key, long version, byte[] data) {
        return new StoredSegment(new SegmentMetadata(key, version, 0, WRITTEN_AT.plusMillis(version),
                "node-a", data.length, Checksums.crc32c(data)), data);
    }

    static StoredSegment segment(String key, long version, String text) {
        return segment(key, version, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Deterministic, non-repeating bytes so that a shifted or mixed copy never looks right. */
    static byte[] pattern(int length, int seed) {
        byte[] data = new byte[length];
        int x = seed * 31 + 7;
        for (int i = 0; i < length; i++) {
            x = x * 1103515245 + 12345;
            data[i] = (byte) (x >>> 16);
        }
        return data;
    }

    static void assertSameSegment(StoredSegment expected, Optional<StoredSegment> actual, String what) {
        assertTrue(actual.isPresent(), what + ": expected the segment '" + expected.key() + "' v"
                + expected.metadata().version() + " to be returned, got nothing");
        assertEquals(expected.metadata(), actual.get().metadata(), what + ": metadata should round-trip unchanged");
        assertArrayEquals(expected.data(), actual.get().data(), what + ": data should round-trip byte for byte");
    }

    /** Inverts every bit of the byte at {@code position}. */
    static void flipByte(Path file, long position) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, position);
            one.flip();
            byte original = one.get(0);
            channel.write(ByteBuffer.wrap(new byte[] {(byte) ~original}), position);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void truncate(Path file, long newSize) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(newSize);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return every entry directly in {@code directory}'s quarantine folder; empty when there is none */
    static List<Path> quarantined(Path directory) {
        Path quarantine = directory.resolve(DiskStore.QUARANTINE_DIR);
        if (!Files.isDirectory(quarantine)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(quarantine)) {
            return files.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the names of the regular files directly in {@code directory} whose name ends with {@code suffix} */
    static List<String> filesEndingWith(Path directory, String suffix) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
