package io.checkpointservice.bench;

import io.checkpointservice.api.Checkpoint;
import io.checkpointservice.ra.cluster.ChunkKey;
import io.checkpointservice.ra.cluster.ReplicaStore;
import io.checkpointservice.ra.replication.Chunks;
import io.checkpointservice.testsupport.Payloads;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * P4: restore, i.e. {@code load} of a segment on a node that does not hold it: the record is read
 * locally, every chunk is fetched from the replicas, checked (CRC32C), stored locally, and handed
 * to the application as a {@link Checkpoint}.
 *
 * <p>The benchmarked node has {@code capacityFactor 0}, so it holds no chunk copy and every chunk
 * comes over the network from the 2 replica processes; its local copy is dropped before every
 * {@code load} (a {@code Level.Invocation} set-up, outside the measured time), so each load is a
 * full restore, as on the node an application fails over to. The cluster also stores
 * {@code segmentsStored - 1} other segments of 1 KiB, to show whether the number of segments
 * slows a restore down.
 *
 * <p>Baseline in the same run: {@link #infinispanGet}, raw Infinispan gets of the same number of
 * 1 MiB values from the product's own chunk cache (same owners, same placement, same network
 * path), without any of the product's checks or copies.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g", "-Djava.net.preferIPv4Stack=true"})
public class RestoreBenchmark {

    static final String TARGET = "p4-target";
    static final int FILLER_BYTES = 1024;
    private static final Duration AWAIT = Duration.ofMinutes(5);

    @State(Scope.Benchmark)
    public static class StoredCluster extends ClusterState {
        @Param({"1048576", "67108864"})
        public int sizeBytes;
        @Param({"1", "10000"})
        public int segmentsStored;
        ChunkKey[] rawKeys;
        ReplicaStore chunkCache;

        @Setup(Level.Trial)
        public void start() {
            startCluster(LoopbackCluster.Spec.defaults().localCapacityFactor(0));
            chunkCache = cluster.clusterNode().replicas();
            long started = System.nanoTime();
            byte[] filler = Payloads.generate(FILLER_BYTES, 3);
            for (int i = 1; i < segmentsStored; i++) {
                service.write(LoopbackCluster.NAMESPACE, "p4-filler-" + i, filler);
            }
            byte[] payload = Payloads.generate(sizeBytes, 11);
            long version = service.write(LoopbackCluster.NAMESPACE, TARGET, payload);
            awaitReplicated(TARGET, version);
            for (int i = 1; i < segmentsStored; i++) {
                awaitReplicated("p4-filler-" + i, 1); // each filler was written once: version 1
            }
            // The baseline's values: the same bytes, cut in 1 MiB chunks like the product's.
            int chunks = Chunks.count(sizeBytes);
            rawKeys = new ChunkKey[chunks];
            for (int i = 0; i < chunks; i++) {
                rawKeys[i] = new ChunkKey(LoopbackCluster.NAMESPACE + "/p4-raw", 1, "bench", 1, i);
                int from = i * Chunks.SIZE;
                byte[] chunk = Arrays.copyOfRange(payload, from, Math.min(payload.length, from + Chunks.SIZE));
                chunkCache.putChunk(rawKeys[i], chunk);
            }
            System.out.printf("P4 on %s: %d segments stored (%d of %d B), target %d B, set up in %.1f s%n",
                    cluster, segmentsStored, segmentsStored - 1, FILLER_BYTES, sizeBytes,
                    (System.nanoTime() - started) / 1e9);
        }

        private void awaitReplicated(String name, long version) {
            if (!service.awaitReplicated(LoopbackCluster.NAMESPACE, name, version, AWAIT)) {
                throw new IllegalStateException(name + " v" + version + " not replicated within " + AWAIT);
            }
        }
    }

    /** Drops the benchmarked node's local copy before each restore. */
    @State(Scope.Benchmark)
    public static class LocalCopyDropped {
        @Setup(Level.Invocation)
        public void drop(StoredCluster stored) {
            stored.service.store().remove(LoopbackCluster.NAMESPACE + "/" + TARGET);
        }
    }

    @Benchmark
    public Checkpoint restore(StoredCluster stored, LocalCopyDropped dropped) {
        return stored.service.load(LoopbackCluster.NAMESPACE, TARGET)
                .orElseThrow(() -> new IllegalStateException(TARGET + " not found"));
    }

    @Benchmark
    public void infinispanGet(StoredCluster stored, Blackhole blackhole) {
        for (ChunkKey key : stored.rawKeys) {
            blackhole.consume(stored.chunkCache.getChunk(key));
        }
    }
}
