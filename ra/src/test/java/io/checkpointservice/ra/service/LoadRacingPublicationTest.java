package io.checkpointservice.ra.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.api.Checkpoint;
import io.checkpointservice.ra.cluster.LocalCluster;
import io.checkpointservice.ra.cluster.SegmentDirectory;
import io.checkpointservice.ra.cluster.SegmentRecord;
import io.checkpointservice.ra.config.AdapterSettings;
import io.checkpointservice.ra.config.StorageMode;
import io.checkpointservice.ra.store.MemoryStore;
import io.checkpointservice.ra.store.SyncPolicy;
import io.checkpointservice.ra.testsupport.ForwardingSegmentDirectory;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One node, one segment, and the one interleaving that matters: the application loads its own
 * segment while the replication worker is publishing the version it just wrote. The worker is
 * held just before its compare-and-set, the load runs, then the worker goes on. A load of one's
 * own segment is not a take-over by another node, so afterwards the node must still own it.
 */
class LoadRacingPublicationTest {

    private static final String NS = "app";

    private final LocalCluster cluster = new LocalCluster();
    private final GatedDirectory directory = new GatedDirectory(cluster.directory());
    private CheckpointService node;

    @BeforeEach
    void writeThenLoadWhilePublishing() throws InterruptedException {
        AdapterSettings settings = new AdapterSettings("node-a", StorageMode.MEMORY, Path.of("unused"),
                SyncPolicy.NONE, 1024, 2);
        node = new CheckpointService(settings, new MemoryStore(), directory, cluster.replicas(2), Clock.systemUTC());

        assertEquals(1, node.write(NS, "job", new byte[] {1}), "the first write is version 1");
        Thread worker = new Thread(() -> node.replicator().drain(10_000), "test-replication-worker");
        worker.start();
        assertTrue(directory.publicationReached.await(10, TimeUnit.SECONDS),
                "the worker should reach the compare-and-set that publishes v1");

        Optional<Checkpoint> first = node.load(NS, "job"); // the application restores meanwhile
        assertTrue(first.isPresent(), "the first load returns the node's own unpublished v1");

        directory.release.countDown();
        worker.join(10_000);
        assertFalse(worker.isAlive(), "the worker should finish its publication attempt");
    }

    @AfterEach
    void close() {
        directory.release.countDown();
        node.close();
    }

    @Test
    void writeAfterLoadingOwnSegmentDuringItsPublicationIsNotRefusedAsStale() {
        assertEquals(2, node.write(NS, "job", new byte[] {2}),
                "the node loaded its own segment, nobody else took it: its next write must be accepted as v2,"
                        + " not refused with StaleWriterException naming the node itself");
    }

    @Test
    void loadAfterLoadingOwnSegmentDuringItsPublicationStillReturnsIt() {
        Optional<Checkpoint> again = node.load(NS, "job");
        assertTrue(again.isPresent(), "the node's only copy of v1 must not be deleted by a second load (G5, G8)");
        assertArrayEquals(new byte[] {1}, again.get().state(), "the second load returns v1's bytes");
    }

    /** The cluster directory, with the first publication (a record with data) held at its compare-and-set. */
    private static final class GatedDirectory extends ForwardingSegmentDirectory {
        private final AtomicBoolean armed = new AtomicBoolean(true);
        final CountDownLatch publicationReached = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        GatedDirectory(SegmentDirectory delegate) {
            super(delegate);
        }

        @Override
        public boolean compareAndSet(String key, Optional<SegmentRecord> expected, SegmentRecord next) {
            if (next.hasData() && armed.compareAndSet(true, false)) {
                publicationReached.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return delegate.compareAndSet(key, expected, next);
        }
    }
}
