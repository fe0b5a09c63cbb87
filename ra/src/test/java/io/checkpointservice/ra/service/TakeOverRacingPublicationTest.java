package io.checkpointservice.ra.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.api.Checkpoint;
import io.checkpointservice.ra.cluster.ChunkKey;
import io.checkpointservice.ra.cluster.LocalCluster;
import io.checkpointservice.ra.cluster.ReplicaStore;
import io.checkpointservice.ra.config.AdapterSettings;
import io.checkpointservice.ra.config.StorageMode;
import io.checkpointservice.ra.store.MemoryStore;
import io.checkpointservice.ra.store.SyncPolicy;
import io.checkpointservice.ra.testsupport.ForwardingReplicaStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes, one segment, and the interleaving the zombie-writer trial met once the writer's
 * publications got faster: B loads the segment (a take-over) and reads the record at v1; before
 * B fetches v1's chunk, A publishes v2 and removes v1's chunks. B must decide again on the newer
 * record, not call an existing segment unavailable.
 */
class TakeOverRacingPublicationTest {

    private static final String NS = "app";

    private final LocalCluster cluster = new LocalCluster();
    private CheckpointService a;
    private CheckpointService b;

    @AfterEach
    void close() {
        if (b != null) {
            b.close();
        }
        a.close();
    }

    @Test
    void aChunkRemovedBecauseANewerVersionWasPublishedMeanwhileMakesTheLoadDecideAgain() {
        a = node("node-a", cluster.replicas(2));
        assertEquals(1, a.write(NS, "job", new byte[] {1}));
        a.replicator().drain(10_000);
        assertEquals(2, a.write(NS, "job", new byte[] {2})); // not published yet

        AtomicBoolean raced = new AtomicBoolean();
        ReplicaStore racing = new ForwardingReplicaStore(cluster.replicas(2)) {
            @Override
            public byte[] getChunk(ChunkKey chunk) {
                if (raced.compareAndSet(false, true)) {
                    a.replicator().drain(10_000); // v2 published, v1's chunks removed
                }
                return super.getChunk(chunk);
            }
        };
        b = node("node-b", racing);
        Optional<Checkpoint> loaded = b.load(NS, "job");

        assertTrue(raced.get(), "precondition: B's fetch raced A's publication of v2");
        assertTrue(loaded.isPresent(), "the segment exists");
        assertEquals(2, loaded.get().version(), "B decides again on the record A moved to v2");
        assertArrayEquals(new byte[] {2}, loaded.get().state());
    }

    private CheckpointService node(String name, ReplicaStore replicas) {
        return new CheckpointService(new AdapterSettings(name, StorageMode.MEMORY, Path.of("unused"),
                SyncPolicy.NONE, 1024, 2), new MemoryStore(), cluster.directory(), replicas, Clock.systemUTC());
    }
}
