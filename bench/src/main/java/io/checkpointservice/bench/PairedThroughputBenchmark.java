package io.checkpointservice.bench;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.infinispan.Cache;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * P2 paired: the product's batches and the raw put's batches take turns on one cluster, in one
 * fork, so that every ratio compares the two under the same conditions.
 *
 * <p>{@link ThroughputBenchmark} measures each method in forks of its own, each on a cluster of its
 * own, one method after the other. Its forks of one method differ by up to 2x: where the keys'
 * primary copies lie is new in every fork, and a shared two-core machine is faster or slower
 * for minutes at a time. A ratio of two such forks carries both. Here
 * one operation is a round: one batch of each kind, the same 32 x 1 MiB each, in an order that
 * rotates from round to round so that no kind always follows the same other one. The product
 * writes its segments and the raw cache its keys on the same JGroups channel and the same member
 * processes ({@link LoopbackCluster#rawCache}); the kinds are {@link BatchKind}'s. The time of each kind is summed in an auxiliary
 * counter ({@link Clock}); the ratio of two kinds' throughputs is the inverse ratio of their sums,
 * {@code Report} computes it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 12, time = 10)
@Measurement(iterations = 3, time = 10)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g", "-Djava.net.preferIPv4Stack=true"})
public class PairedThroughputBenchmark {

    @State(Scope.Benchmark)
    public static class Cluster extends ClusterState {
        /** R of the product, as in {@link ThroughputBenchmark.Product}. */
        @Param({"2"})
        public int replicaCount;
        /** The raw cache's owners, as in {@link ThroughputBenchmark.RawInfinispan}. */
        @Param({"2", "3"})
        public int numOwners;
        /** The benchmarked node's store, as in {@link WriteLatencyBenchmark.Product}. */
        @Param({"memory"})
        public String storage;
        /** The persistence, as in {@link WriteLatencyBenchmark.Product}: {@code default} is the product's for the storage. */
        @Param({"default"})
        public String durability;
        Cache<String, byte[]> raw;
        ExecutorService twoThreads;

        @Setup(Level.Trial)
        public void start(ThroughputBenchmark.Batch batch) {
            LoopbackCluster.Spec spec = LoopbackCluster.Spec.defaults().replicaCount(replicaCount).storage(storage);
            startCluster("default".equals(durability) ? spec : spec.durability(durability));
            raw = cluster.rawCache(numOwners);
            twoThreads = Executors.newFixedThreadPool(2);
            System.out.println("P2 paired: product R=" + replicaCount + " and raw DIST_SYNC numOwners " + numOwners
                    + " on " + cluster + "; raw primary owners: " + ThroughputBenchmark.primaryOwners(raw, batch.names));
        }

        @Override
        protected void beforeClose() {
            twoThreads.shutdownNow();
        }
    }

    /**
     * Nanoseconds spent in each kind of batch during the iteration, and the rounds. JMH reports
     * each field as a secondary result of the iteration ({@code EVENTS}: as counted, not divided
     * by time); only their ratios mean something.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Clock {
        public long awaitEachNanos;
        public long awaitAllNanos;
        public long putNanos;
        public long putTwoThreadsNanos;
        public long rounds;

        @Setup(Level.Iteration)
        public void reset() {
            awaitEachNanos = 0;
            awaitAllNanos = 0;
            putNanos = 0;
            putTwoThreadsNanos = 0;
            rounds = 0;
        }

        void add(BatchKind kind, long nanos) {
            switch (kind) {
                case AWAIT_EACH -> awaitEachNanos += nanos;
                case AWAIT_ALL -> awaitAllNanos += nanos;
                case PUT -> putNanos += nanos;
                case PUT_TWO_THREADS -> putTwoThreadsNanos += nanos;
            }
        }
    }

    /** One batch of each kind; the primary score (ms per round) is their sum and means little. */
    @Benchmark
    public long round(Cluster cluster, ThroughputBenchmark.Batch batch, Clock clock) throws Exception {
        BatchKind[] kinds = BatchKind.values();
        long checksum = 0;
        for (int step = 0; step < kinds.length; step++) {
            BatchKind kind = kinds[(int) ((clock.rounds + step) % kinds.length)];
            long start = System.nanoTime();
            checksum += kind.run(cluster.cluster, cluster.raw, cluster.twoThreads, batch);
            clock.add(kind, System.nanoTime() - start);
        }
        clock.rounds++;
        return checksum;
    }
}
