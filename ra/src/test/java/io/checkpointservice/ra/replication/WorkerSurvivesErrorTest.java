package io.checkpointservice.ra.replication;

import static io.checkpointservice.testsupport.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.ra.cluster.LocalCluster;
import io.checkpointservice.ra.cluster.Ownership;
import io.checkpointservice.ra.cluster.SegmentRecord;
import io.checkpointservice.ra.store.Checksums;
import io.checkpointservice.ra.store.LocalStore;
import io.checkpointservice.ra.store.MemoryStore;
import io.checkpointservice.ra.store.SegmentMetadata;
import io.checkpointservice.ra.store.SegmentWrite;
import io.checkpointservice.ra.store.StoredSegment;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * An Error while publishing (an OutOfMemoryError copying a large segment) neither ends the worker
 * nor drops the segment: the worker goes on, and the segment is published on its retry.
 */
class WorkerSurvivesErrorTest {

    private static final String KEY = "app/job";

    @Test
    void anErrorInAPublishIsRetriedByTheSameWorker() throws InterruptedException {
        AtomicInteger reads = new AtomicInteger();
        FirstReadFails store = new FirstReadFails(new MemoryStore(), reads);
        LocalCluster cluster = new LocalCluster();
        Ownership ownership = new Ownership("node-a");
        ownership.took(KEY, 1);
        byte[] data = {1, 2, 3};
        store.put(new StoredSegment(new SegmentMetadata(KEY, 1, 1, Instant.now(), "node-a", data.length,
                Checksums.crc32c(data)), data));
        Replicator replicator = new Replicator(store, cluster.directory(), cluster.replicas(2), ownership,
                new PublicationSignal());
        Thread worker = new Thread(replicator::runWorker, "test-replication-worker");
        worker.start();
        try {
            replicator.markDirty(KEY);
            await("the segment is published after the failed attempt")
                    .until(() -> cluster.directory().get(KEY).map(SegmentRecord::version).orElse(0L) == 1);
            assertTrue(worker.isAlive(), "the worker that met the Error still runs");
            assertEquals(2, reads.get(), "one failed attempt, one retry");
        } finally {
            replicator.stop();
            assertTrue(replicator.awaitWorkersStopped(2_000));
        }
    }

    /** A memory store whose first read of a segment fails as a full heap would. */
    private record FirstReadFails(MemoryStore delegate, AtomicInteger reads) implements LocalStore {
        @Override
        public Optional<StoredSegment> get(String key) {
            if (reads.getAndIncrement() == 0) {
                throw new OutOfMemoryError("Java heap space (thrown by the test)");
            }
            return delegate.get(key);
        }

        @Override
        public void put(StoredSegment segment) {
            delegate.put(segment);
        }

        @Override
        public void write(SegmentWrite write) {
            delegate.write(write);
        }

        @Override
        public Optional<SegmentMetadata> metadata(String key) {
            return delegate.metadata(key);
        }

        @Override
        public boolean remove(String key) {
            return delegate.remove(key);
        }

        @Override
        public boolean hasLostCopy(String key) {
            return delegate.hasLostCopy(key);
        }

        @Override
        public Collection<SegmentMetadata> list() {
            return delegate.list();
        }

        @Override
        public String describe() {
            return "first read fails, then " + delegate.describe();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
