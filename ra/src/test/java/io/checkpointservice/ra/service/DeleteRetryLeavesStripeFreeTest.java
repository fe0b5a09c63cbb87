package io.checkpointservice.ra.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.ra.cluster.LocalCluster;
import io.checkpointservice.ra.cluster.SegmentRecord;
import io.checkpointservice.ra.config.AdapterSettings;
import io.checkpointservice.ra.config.StorageMode;
import io.checkpointservice.ra.store.KeyLocks;
import io.checkpointservice.ra.store.MemoryStore;
import io.checkpointservice.ra.store.SyncPolicy;
import io.checkpointservice.ra.testsupport.ForwardingSegmentDirectory;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A delete whose compare-and-set keeps losing (other nodes keep changing the record) retries
 * after a pause. Segments share lock stripes, so that pause must not hold the stripe: a write of
 * an unrelated segment on the same stripe completes while the delete is still retrying.
 */
class DeleteRetryLeavesStripeFreeTest {

    private static final String NS = "app";
    private static final String DELETED = "contended";

    private final LocalCluster cluster = new LocalCluster();
    private final LosingDirectory directory = new LosingDirectory();
    private final CheckpointService node = new CheckpointService(
            new AdapterSettings("node-a", StorageMode.MEMORY, Path.of("unused"), SyncPolicy.NONE, 1024, 2),
            new MemoryStore(), directory, cluster.replicas(2), Clock.systemUTC());

    @AfterEach
    void close() {
        directory.losing.set(false);
        node.close();
    }

    @Test
    void writeOfAnotherSegmentOnTheSameStripeIsNotHeldUpByARetryingDelete() throws Exception {
        String neighbour = segmentOnTheStripeOf(DELETED);
        node.write(NS, DELETED, new byte[] {1});
        node.write(NS, neighbour, new byte[] {1}); // warm: the timed write below does no first-use work

        CompletableFuture<Boolean> delete = CompletableFuture.supplyAsync(() -> node.delete(NS, DELETED));
        assertTrue(directory.firstLoss.await(10, TimeUnit.SECONDS), "the delete should reach its compare-and-set");

        CompletableFuture<Long> write = CompletableFuture.supplyAsync(() -> node.write(NS, neighbour, new byte[] {2}));
        long version = write.get(10, TimeUnit.SECONDS);
        boolean deleteStillRetrying = !delete.isDone();
        int lossesBeforeTheWrite = directory.losses.get();
        directory.losing.set(false); // the record settles: the delete's next attempt wins

        assertEquals(2, version, "the neighbour's write completes");
        assertTrue(deleteStillRetrying, "the neighbour's write must complete while the delete is still retrying,"
                + " not wait for its pauses (" + lossesBeforeTheWrite + " compare-and-sets lost before the write returned)");
        assertTrue(delete.get(10, TimeUnit.SECONDS), "the delete succeeds once the record settles");
        assertFalse(node.load(NS, DELETED).isPresent(), "the deleted segment is gone");
        assertEquals(2, node.load(NS, neighbour).orElseThrow().version(), "the neighbour keeps its write");
    }

    /** @return a segment name whose key locks the same stripe as {@code name}'s */
    private static String segmentOnTheStripeOf(String name) {
        int stripe = KeyLocks.stripeOf(new SegmentKey(NS, name).key());
        for (int i = 0; ; i++) {
            String candidate = "neighbour-" + i;
            if (KeyLocks.stripeOf(new SegmentKey(NS, candidate).key()) == stripe) {
                return candidate;
            }
        }
    }

    /** Loses every compare-and-set on the deleted segment's record while {@link #losing}. */
    private final class LosingDirectory extends ForwardingSegmentDirectory {
        final AtomicBoolean losing = new AtomicBoolean(true);
        final AtomicInteger losses = new AtomicInteger();
        final CountDownLatch firstLoss = new CountDownLatch(1);

        LosingDirectory() {
            super(cluster.directory());
        }

        @Override
        public boolean compareAndSet(String key, Optional<SegmentRecord> expected, SegmentRecord next) {
            if (key.equals(new SegmentKey(NS, DELETED).key()) && !next.hasData() && losing.get()) {
                losses.incrementAndGet();
                firstLoss.countDown();
                return false;
            }
            return super.compareAndSet(key, expected, next);
        }
    }
}
