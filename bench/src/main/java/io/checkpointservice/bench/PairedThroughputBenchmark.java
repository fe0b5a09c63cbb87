package io.checkpointservice.bench;

import io.checkpointservice.ra.service.CheckpointService;
import java.util.concurrent.ExecutionException;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * P2 paired: the product's batches and the raw put's batches take turns on one cluster, in one
 * fork, so that every ratio compares the two under the same conditions.
 *
 * <p>{@link ThroughputBenchmark} measures each method in forks of its own, each on a cluster of its
 * own, one method after the other. Its forks of one method differed by up to 2x (ninth and tenth
 * sessions): where the keys' primary copies lie is new in every fork, and this shared two-core
 * machine is faster or slower for minutes at a time. A ratio of two such forks carries both. Here
 * one operation is a round: one batch of each kind, the same 32 x 1 MiB each, in an order that
 * rotates from round to round so that no kind always follows the same other one. The product
 * writes its segments and the raw cache its keys on the same JGroups channel and the same member
 * processes ({@link LoopbackCluster#rawCache}); a product batch ends when its versions are replicated
 * (G3) and the chunks of the versions they replaced are removed, so that no work of one kind runs
 * into the next one's time. The time of each kind is summed in an auxiliary
 * counter ({@link Clock}); the ratio of two kinds' throughputs is the inverse ratio of their sums,
 * {@code Report} computes it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 10)
@Measurement(iterations = 3, time = 10)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g", "-Djava.net.preferIPv4Stack=true"})
public class PairedThroughputBenchmark {

    /** The batch kinds of a round, in the order of the first round. */
    private static final int KINDS = 4;

    @State(Scope.Benchmark)
    public static class Cluster {
        /** R of the product, as in {@link ThroughputBenchmark.Product}. */
        @Param({"2"})
        public int replicaCount;
        /** The raw cache's owners, as in {@link ThroughputBenchmark.RawInfinispan}. */
        @Param({"2", "3"})
        public int numOwners;
        LoopbackCluster cluster;
        CheckpointService service;
        Cache<String, byte[]> raw;
        ExecutorService twoThreads;

        @Setup(Level.Trial)
        public void start(ThroughputBenchmark.Batch batch) {
            cluster = LoopbackCluster.start(LoopbackCluster.Spec.defaults().replicaCount(replicaCount));
            service = cluster.service();
            raw = cluster.rawCache(numOwners);
            twoThreads = Executors.newFixedThreadPool(2);
            System.out.println("P2 paired: product R=" + replicaCount + " and raw DIST_SYNC numOwners " + numOwners
                    + " on " + cluster + "; raw primary owners: " + ThroughputBenchmark.primaryOwners(raw, batch.names));
        }

        @TearDown(Level.Trial)
        public void stop() {
            twoThreads.shutdownNow();
            cluster.close();
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
    }

    /** One batch of each kind; the primary score (ms per round) is their sum and means little. */
    @Benchmark
    public long round(Cluster cluster, ThroughputBenchmark.Batch batch, Clock clock)
            throws InterruptedException, ExecutionException {
        long checksum = 0;
        for (int step = 0; step < KINDS; step++) {
            int kind = (int) ((clock.rounds + step) % KINDS);
            long start = System.nanoTime();
            switch (kind) {
                case 0 -> {
                    checksum += ThroughputBenchmark.writeAndAwaitEach(cluster.service, batch);
                    cluster.cluster.awaitChunkRemovals();
                }
                case 1 -> {
                    checksum += ThroughputBenchmark.writeAndAwaitAll(cluster.service, batch);
                    cluster.cluster.awaitChunkRemovals();
                }
                case 2 -> checksum += ThroughputBenchmark.put(cluster.raw, batch);
                default -> checksum += ThroughputBenchmark.putOnTwoThreads(cluster.raw, cluster.twoThreads, batch);
            }
            long elapsed = System.nanoTime() - start;
            switch (kind) {
                case 0 -> clock.awaitEachNanos += elapsed;
                case 1 -> clock.awaitAllNanos += elapsed;
                case 2 -> clock.putNanos += elapsed;
                default -> clock.putTwoThreadsNanos += elapsed;
            }
        }
        clock.rounds++;
        return checksum;
    }
}
