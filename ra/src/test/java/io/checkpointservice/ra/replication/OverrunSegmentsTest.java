package io.checkpointservice.ra.replication;

import static io.checkpointservice.testsupport.Await.await;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.ra.cluster.ChunkKey;
import io.checkpointservice.ra.cluster.LocalCluster;
import io.checkpointservice.ra.cluster.Ownership;
import io.checkpointservice.ra.cluster.ReplicaStore;
import io.checkpointservice.ra.cluster.SegmentRecord;
import io.checkpointservice.ra.store.Checksums;
import io.checkpointservice.ra.store.MemoryStore;
import io.checkpointservice.ra.store.SegmentMetadata;
import io.checkpointservice.ra.store.StoredSegment;
import io.checkpointservice.ra.testsupport.ForwardingReplicaStore;
import io.checkpointservice.ra.testsupport.ForwardingSegmentDirectory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Segments an application writes again before their last version was published (it writes
 * faster than they replicate) are published by one of the four workers at a time, so that the
 * replication they cannot use does not take the application's cores; other segments keep the
 * other workers, and every segment's newest version is published in the end (G2).
 */
class OverrunSegmentsTest {

    private static final int WORKERS = 4;

    private final LocalCluster cluster = new LocalCluster();
    private final MemoryStore store = new MemoryStore();
    private final Ownership ownership = new Ownership("a");
    private final List<Thread> workers = new ArrayList<>();
    private Replicator replicator;

    @AfterEach
    void stopWorkers() throws InterruptedException {
        if (replicator != null) {
            replicator.stop();
            assertTrue(replicator.awaitWorkersStopped(5_000));
        }
    }

    @Test
    void segmentsWrittenAgainWhileWaitingTakeOneWorkerWhileFreshOnesTakeTheOthers() throws InterruptedException {
        List<String> overrun = List.of("app/hot-0", "app/hot-1", "app/hot-2", "app/hot-3");
        List<String> fresh = List.of("app/fresh-0", "app/fresh-1", "app/fresh-2");
        WatchedReplicas replicas = new WatchedReplicas(cluster.replicas(2), fresh.size());
        replicator = new Replicator(store, cluster.directory(), replicas, ownership, new PublicationSignal());
        for (String key : overrun) {
            write(key, 1);
            write(key, 2); // before any worker runs: coalesced with version 1, the writer is ahead
        }
        for (String key : fresh) {
            write(key, 1);
        }

        startWorkers();

        assertTrue(replicas.allFreshInFlight.await(10, SECONDS),
                "the fresh segments were published on three workers at once, beside the overrun lane");
        for (String key : overrun) {
            awaitPublished(key, 2);
        }
        for (String key : fresh) {
            awaitPublished(key, 1);
        }
        assertEquals(1, replicas.mostOverrunAtOnce.get(), "overrun segments were published one at a time");
    }

    @Test
    void aSegmentWrittenAgainWhileItWaitsToBePublishedIsOverrun() {
        replicator = new Replicator(store, cluster.directory(), cluster.replicas(2), ownership,
                new PublicationSignal());
        write("app/job", 1);
        assertFalse(replicator.isOverrun("app/job"), "one write waiting is no sign of anything");
        write("app/job", 2);
        assertTrue(replicator.isOverrun("app/job"), "coalesced with the version still waiting");
    }

    @Test
    void aWriterThatAwaitsEachVersionIsNeverOverrun() throws InterruptedException {
        String key = "app/job";
        long[] written = {1};
        // The record is visible before the compare-and-set returns to the worker (Infinispan
        // updates the primary copy, then waits for the backups): an application awaiting the
        // version sees it there and writes the next one while the publication is, for the
        // worker, still in flight.
        replicator = new Replicator(store, new ForwardingSegmentDirectory(cluster.directory()) {
            @Override
            public boolean compareAndSet(String k, Optional<SegmentRecord> expected, SegmentRecord next) {
                boolean set = delegate.compareAndSet(k, expected, next);
                if (set && written[0] < 3) {
                    write(key, ++written[0]);
                }
                return set;
            }
        }, cluster.replicas(2), ownership, new PublicationSignal());
        write(key, 1);
        startWorkers();

        awaitPublished(key, 3);
        assertFalse(replicator.isOverrun(key));
    }

    /** Writes a version locally and tells the replicator, as the write path does. */
    private void write(String key, long version) {
        ownership.took(key, 1);
        byte[] data = (key + " v" + version).getBytes(StandardCharsets.UTF_8);
        store.put(new StoredSegment(new SegmentMetadata(key, version, 1, Instant.now(), "a", data.length,
                Checksums.crc32c(data)), data));
        if (replicator != null) {
            replicator.markDirty(key);
        }
    }

    private void startWorkers() {
        for (int i = 0; i < WORKERS; i++) {
            Thread worker = new Thread(replicator::runWorker, "test-replication-worker-" + i);
            worker.start();
            workers.add(worker);
        }
    }

    private void awaitPublished(String key, long version) {
        await(key + " v" + version + " is published")
                .until(() -> cluster.directory().get(key).map(SegmentRecord::version).orElse(0L) == version);
    }

    /**
     * Counts the overrun segments' puts in flight at once, each held long enough (50 ms) to
     * overlap with any other that is allowed to run; fresh segments' puts wait until all of them
     * are in flight together.
     */
    private static final class WatchedReplicas extends ForwardingReplicaStore {
        private final AtomicInteger overrunInFlight = new AtomicInteger();
        final AtomicInteger mostOverrunAtOnce = new AtomicInteger();
        final CountDownLatch allFreshInFlight;

        WatchedReplicas(ReplicaStore delegate, int freshSegments) {
            super(delegate);
            this.allFreshInFlight = new CountDownLatch(freshSegments);
        }

        @Override
        public void putChunks(List<ChunkKey> chunks, List<byte[]> data) {
            if (chunks.get(0).segmentKey().contains("hot")) {
                mostOverrunAtOnce.accumulateAndGet(overrunInFlight.incrementAndGet(), Math::max);
                sleep(50);
                overrunInFlight.decrementAndGet();
            } else {
                allFreshInFlight.countDown();
                try {
                    allFreshInFlight.await(10, SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            delegate.putChunks(chunks, data);
        }

        private static void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
