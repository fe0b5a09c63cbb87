package io.checkpointservice.ra.service;

import static io.checkpointservice.testsupport.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.ra.testsupport.LoopbackNodes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Segments created and deleted by the 100,000 leave nothing behind once their tombstones are past
 * the grace period: neither the records, nor the writer's ownership table, nor the local stores,
 * nor the global store (not even a directory), nor, in disk mode, the record and chunk journals
 * hold anything of them.
 *
 * <p>Memory mode, with a global store: the heap after 100,000 cycles is what it was after 40,000
 * (the first 40,000 warm up what any run fills once: code, pools, JGroups' buffers). The heap is
 * what is strongly reachable after full collections (the module's tests run with soft references
 * cleared at every collection). The allowance covers what collections leave by chance (up to about
 * 5 MB between two runs here); keeping only the record and the ownership entry of each of the
 * 60,000 segments would add over 15 MB.
 *
 * <p>Disk mode: the journals hold no entry of a forgotten segment. Their files and in-memory index
 * belong to Infinispan's soft-index file store, which reclaims what removals leave behind when its
 * own compactor rewrites a log file, later and in steps (docs/ARCHITECTURE.md, "Compaction"):
 * the bytes and heap are printed, not held to the memory-mode bound.
 */
class CompactionFootprintTest {

    private static final int WARM_UP = 40_000;
    private static final int ALL = 100_000;
    private static final int DISK_CYCLES = 20_000;
    private static final long HEAP_ALLOWANCE = 8L << 20;
    private static final int THREADS = 8;

    private final LoopbackNodes nodes;
    private final Path disks;

    CompactionFootprintTest(@TempDir Path disks) {
        this.disks = disks;
        this.nodes = new LoopbackNodes("footprint-test", 2, Map.of("tombstoneGraceSeconds", "1",
                "globalStore", disks.resolve("global").toUri().toString()));
    }

    @AfterEach
    void stop() throws Exception {
        nodes.close();
    }

    @Test
    @Timeout(600)
    void inMemoryModeCreateAndDeleteCyclesLeaveTheHeapAndTheGlobalStoreFlat() {
        CheckpointNode a = nodes.start(0, "a", 1, null);
        CheckpointNode b = nodes.start(1, "b", 1, null);
        byte[] state = new byte[256];

        cycles(a, 0, WARM_UP, state);
        awaitForgotten(a, b);
        long heapAfterWarmUp = heapInUse();

        cycles(a, WARM_UP, ALL, state);
        awaitForgotten(a, b);
        long heapAfterAll = heapInUse();

        System.out.printf("memory mode: heap after %,d cycles %,d bytes, after %,d: %,d%n", WARM_UP, heapAfterWarmUp,
                ALL, heapAfterAll);
        assertNothingLeft(a);
        assertNothingLeft(b);
        assertTrue(heapAfterAll <= heapAfterWarmUp + HEAP_ALLOWANCE, () -> "heap after " + ALL + " cycles "
                + heapAfterAll + " bytes, after " + WARM_UP + ": " + heapAfterWarmUp);
    }

    @Test
    @Timeout(600)
    void inDiskModeTheJournalsAndStoresKeepNothingOfForgottenSegments() {
        CheckpointNode a = nodes.start(0, "a", 1, disks.resolve("a"));
        CheckpointNode b = nodes.start(1, "b", 1, disks.resolve("b"));

        cycles(a, 0, DISK_CYCLES, new byte[256]);
        awaitForgotten(a, b);
        await("entries in a's and b's journals, chunk copies held by a and b").atMost(Duration.ofMinutes(1))
                .until(() -> List.of(a.cluster().journalEntries(), b.cluster().journalEntries(),
                        a.cluster().heldCopies().segments(), b.cluster().heldCopies().segments()),
                        counts -> counts.stream().allMatch(n -> n.longValue() == 0));

        System.out.printf("disk mode after %,d cycles: heap %,d bytes, journal files of a %,d bytes, of b %,d bytes%n",
                DISK_CYCLES, heapInUse(), bytesUnder(disks.resolve("a").resolve("cluster")),
                bytesUnder(disks.resolve("b").resolve("cluster")));
        assertNothingLeft(a);
        assertNothingLeft(b);
    }

    private void assertNothingLeft(CheckpointNode node) {
        String name = node.cluster().nodeName();
        assertEquals(0, node.cluster().recordsHeld(), name + " holds no record");
        assertEquals(0, node.cluster().heldCopies().segments(), name + " holds no chunk copy");
        assertEquals(0, node.service().ownership().owned().count(), name + "'s ownership table is empty");
        assertEquals(0, node.service().store().list().size(), name + "'s local store is empty");
        assertEquals(0, entriesUnder(disks.resolve("global")), "the global store holds nothing, not even directories");
    }

    /** Writes and deletes segments {@code from} to {@code to} on {@value #THREADS} threads, as applications would. */
    private static void cycles(CheckpointNode node, int from, int to, byte[] state) {
        List<Callable<Void>> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int first = from + t;
            threads.add(() -> {
                for (int i = first; i < to; i += THREADS) {
                    String name = "s-" + i;
                    node.service().write("app", name, state);
                    if (!node.service().delete("app", name)) {
                        throw new AssertionError(name + " was not there to delete");
                    }
                }
                return null;
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            for (Future<Void> done : pool.invokeAll(threads)) {
                done.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Until both nodes' records and the global store hold nothing, and each node has dropped what
     * it held of the forgotten segments (on its own threads, after the records went).
     */
    private void awaitForgotten(CheckpointNode a, CheckpointNode b) {
        await("every tombstone forgotten").atMost(Duration.ofMinutes(3)).until(() ->
                a.cluster().recordsHeld() == 0 && b.cluster().recordsHeld() == 0
                        && entriesUnder(disks.resolve("global")) == 0);
        await("what the nodes held of them dropped").atMost(Duration.ofMinutes(1)).until(() ->
                a.service().ownership().owned().count() == 0 && b.service().ownership().owned().count() == 0
                        && a.service().store().list().isEmpty() && b.service().store().list().isEmpty());
    }

    private static long entriesUnder(Path directory) {
        try (Stream<Path> entries = Files.walk(directory)) {
            return entries.count() - 1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long heapInUse() {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            least = Math.min(least, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return least;
    }

    private static long bytesUnder(Path directory) {
        if (!Files.exists(directory)) {
            return 0;
        }
        // The nodes keep running: a file (a .tmp being renamed) may vanish while the tree is walked.
        long[] total = {0};
        try {
            Files.walkFileTree(directory, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    total[0] += attributes.size();
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return total[0];
    }
}
