package io.checkpointservice.bench;

import io.checkpointservice.ra.cluster.ChunkKey;
import io.checkpointservice.ra.cluster.ClusterNode;
import io.checkpointservice.ra.cluster.ReplicaStore;
import io.checkpointservice.ra.cluster.SegmentDirectory;
import io.checkpointservice.ra.cluster.SegmentRecord;
import io.checkpointservice.ra.config.AdapterSettings;
import io.checkpointservice.ra.config.Settings;
import io.checkpointservice.ra.config.StorageMode;
import io.checkpointservice.ra.service.CheckpointService;
import io.checkpointservice.ra.store.MemoryStore;
import io.checkpointservice.ra.store.SyncPolicy;
import io.checkpointservice.testsupport.Payloads;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import org.infinispan.AdvancedCache;
import org.infinispan.context.Flag;

/**
 * A diagnostic, not a benchmark: where the replication lag of P3 goes. It runs a second
 * {@link CheckpointService} on the benchmark node's own cluster membership, with its directory
 * and replica store wrapped in timers, under the P3 load (paced writers, each waiting for
 * {@code awaitReplicated}), and prints percentiles of every step a replication worker takes:
 * time in the queue, reading the record, putting the chunk, the record's compare-and-set,
 * removing the previous version's chunk, and the whole lag the writer sees.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.checkpointservice.bench.PublishBreakdown paced [writesPerSecond] [seconds] [bytes] [threads]
 * java -cp bench/target/benchmarks.jar io.checkpointservice.bench.PublishBreakdown batch [segments] [seconds] [bytes]
 * java -cp bench/target/benchmarks.jar io.checkpointservice.bench.PublishBreakdown remove [bytes] [count]
 * </pre>
 *
 * <p>{@code batch} is P2's load (batches of distinct 1 MiB segments, each awaited in full);
 * {@code remove} times a DIST_SYNC remove with and without the removed value shipped back.
 */
public final class PublishBreakdown {

    static final String WORKER = "diag-replication";

    /** Samples in nanoseconds per step name. */
    private final ConcurrentMap<String, List<Long>> samples = new ConcurrentHashMap<>();
    /** When each key's last write was called, until a worker first reads its record. */
    private final ConcurrentMap<String, Long> writtenAt = new ConcurrentHashMap<>();

    void record(String step, long nanos) {
        List<Long> list = samples.computeIfAbsent(step, s -> new ArrayList<>());
        synchronized (list) {
            list.add(nanos);
        }
    }

    static boolean onWorker() {
        return Thread.currentThread().getName().startsWith(WORKER);
    }

    public static void main(String[] args) throws InterruptedException {
        String mode = args.length > 0 ? args[0] : "paced";
        int[] n = Arrays.stream(args).skip(1).mapToInt(Integer::parseInt).toArray();
        try (LoopbackCluster cluster = LoopbackCluster.start(LoopbackCluster.Spec.defaults())) {
            System.out.println("diagnostic '" + mode + "' on " + cluster);
            PublishBreakdown diagnostic = new PublishBreakdown();
            switch (mode) {
                case "paced" -> diagnostic.run(cluster, arg(n, 0, 1000), arg(n, 1, 20), arg(n, 2, 4096), arg(n, 3, 8));
                case "batch" -> diagnostic.batches(cluster, arg(n, 0, 32), arg(n, 1, 20), arg(n, 2, 1 << 20));
                case "remove" -> diagnostic.removeReturnValue(cluster, arg(n, 0, 1 << 20), arg(n, 1, 200));
                default -> throw new IllegalArgumentException("mode '" + mode + "' is not one of: paced, batch, remove");
            }
        }
    }

    private static int arg(int[] values, int index, int defaultValue) {
        return values.length > index ? values[index] : defaultValue;
    }

    /** A service of its own on the cluster's membership, its directory and replicas timed. */
    private CheckpointService timedService(LoopbackCluster cluster) {
        ClusterNode membership = cluster.clusterNode();
        AdapterSettings settings = new AdapterSettings("bench-app", StorageMode.MEMORY, Path.of("unused"),
                SyncPolicy.NONE, Settings.MAX_SEGMENT_BYTES.defaultValue(), Settings.REPLICA_COUNT.defaultValue());
        CheckpointService service = new CheckpointService(settings, new MemoryStore(),
                new TimedDirectory(membership.directory()), new TimedReplicas(membership.replicas()), Clock.systemUTC());
        for (int i = 0; i < settings.replicationWorkers(); i++) {
            Thread worker = new Thread(service.replicator()::runWorker, WORKER + "-" + i);
            worker.setDaemon(true);
            worker.start();
        }
        return service;
    }

