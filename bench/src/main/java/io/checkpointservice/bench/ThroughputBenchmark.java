package io.checkpointservice.bench;

import io.checkpointservice.ra.service.CheckpointService;
import io.checkpointservice.testsupport.Payloads;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.infinispan.Cache;
import org.infinispan.distribution.LocalizedCacheTopology;
import org.infinispan.remoting.transport.Address;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * P2: sustained replication throughput of 1 MiB segments. One operation is a batch: a new version
 * of each of {@code segments} distinct segments of 1 MiB is written, then the benchmark waits
 * until {@code awaitReplicated} is true for every one of them (distinct segments, so "latest
 * wins" coalescing cannot skip any of the bytes), one after the other ({@link #replicateBatch})
 * or all at once ({@link #replicateBatchAwaitAll}). MiB/s = segments / (seconds per batch).
 *
 * <p>Baselines in the same run, the same bytes on the same kind of cluster: raw Infinispan
 * DIST_SYNC puts of {@code segments} 1 MiB values, one after the other ({@link #infinispanPut}),
 * and spread over 2 threads, one per core of this machine (the product publishes on 4 workers)
 * ({@link #infinispanPutTwoThreads}). numOwners 3 gives the baseline the same number of copies as
 * the product's chunk cache with its default R = 2 (R + 1 = 3 owners); numOwners 2 the same as the
 * product with R = 1 ({@code -p replicaCount=1,2}, as {@code bench/run.sh} runs it).
 *
 * <p>Each method runs in forks of its own, on a cluster of its own: the absolute MiB/s of each.
 * P2's verdict comes from {@link PairedThroughputBenchmark}, which runs the same batches taking
 * turns on one cluster, because forks of one method here differ by up to 2x.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g", "-Djava.net.preferIPv4Stack=true"})
public class ThroughputBenchmark {

    private static final Duration AWAIT = Duration.ofMinutes(2);

    @State(Scope.Benchmark)
    public static class Batch {
        @Param({"32"})
        public int segments;
        @Param({"1048576"})
        public int sizeBytes;
        byte[] payload;
        String[] names;
        long[] versions;

        @Setup(Level.Trial)
        public void payload() {
            payload = Payloads.generate(sizeBytes, 5);
            names = Payloads.names("p2", segments);
            versions = new long[segments];
        }
    }

    @State(Scope.Benchmark)
    public static class Product extends ClusterState {
        /**
         * R: 2 is the product's default, whose R + 1 = 3 chunk owners match the numOwners-3
         * baseline; 1 gives the product the numOwners-2 baseline's two owners.
         */
        @Param({"2"})
        public int replicaCount;

        @Setup(Level.Trial)
        public void start() {
            startCluster(LoopbackCluster.Spec.defaults().replicaCount(replicaCount));
            System.out.println("P2 product on " + cluster);
        }
    }

    @State(Scope.Benchmark)
    public static class RawInfinispan extends ClusterState {
        @Param({"2", "3"})
        public int numOwners;
        Cache<String, byte[]> cache;
        ExecutorService twoThreads;

        @Setup(Level.Trial)
        public void start(Batch batch) {
            cache = startRawCluster(numOwners);
            twoThreads = Executors.newFixedThreadPool(2);
            System.out.println("P2 baseline: raw DIST_SYNC cache, numOwners " + numOwners + ", on " + cluster
                    + "; primary owners of the batch's keys: " + primaryOwners(cache, batch.names));
        }

        @Override
        protected void beforeClose() {
            twoThreads.shutdownNow();
        }
    }

    /** Writes a new version of every segment, then waits until all are replicated (G3). */
    @Benchmark
    public long replicateBatch(Product product, Batch batch) {
        return writeAndAwaitEach(product.service, batch);
    }

    /**
     * The same batch, awaited with one {@code awaitAllReplicated}: the owners of every segment
     * whose publication completed before the await began are asked together, one round trip for
     * the batch instead of one per segment (G3 counts only answers given after the await began).
     */
    @Benchmark
    public long replicateBatchAwaitAll(Product product, Batch batch) {
        return writeAndAwaitAll(product.service, batch);
    }

    @Benchmark
    public int infinispanPut(RawInfinispan raw, Batch batch) {
        return put(raw.cache, batch);
    }

    @Benchmark
    public int infinispanPutTwoThreads(RawInfinispan raw, Batch batch) throws InterruptedException, ExecutionException {
        return putOnTwoThreads(raw.cache, raw.twoThreads, batch);
    }

    static long writeAndAwaitEach(CheckpointService service, Batch batch) {
        for (int i = 0; i < batch.segments; i++) {
            batch.versions[i] = service.write(LoopbackCluster.NAMESPACE, batch.names[i], batch.payload);
        }
        for (int i = 0; i < batch.segments; i++) {
            if (!service.awaitReplicated(LoopbackCluster.NAMESPACE, batch.names[i], batch.versions[i], AWAIT)) {
                throw new IllegalStateException(batch.names[i] + " v" + batch.versions[i]
                        + " not replicated within " + AWAIT);
            }
        }
        return batch.versions[batch.segments - 1];
    }

    static long writeAndAwaitAll(CheckpointService service, Batch batch) {
        Map<String, Long> versions = new HashMap<>();
        for (int i = 0; i < batch.segments; i++) {
            versions.put(batch.names[i], service.write(LoopbackCluster.NAMESPACE, batch.names[i], batch.payload));
        }
        if (!service.awaitAllReplicated(LoopbackCluster.NAMESPACE, versions, AWAIT)) {
            throw new IllegalStateException(batch.segments + " segments not all replicated within " + AWAIT);
        }
        return versions.size();
    }

    static int put(Cache<String, byte[]> cache, Batch batch) {
        for (int i = 0; i < batch.segments; i++) {
            cache.put(batch.names[i], batch.payload);
        }
        return batch.segments;
    }

    static int putOnTwoThreads(Cache<String, byte[]> cache, ExecutorService twoThreads, Batch batch)
            throws InterruptedException, ExecutionException {
        Future<?> even = twoThreads.submit(() -> putEvery(cache, batch, 0));
        Future<?> odd = twoThreads.submit(() -> putEvery(cache, batch, 1));
        even.get();
        odd.get();
        return batch.segments;
    }

    private static void putEvery(Cache<String, byte[]> cache, Batch batch, int start) {
        for (int i = start; i < batch.segments; i += 2) {
            cache.put(batch.names[i], batch.payload);
        }
    }

    /**
     * @return how many of {@code keys} each member is the primary owner of, the local node marked.
     *     A put whose primary is another node takes a second hop (the primary forwards it to the
     *     other owners), so this layout, fixed by the key names and the members' addresses that
     *     are new in every fork, is one reason why forks of the same method differ.
     */
    static Map<String, Integer> primaryOwners(Cache<String, ?> cache, String[] keys) {
        LocalizedCacheTopology topology = cache.getAdvancedCache().getDistributionManager().getCacheTopology();
        Map<String, Integer> counts = new TreeMap<>();
        for (String key : keys) {
            Address owner = topology.getDistribution(key).primary();
            counts.merge(owner + (owner.equals(topology.getLocalAddress()) ? " (local)" : ""), 1, Integer::sum);
        }
        return counts;
    }
}
