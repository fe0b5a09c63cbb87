package io.checkpointservice.bench;

import io.checkpointservice.ra.cluster.ClusterNode;
import io.checkpointservice.ra.config.AdapterSettings;
import io.checkpointservice.ra.config.ClusterSettings;
import io.checkpointservice.ra.config.StorageMode;
import io.checkpointservice.ra.monitoring.NodeMonitor;
import io.checkpointservice.ra.replication.Replicator;
import io.checkpointservice.ra.service.CheckpointService;
import io.checkpointservice.ra.store.DiskStore;
import io.checkpointservice.ra.threads.NodeThreads;
import java.time.Clock;

/**
 * The baseline of the persistence figures, not a product configuration: a disk-mode node put
 * together from the product's public parts the way {@code CheckpointNode.start} puts it together
 * (disk store, cluster, service, replication workers, monitor), except that its cluster keeps
 * the records and replica chunks in memory only, without the record and chunk journals. The
 * product has no setting for that, on purpose: in disk mode the journals are what make a
 * whole-cluster restart lose nothing. Measured against the product's own disk-mode node in the
 * same run, it isolates what the journals cost.
 */
final class UnjournaledNode implements AutoCloseable {

    private final DiskStore store;
    private final ClusterNode cluster;
    private final CheckpointService service;
    private final NodeMonitor monitor;

    private UnjournaledNode(DiskStore store, ClusterNode cluster, CheckpointService service, NodeMonitor monitor) {
        this.store = store;
        this.cluster = cluster;
        this.service = service;
        this.monitor = monitor;
    }

    static UnjournaledNode start(AdapterSettings settings, ClusterSettings clusterSettings, NodeThreads threads) {
        if (settings.storageMode() != StorageMode.DISK) {
            throw new IllegalArgumentException("the unjournaled baseline is a disk-mode node; got " + settings.storageMode());
        }
        DiskStore store = DiskStore.open(settings.storageDirectory(), settings.syncPolicy());
        ClusterNode cluster = ClusterNode.start(settings.nodeName(), settings.replicaCount(), clusterSettings,
                null, threads);
        CheckpointService service = new CheckpointService(settings, store, cluster.directory(), cluster.replicas(),
                Clock.systemUTC(), cluster.globalStore());
        Replicator replicator = service.replicator();
        for (int i = 0; i < settings.replicationWorkers(); i++) {
            threads.runLongLived("checkpoint-replication-" + (i + 1), replicator::runWorker, replicator::stop);
        }
        NodeMonitor monitor = NodeMonitor.start(settings, cluster, store, replicator, service.metrics(),
                service.ownership(), threads);
        return new UnjournaledNode(store, cluster, service, monitor);
    }

    CheckpointService service() {
        return service;
    }

    ClusterNode cluster() {
        return cluster;
    }

    /** Stops as {@code CheckpointNode.close} does. */
    @Override
    public void close() {
        monitor.close();
        AdapterSettings settings = service.settings();
        service.replicator().drain(settings.stopDrain().toMillis());
        service.close();
        service.replicator().awaitWorkersStopped(settings.stopWorkers().toMillis());
        cluster.close();
        store.close();
    }
}