    /** P2's load: batches of distinct segments, each batch awaited in full. */
    void batches(LoopbackCluster cluster, int segments, int seconds, int size) {
        CheckpointService service = timedService(cluster);
        byte[] payload = Payloads.generate(size, 1);
        String[] names = Payloads.names("diag-batch", segments);
        long[] versions = new long[segments];
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long batches = 0;
        long started = System.nanoTime();
        while (System.nanoTime() < end) {
            long start = System.nanoTime();
            for (int i = 0; i < segments; i++) {
                writtenAt.put(LoopbackCluster.NAMESPACE + "/" + names[i], System.nanoTime());
                long before = System.nanoTime();
                versions[i] = service.write(LoopbackCluster.NAMESPACE, names[i], payload);
                record("write (clone + CRC32C + store)", System.nanoTime() - before);
            }
            for (int i = 0; i < segments; i++) {
                if (!service.awaitReplicated(LoopbackCluster.NAMESPACE, names[i], versions[i], Duration.ofMinutes(2))) {
                    throw new IllegalStateException(names[i] + " not replicated");
                }
            }
            record("batch (all written and replicated)", System.nanoTime() - start);
            batches++;
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        System.out.printf(Locale.ROOT, "%d batches of %d x %d B in %.1f s: %.1f MiB/s replicated%n", batches, segments,
                size, elapsed, batches * segments * (size / 1048576.0) / elapsed);
        System.out.println(table());
        service.replicator().stop();
        service.replicator().awaitWorkersStopped(2_000);
    }

    /**
     * What a remove costs when Infinispan ships the removed value back (the product's removeChunk)
     * and when it does not (IGNORE_RETURN_VALUES), on a DIST_SYNC cache with the chunk cache's 3 owners.
     */
    void removeReturnValue(LoopbackCluster cluster, int size, int count) {
        AdvancedCache<String, byte[]> plain = cluster.rawCache(3).getAdvancedCache().withFlags(new Flag[0]);
        AdvancedCache<String, byte[]> ignoring = plain.withFlags(Flag.IGNORE_RETURN_VALUES);
        byte[] payload = Payloads.generate(size, 1);
        for (int round = 0; round < 2; round++) { // the first round warms up
            for (String mode : new String[] {"IGNORE_RETURN_VALUES", "previous value returned (as removeChunk does)"}) {
                AdvancedCache<String, byte[]> cache = mode.startsWith("IGNORE") ? ignoring : plain;
                for (int i = 0; i < count; i++) {
                    plain.put(mode + i, payload);
                }
                long allocated = allocatedBytes();
                for (int i = 0; i < count; i++) {
                    long start = System.nanoTime();
                    cache.remove(mode + i);
                    if (round == 1) {
                        record("remove " + size + " B, " + mode, System.nanoTime() - start);
                    }
                }
                if (round == 1) {
                    System.out.printf(Locale.ROOT, "remove %d B, %s: %,d B allocated in this JVM per remove%n", size, mode,
                            (allocatedBytes() - allocated) / count);
                }
            }
        }
        System.out.println(table());
    }

    /** @return bytes allocated so far by the live threads of this JVM (HotSpot's counter) */
    private static long allocatedBytes() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        return Arrays.stream(threads.getThreadAllocatedBytes(threads.getAllThreadIds())).filter(b -> b > 0).sum();
    }

