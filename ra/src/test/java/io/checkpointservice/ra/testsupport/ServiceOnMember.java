package io.checkpointservice.ra.testsupport;

import io.checkpointservice.ra.cluster.ClusterNode;
import io.checkpointservice.ra.cluster.ReplicaStore;
import io.checkpointservice.ra.config.AdapterSettings;
import io.checkpointservice.ra.config.StorageMode;
import io.checkpointservice.ra.service.CheckpointService;
import io.checkpointservice.ra.store.MemoryStore;
import io.checkpointservice.ra.store.SyncPolicy;
import java.nio.file.Path;
import java.time.Clock;

/**
 * A checkpoint service with a memory store on a real cluster member, and one replication worker
 * thread of its own (what the adapter's WorkManager runs in a server). Closing stops both; the
 * member itself belongs to whoever started it.
 */
public final class ServiceOnMember implements AutoCloseable {

    private final CheckpointService service;
    private final Thread worker;

    /**
     * @param member the member the service uses; its node name names the service too
     * @param maxSegmentBytes the largest segment a write accepts
     * @param replicaCount R, as the member was started with
     */
    public ServiceOnMember(ClusterNode member, int maxSegmentBytes, int replicaCount) {
        service = memoryService(member, member.replicas(), maxSegmentBytes, replicaCount);
        worker = new Thread(service.replicator()::runWorker, "test-replication-worker");
        worker.start();
    }

    /**
     * A service with a memory store on {@code member}, no worker: the caller publishes with
     * {@code replicator().drain}, at the moment it chooses.
     *
     * @param replicas the member's replica store, or a wrapper around it that interposes
     */
    public static CheckpointService memoryService(ClusterNode member, ReplicaStore replicas, int maxSegmentBytes,
                                                  int replicaCount) {
        return new CheckpointService(new AdapterSettings(member.nodeName(), StorageMode.MEMORY, Path.of("unused"),
                SyncPolicy.NONE, maxSegmentBytes, replicaCount), new MemoryStore(), member.directory(), replicas,
                Clock.systemUTC());
    }

    public CheckpointService service() {
        return service;
    }

    @Override
    public void close() throws InterruptedException {
        service.close();
        worker.join(5_000);
    }
}
