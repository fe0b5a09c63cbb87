package io.checkpointservice.ra.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.checkpointservice.ra.cluster.ChunkKey;
import io.checkpointservice.ra.cluster.LocalCluster;
import io.checkpointservice.ra.cluster.Ownership;
import io.checkpointservice.ra.cluster.ReplicaStore;
import io.checkpointservice.ra.cluster.SegmentDirectory;
import io.checkpointservice.ra.cluster.SegmentRecord;
import io.checkpointservice.ra.store.Checksums;
import io.checkpointservice.ra.store.MemoryStore;
import io.checkpointservice.ra.store.SegmentMetadata;
import io.checkpointservice.ra.store.StoredSegment;
import io.checkpointservice.ra.testsupport.ForwardingSegmentDirectory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Two workers publishing the same local version (a write re-queues the key while a worker is
 * publishing it): the one that loses the compare-and-set must not remove the chunks, which are the
 * very ones the winner's record points at. Otherwise the holder's newest published version has no
 * copy left, and every load elsewhere is unavailable although the holder is alive.
 */
class DuplicatePublicationTest {

    private static final String KEY = "app/job";

    @Test
    void losingDuplicatePublicationKeepsTheWinnersChunks() {
        LocalCluster cluster = new LocalCluster();
        ReplicaStore replicas = cluster.replicas(2);
        MemoryStore store = new MemoryStore();
        Ownership ownership = new Ownership("a");
        long epoch = ownership.epochForWrite(KEY, "job", Optional.empty());
        byte[] data = "state".getBytes(StandardCharsets.UTF_8);
        store.put(new StoredSegment(new SegmentMetadata(KEY, 1, epoch, Instant.now(), "a", data.length,
                Checksums.crc32c(data)), data));

        // The directory runs a second publication of the same version just before the first one's
        // compare-and-set, as a second worker would: the first then loses the compare-and-set.
        SegmentDirectory shared = cluster.directory();
        Replicator[] other = new Replicator[1];
        SegmentDirectory racing = new ForwardingSegmentDirectory(shared) {
            private boolean raced;

            @Override
            public boolean compareAndSet(String key, Optional<SegmentRecord> expected, SegmentRecord next) {
                if (!raced) {
                    raced = true;
                    other[0].publish(key);
                }
                return shared.compareAndSet(key, expected, next);
            }
        };
        Replicator first = new Replicator(store, racing, replicas, ownership, new PublicationSignal());
        other[0] = new Replicator(store, shared, replicas, ownership, new PublicationSignal());

        first.publish(KEY);

        SegmentRecord record = shared.get(KEY).orElseThrow();
        assertEquals(1, record.version(), "the version is published once");
        assertNotNull(replicas.getChunk(ChunkKey.of(KEY, record, 0)),
                "the chunk the published record points at must still be in the cluster");
    }
}