    void run(LoopbackCluster cluster, int rate, int seconds, int size, int threads) throws InterruptedException {
        CheckpointService service = timedService(cluster);
        byte[] payload = Payloads.generate(size, 1);
        long interval = (long) (1e9 * threads / rate);
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long[] written = new long[threads];
        CountDownLatch done = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            int index = t;
            Thread writer = new Thread(() -> {
                String name = "diag-" + index;
                String key = LoopbackCluster.NAMESPACE + "/" + name;
                long next = System.nanoTime() + interval * index / threads;
                while (System.nanoTime() < end) {
                    long now = System.nanoTime();
                    while (now < next) {
                        LockSupport.parkNanos(next - now);
                        now = System.nanoTime();
                    }
                    next = Math.max(next, now - interval) + interval;
                    long start = System.nanoTime();
                    writtenAt.put(key, start); // before the write: its worker may start at once
                    long version = service.write(LoopbackCluster.NAMESPACE, name, payload);
                    if (!service.awaitReplicated(LoopbackCluster.NAMESPACE, name, version, Duration.ofSeconds(30))) {
                        throw new IllegalStateException(name + " v" + version + " not replicated");
                    }
                    record("lag (write -> awaitReplicated true)", System.nanoTime() - start);
                    written[index]++;
                }
                done.countDown();
            }, "diag-writer-" + t);
            writer.setDaemon(true);
            writer.start();
        }
        done.await();
        long total = Arrays.stream(written).sum();
        System.out.printf(Locale.ROOT, "%d threads, %d writes of %d B in %d s: %.0f writes/s achieved of %d offered%n",
                threads, total, size, seconds, total / (double) seconds, rate);
        System.out.println(table());
        service.replicator().stop();
        service.replicator().awaitWorkersStopped(2_000);
    }

    String table() {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "| step | count | p50 us | p90 us | p99 us | p99.9 us |%n|---|---|---|---|---|---|%n"));
        Map<String, List<Long>> sorted = new TreeMap<>(samples);
        sorted.forEach((step, list) -> {
            long[] values;
            synchronized (list) {
                values = list.stream().mapToLong(Long::longValue).sorted().toArray();
            }
            out.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s |%n", step, values.length,
                    us(values, 0.5), us(values, 0.9), us(values, 0.99), us(values, 0.999)));
        });
        return out.toString();
    }

    private static String us(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return "-";
        }
        int index = Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1);
        return Report.num(sorted[Math.max(0, index)] / 1000.0);
    }

    private final class TimedDirectory implements SegmentDirectory {
        private final SegmentDirectory delegate;

        TimedDirectory(SegmentDirectory delegate) {
            this.delegate = delegate;
        }

        // No @Override: compiles whether or not the product's interface has this method yet.
        public boolean knowsEveryRecord() {
            return delegate.knowsEveryRecord();
        }

        @Override
        public Optional<SegmentRecord> get(String key) {
            if (onWorker()) {
                Long written = writtenAt.remove(key);
                if (written != null) {
                    record("worker: queue wait (write called -> worker reads record)", System.nanoTime() - written);
                }
            }
            long start = System.nanoTime();
            Optional<SegmentRecord> record = delegate.get(key);
            record(onWorker() ? "worker: directory.get" : "awaitReplicated: directory.get", System.nanoTime() - start);
            return record;
        }

        @Override
        public boolean compareAndSet(String key, Optional<SegmentRecord> expected, SegmentRecord next) {
            long start = System.nanoTime();
            boolean set = delegate.compareAndSet(key, expected, next);
            record("worker: directory.compareAndSet (REPL_SYNC replace)", System.nanoTime() - start);
            return set;
        }
    }

    private final class TimedReplicas implements ReplicaStore {
        private final ReplicaStore delegate;

        TimedReplicas(ReplicaStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public void putChunk(ChunkKey chunk, byte[] data) {
            long start = System.nanoTime();
            delegate.putChunk(chunk, data);
            record("worker: putChunk (DIST_SYNC put, 3 owners)", System.nanoTime() - start);
        }

        @Override
        public void putChunks(List<ChunkKey> chunks, List<byte[]> data) {
            long start = System.nanoTime();
            delegate.putChunks(chunks, data);
            record("worker: putChunks (up to 4 DIST_SYNC puts in flight, 3 owners)", System.nanoTime() - start);
        }

        @Override
        public void removeChunkLater(ChunkKey chunk) {
            long start = System.nanoTime();
            delegate.removeChunkLater(chunk);
            record("worker: removeChunkLater of previous version (starts an async remove)", System.nanoTime() - start);
        }

        @Override
        public byte[] getChunk(ChunkKey chunk) {
            long start = System.nanoTime();
            byte[] data = delegate.getChunk(chunk);
            record("getChunk", System.nanoTime() - start);
            return data;
        }

        @Override
        public void removeChunk(ChunkKey chunk) {
            long start = System.nanoTime();
            delegate.removeChunk(chunk);
            record("worker: removeChunk of previous version (DIST_SYNC remove)", System.nanoTime() - start);
        }

        @Override
        public int placementFor(String segmentKey) {
            return delegate.placementFor(segmentKey);
        }

        @Override
        public int copiesOutside(ChunkKey chunk, String writer) {
            long start = System.nanoTime();
            int copies = delegate.copiesOutside(chunk, writer);
            record("awaitReplicated: copiesOutside", System.nanoTime() - start);
            return copies;
        }

        @Override
        public int confirmCopiesOutside(ChunkKey chunk, String writer, Duration timeout) {
            long start = System.nanoTime();
            int copies = delegate.confirmCopiesOutside(chunk, writer, timeout);
            record("awaitReplicated: confirmCopiesOutside (round trip to the owners)", System.nanoTime() - start);
            return copies;
        }

        @Override
        public long membershipId() {
            return delegate.membershipId();
        }
    }
}
