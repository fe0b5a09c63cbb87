package io.checkpointservice.bench;

import io.checkpointservice.testsupport.Payloads;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.infinispan.Cache;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * P3: replication lag at a steady offered load of about 1,000 writes/s of 4 KiB: the time from
 * {@code write} to {@code awaitReplicated} returning true for that version (R = 2 copies off the
 * writer, G3). Each sample is one write and its wait.
 *
 * <p>8 threads, each with its own segment, each paced to {@code writesPerSecond / 8}: the pause
 * before a write is a {@code Level.Invocation} set-up, outside the measured time. A thread whose
 * wait outlasts its pace falls behind and the offered rate drops below the target; the rate
 * actually reached is printed after every iteration.
 *
 * <p>Baseline in the same run: {@link #infinispanPut}, a raw DIST_SYNC put of the same 4 KiB at the
 * same pace (the time a synchronous copy to the owners takes), on the same kind of cluster.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(ReplicationLagBenchmark.THREADS)
// 40 s of warm-up: three JVMs on 2 cores need it to settle before the first measured iteration.
@Warmup(iterations = 4, time = 10)
@Measurement(iterations = 3, time = 10)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-Djava.net.preferIPv4Stack=true"})
public class ReplicationLagBenchmark {

    static final int THREADS = 8;
    private static final Duration AWAIT = Duration.ofSeconds(30);

    /** The offered load, shared by all threads; counts what was achieved. */
    @State(Scope.Benchmark)
    public static class Load {
        @Param({"1000"})
        public int writesPerSecond;
        @Param({"4096"})
        public int sizeBytes;
        byte[] payload;
        final AtomicLong writes = new AtomicLong();
        long iterationStart;

        @Setup(Level.Trial)
        public void payload() {
            payload = Payloads.generate(sizeBytes, 7);
        }

        @Setup(Level.Iteration)
        public void startCounting() {
            writes.set(0);
            iterationStart = System.nanoTime();
        }

        @TearDown(Level.Iteration)
        public void reportRate() {
            double seconds = (System.nanoTime() - iterationStart) / 1e9;
            System.out.printf(Locale.ROOT, "  [achieved %.0f writes/s of %d offered]%n",
                    writes.get() / seconds, writesPerSecond);
        }
    }

    /** One thread's segment and its pace. */
    @State(Scope.Thread)
    public static class Pacer {
        String name;
        long intervalNanos;
        long next;

        @Setup(Level.Trial)
        public void init(ThreadParams thread, Load load) {
            name = "p3-" + thread.getThreadIndex();
            intervalNanos = (long) (1e9 * thread.getThreadCount() / load.writesPerSecond);
            // Threads are spread over the interval rather than firing together.
            next = System.nanoTime() + intervalNanos * thread.getThreadIndex() / thread.getThreadCount();
        }

        /** Waits for this thread's next slot; outside the measured time. */
        @Setup(Level.Invocation)
        public void pace() {
            long now = System.nanoTime();
            while (now < next) {
                LockSupport.parkNanos(next - now);
                now = System.nanoTime();
            }
            // Behind schedule (the last wait was longer than the pace): no burst to catch up.
            next = Math.max(next, now - intervalNanos) + intervalNanos;
        }
    }

    @State(Scope.Benchmark)
    public static class Product extends ClusterState {
        @Setup(Level.Trial)
        public void start() {
            startCluster(LoopbackCluster.Spec.defaults());
            System.out.println("P3 product on " + cluster);
        }
    }

    @State(Scope.Benchmark)
    public static class RawInfinispan extends ClusterState {
        @Param({"2"})
        public int numOwners;
        Cache<String, byte[]> cache;

        @Setup(Level.Trial)
        public void start() {
            cache = startRawCluster(numOwners);
            System.out.println("P3 baseline: raw DIST_SYNC cache, numOwners " + numOwners + ", on " + cluster);
        }
    }

    /** One write and the wait until R other nodes hold it. */
    @Benchmark
    public long writeUntilReplicated(Product product, Pacer pacer, Load load) {
        long version = product.service.write(LoopbackCluster.NAMESPACE, pacer.name, load.payload);
        if (!product.service.awaitReplicated(LoopbackCluster.NAMESPACE, pacer.name, version, AWAIT)) {
            throw new IllegalStateException(pacer.name + " v" + version + " not replicated within " + AWAIT);
        }
        load.writes.incrementAndGet();
        return version;
    }

    @Benchmark
    public Object infinispanPut(RawInfinispan raw, Pacer pacer, Load load) {
        Object previous = raw.cache.put(pacer.name, load.payload);
        load.writes.incrementAndGet();
        return previous;
    }
}
