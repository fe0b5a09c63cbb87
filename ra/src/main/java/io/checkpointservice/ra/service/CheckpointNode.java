package io.checkpointservice.ra.service;

import io.checkpointservice.ra.cluster.ClusterNode;
import io.checkpointservice.ra.config.AdapterSettings;
import io.checkpointservice.ra.config.ClusterSettings;
import io.checkpointservice.ra.config.EffectiveSettings;
import io.checkpointservice.ra.config.StorageMode;
import io.checkpointservice.ra.monitoring.NodeMonitor;
import io.checkpointservice.ra.replication.Replicator;
import io.checkpointservice.ra.store.DiskStore;
import io.checkpointservice.ra.store.LocalStore;
import io.checkpointservice.ra.store.MemoryStore;
import io.checkpointservice.ra.store.SegmentMetadata;
import io.checkpointservice.ra.threads.NodeThreads;
import java.time.Clock;
import java.util.logging.Logger;

/**
 * Everything one node runs, started and stopped in the right order: local store, cluster
 * membership, service, replication workers. The resource adapter owns one; so can any JVM that
 * embeds the service.
 */
public final class CheckpointNode implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CheckpointNode.class.getName());
    /** In disk mode, the subdirectory of the storage directory that keeps the cluster's records and this node's replica chunks. */
    public static final String CLUSTER_DIRECTORY = "cluster";

    private final LocalStore store;
    private final ClusterNode cluster;
    private final CheckpointService service;
    private final NodeMonitor monitor;

    private CheckpointNode(LocalStore store, ClusterNode cluster, CheckpointService service, NodeMonitor monitor) {
        this.store = store;
        this.cluster = cluster;
        this.service = service;
        this.monitor = monitor;
    }

    /**
     * @param threads where the replication workers and the cluster's chunk sweeps run; the caller
     *     closes it after the node
     * @throws RuntimeException with a message saying what to change, when the store or the
     *     cluster cannot start; nothing is left running then
     */
    public static CheckpointNode start(AdapterSettings settings, ClusterSettings clusterSettings,
                                       NodeThreads threads) {
        LOG.info(EffectiveSettings.line(settings, clusterSettings));
        LocalStore store = settings.storageMode() == StorageMode.DISK
                ? DiskStore.open(settings.storageDirectory(), settings.syncPolicy())
                : new MemoryStore();
        boolean disk = settings.storageMode() == StorageMode.DISK;
        ClusterNode cluster;
        try {
            cluster = ClusterNode.start(settings.nodeName(), settings.replicaCount(), clusterSettings,
                    disk ? settings.storageDirectory().resolve(CLUSTER_DIRECTORY) : null, threads);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        CheckpointService service = new CheckpointService(settings, store, cluster.directory(),
                cluster.replicas(), Clock.systemUTC(), cluster.globalStore(), clusterSettings.retainVersions());
        if (disk) {
            if (cluster.missedCompaction()) {
                dropCopiesTheClusterForgot(store, cluster);
            }
            // After a restart of the whole cluster the records are back (journal) but the replicas'
            // memory is empty: this node's disk copies put the chunks back where none are held.
            service.replicator().checkReplicasOf(store.list().stream().map(SegmentMetadata::key).toList());
        }
        Replicator replicator = service.replicator();
        try {
            for (int i = 0; i < settings.replicationWorkers(); i++) {
                threads.runLongLived("checkpoint-replication-" + (i + 1), replicator::runWorker, replicator::stop);
            }
        } catch (RuntimeException e) {
            service.close();
            cluster.close();
            store.close();
            throw e;
        }
        LOG.info(() -> "checkpoint node '" + settings.nodeName() + "' started: store " + store.describe()
                + " with " + store.list().size() + " segments, replicaCount " + settings.replicaCount()
                + ", " + settings.replicationWorkers() + " replication workers, cluster members " + cluster.members());
        NodeMonitor monitor = NodeMonitor.start(settings, cluster, store, replicator, service.metrics(),
                service.ownership(), threads);
        return new CheckpointNode(store, cluster, service, monitor);
    }

    /**
     * This node was away while the cluster forgot deleted segments: a local copy of a segment the
     * cluster has no record of may be one of them, and serving or publishing it would undo the
     * delete. Such copies are dropped (with what was written here but never published before
     * the node stopped, which the cluster moved on from a grace period ago).
     */
    private static void dropCopiesTheClusterForgot(LocalStore store, ClusterNode cluster) {
        int dropped = 0;
        for (SegmentMetadata copy : store.list()) {
            if (cluster.directory().get(copy.key()).isEmpty() && store.remove(copy.key())) {
                dropped++;
            }
        }
        if (dropped > 0) {
            int count = dropped;
            LOG.warning(() -> count + " local copies of segments the cluster has no record of were dropped: this node "
                    + "was away while the cluster forgot deleted segments (tombstoneGraceSeconds)");
        }
    }

    /** @return the service connections use */
    public CheckpointService service() {
        return service;
    }

    /** @return the node's MBean and log warnings */
    public NodeMonitor monitor() {
        return monitor;
    }

    /** @return the cluster membership */
    public ClusterNode cluster() {
        return cluster;
    }

    /**
     * Graceful stop: publishes pending versions (bounded), stops the workers, leaves the cluster
     * (its copies move to the remaining members) and closes the store.
     */
    @Override
    public void close() {
        monitor.close();
        AdapterSettings settings = service.settings();
        boolean drained = service.replicator().drain(settings.stopDrain().toMillis());
        if (!drained) {
            LOG.warning("stopping with segments not yet replicated; their local copies stay on this node");
        }
        service.close();
        if (!service.replicator().awaitWorkersStopped(settings.stopWorkers().toMillis())) {
            LOG.warning("replication workers did not stop within " + settings.stopWorkers().toMillis() + " ms");
        }
        cluster.close();
        store.close();
    }
}
