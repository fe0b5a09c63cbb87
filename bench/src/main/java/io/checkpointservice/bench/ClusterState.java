package io.checkpointservice.bench;

import io.checkpointservice.ra.service.CheckpointService;
import org.infinispan.Cache;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The base of the benchmarks' {@code @State} classes that run on a {@link LoopbackCluster}: every
 * trial (one fork's run of one combination of parameters) has a cluster of its own. A subclass
 * starts it in its one {@code @Setup(Level.Trial)} method, through {@link #startCluster} (the product) or
 * {@link #startRawCluster} (the raw Infinispan baseline), and prints what it measures on; the
 * {@code @TearDown(Level.Trial)} here closes it, after the subclass's {@link #beforeClose}.
 * Subclasses declare no {@code @TearDown} of their own, so the order of the two is never in
 * question.
 */
public abstract class ClusterState {

    LoopbackCluster cluster;
    /** The benchmarked node's service, as a connection handle calls it. */
    CheckpointService service;

    /** Starts the cluster of {@code spec}. */
    protected final void startCluster(LoopbackCluster.Spec spec) {
        cluster = LoopbackCluster.start(spec);
        service = cluster.service();
    }

    /**
     * Starts a cluster of {@link LoopbackCluster.Spec#defaults()} and defines the raw baseline's
     * cache on its members.
     *
     * @return the raw DIST_SYNC cache with {@code numOwners} owners ({@link LoopbackCluster#rawCache})
     */
    protected final Cache<String, byte[]> startRawCluster(int numOwners) {
        startCluster(LoopbackCluster.Spec.defaults());
        return cluster.rawCache(numOwners);
    }

    @TearDown(Level.Trial)
    public final void stop() {
        beforeClose();
        cluster.close();
    }

    /** What the subclass ends or reports before the cluster closes; nothing by default. */
    protected void beforeClose() {
    }
}
