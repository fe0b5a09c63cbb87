package io.checkpointservice.bench;

import java.util.concurrent.ExecutorService;
import org.infinispan.Cache;

/**
 * The four kinds of P2 batch that {@link PairedThroughputBenchmark} and {@link BatchCpuProbe} run
 * on one cluster: the product's batch with either await, and the raw put on one or two threads.
 * A product batch ends when its versions are replicated (G3) and the chunks of the versions they
 * replaced are removed, so that no work of one kind runs into the time of the next.
 */
enum BatchKind {
    AWAIT_EACH("awaitReplicated per segment"),
    AWAIT_ALL("one awaitAllReplicated"),
    PUT("raw put, 1 thread"),
    PUT_TWO_THREADS("raw put, 2 threads");

    final String label;

    BatchKind(String label) {
        this.label = label;
    }

    /** Runs one batch of this kind; the result only keeps the work from being optimised away. */
    long run(LoopbackCluster cluster, Cache<String, byte[]> raw, ExecutorService twoThreads,
             ThroughputBenchmark.Batch batch) throws Exception {
        long result = switch (this) {
            case AWAIT_EACH -> ThroughputBenchmark.writeAndAwaitEach(cluster.service(), batch);
            case AWAIT_ALL -> ThroughputBenchmark.writeAndAwaitAll(cluster.service(), batch);
            case PUT -> ThroughputBenchmark.put(raw, batch);
            case PUT_TWO_THREADS -> ThroughputBenchmark.putOnTwoThreads(raw, twoThreads, batch);
        };
        if (this == AWAIT_EACH || this == AWAIT_ALL) {
            cluster.awaitChunkRemovals();
        }
        return result;
    }
}
