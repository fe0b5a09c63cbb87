package io.checkpointservice.bench;

import io.checkpointservice.ra.store.Checksums;
import io.checkpointservice.ra.store.DiskStore;
import io.checkpointservice.ra.store.SegmentMetadata;
import io.checkpointservice.ra.store.StoredSegment;
import io.checkpointservice.ra.store.SyncPolicy;
import io.checkpointservice.testsupport.Directories;
import io.checkpointservice.testsupport.Payloads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;

/**
 * A diagnostic, not a benchmark: where a disk-store write with syncPolicy none spends its time
 * (P1 disk). For each directory given, it times the product's {@code DiskStore.put} of one
 * segment written again and again, and the same bytes written with file-system patterns that
 * differ in one step each:
 *
 * <ul>
 *   <li>{@code temp + rename over the old file}: the usual atomic replace (minus headers and hashing);</li>
 *   <li>{@code temp + rename to a new name + unlink the old}: the same crash safety (a reader
 *       or a crash sees one whole version), but no rename replaces an existing file;</li>
 *   <li>{@code new file + unlink the previous}: create, write and close a new file, no rename
 *       (one file per version);</li>
 *   <li>{@code A/B slots, overwrite the other slot in place}: two files written alternately,
 *       each opened without truncation, overwritten from position 0 and cut to the exact length
 *       when it was longer; the file holding the previous version is never touched, so a crash
 *       leaves it whole (what DiskStore does now, minus headers and hashing);</li>
 *   <li>{@code overwrite in place}: not crash-safe, for reference only.</li>
 * </ul>
 *
 * <pre>java -cp bench/target/benchmarks.jar io.checkpointservice.bench.DiskWriteProbe [bytes] [writes] [directory ...]</pre>
 *
 * Directories default to {@code java.io.tmpdir} (local disk here) and {@code /dev/shm} (tmpfs).
 */
public final class DiskWriteProbe {

    public static void main(String[] args) throws IOException {
        int bytes = args.length > 0 ? Integer.parseInt(args[0]) : 65536;
        int writes = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
        String[] dirs = args.length > 2 ? Arrays.copyOfRange(args, 2, args.length)
                : new String[] {System.getProperty("java.io.tmpdir"), "/dev/shm"};
        byte[] data = Payloads.generate(bytes, 17);
        System.out.printf(Locale.ROOT, "%d writes of %d B per pattern (after %d warm-up writes)%n%n", writes, bytes, writes / 3);
        System.out.println("| directory | pattern | p50 us | p90 us | p99 us | p99.9 us |");
        System.out.println("|---|---|---|---|---|---|");
        for (String dir : dirs) {
            Path base = Path.of(dir);
            if (!Files.isDirectory(base)) {
                continue;
            }
            Path work = Files.createTempDirectory(base, "checkpoint-disk-probe-");
            try {
                run(work, "DiskStore.put (syncPolicy none)", writes, storePut(work.resolve("store"), data));
                run(work, "temp + rename over the old file", writes, renameOver(work, data));
                run(work, "temp + rename to a new name + unlink the old", writes, renameNew(work, data));
                run(work, "new file + unlink the previous, no rename", writes, tempOnly(work, data));
                run(work, "A/B slots, overwrite the other slot in place", writes, abSlots(work, data));
                run(work, "overwrite in place (not crash-safe)", writes, inPlace(work, data));
            } finally {
                Directories.deleteQuietly(work);
            }
        }
    }

    private interface Step {
        void write(int i) throws IOException;
    }

    private static void run(Path work, String pattern, int writes, Step step) throws IOException {
        for (int i = 0; i < writes / 3; i++) {
            step.write(i);
        }
        long[] nanos = new long[writes];
        for (int i = 0; i < writes; i++) {
            long start = System.nanoTime();
            step.write(writes + i);
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", fileSystem(work), pattern,
                q(nanos, 0.5), q(nanos, 0.9), q(nanos, 0.99), q(nanos, 0.999));
    }

    private static String fileSystem(Path work) {
        try {
            return work.getParent() + " (" + Files.getFileStore(work).type() + ")";
        } catch (IOException e) {
            return work.getParent().toString();
        }
    }

    private static String q(long[] sorted, double quantile) {
        return Report.num(sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1000.0);
    }

    private static Step storePut(Path directory, byte[] data) {
        DiskStore store = DiskStore.open(directory, SyncPolicy.NONE);
        int checksum = Checksums.crc32c(data);
        return i -> store.put(new StoredSegment(new SegmentMetadata("bench/probe", i + 1, 1, Instant.now(), "probe",
                data.length, checksum), data));
    }

    private static Step renameOver(Path work, byte[] data) {
        Path target = work.resolve("over.seg");
        return i -> {
            Path temp = work.resolve("over." + i + ".tmp");
            writeNew(temp, data);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        };
    }

    private static Step renameNew(Path work, byte[] data) {
        return i -> {
            Path temp = work.resolve("new." + i + ".tmp");
            writeNew(temp, data);
            Files.move(temp, work.resolve("new." + i + ".seg"), StandardCopyOption.ATOMIC_MOVE);
            Files.deleteIfExists(work.resolve("new." + (i - 1) + ".seg"));
        };
    }

    private static Step tempOnly(Path work, byte[] data) {
        return i -> {
            writeNew(work.resolve("temp." + i + ".tmp"), data);
            Files.deleteIfExists(work.resolve("temp." + (i - 1) + ".tmp"));
        };
    }

    private static Step abSlots(Path work, byte[] data) {
        Path[] slots = {work.resolve("slot.a.seg"), work.resolve("slot.b.seg")};
        return i -> {
            // No TRUNCATE_EXISTING: truncating to zero makes ext4 (auto_da_alloc) flush at close.
            try (FileChannel channel = FileChannel.open(slots[i & 1], StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(data);
                while (buffer.hasRemaining()) {
                    channel.write(buffer, buffer.position());
                }
                if (channel.size() > data.length) {
                    channel.truncate(data.length);
                }
            }
        };
    }

    private static Step inPlace(Path work, byte[] data) {
        Path target = work.resolve("inplace.seg");
        return i -> {
            try (FileChannel channel = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(data);
                while (buffer.hasRemaining()) {
                    channel.write(buffer, buffer.position());
                }
            }
        };
    }

    private static void writeNew(Path file, byte[] data) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(data);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
