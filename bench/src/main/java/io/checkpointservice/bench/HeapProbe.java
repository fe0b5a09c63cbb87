package io.checkpointservice.bench;

import io.checkpointservice.ra.replication.Replicator;
import io.checkpointservice.ra.service.CheckpointService;
import io.checkpointservice.testsupport.Await;
import io.checkpointservice.testsupport.Payloads;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.infinispan.Cache;

/**
 * P5, not a JMH benchmark (it measures bytes, not time): the heap the adapter needs beyond the
 * bytes it stores, and whether the replication backlog stays bounded under a writer faster than
 * the network.
 *
 * <ol>
 *   <li><b>Overhead</b>: used heap after full GCs with N segments stored and replicated, minus
 *       used heap before, minus the N x size bytes of the local store. The benchmarked node is a
 *       member of a 3-node cluster with R = 2, so the chunk cache (R + 1 = 3 owners) also puts a
 *       copy of every segment on it; that copy is reported on its own line. Run it with
 *       capacityFactor 0 to measure a node that holds no chunks.</li>
 *   <li><b>Backlog</b>: a writer thread writes 1 MiB versions of K segments round-robin, as fast as
 *       it can, for some seconds, while a sampler reads {@code Replicator.backlog()} and the used
 *       heap every 5 ms. The backlog is bounded by K by design (latest wins); the heap must stay
 *       flat.</li>
 * </ol>
 *
 * <p>Run it with {@code -XX:MarkSweepDeadRatio=0}: otherwise G1's full collection leaves regions
 * that are at least 95% live uncompacted, and the garbage in them (up to 5% of a heap of ~280 MB,
 * varying from run to run by several MB) counts as used. With it, used heap is live objects plus
 * region tails. {@code -Dp5.histogram=true} also prints the classes the overhead is made of.
 *
 * <pre>java -Xmx3g -XX:MarkSweepDeadRatio=0 -cp bench/target/benchmarks.jar io.checkpointservice.bench.HeapProbe [segments] [bytes] [capacityFactor] [backlogSegments] [backlogSeconds]</pre>
 */
public final class HeapProbe {

    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
    /** {@code -Dp5.histogram=true}: also print which classes the segments' overhead is made of. */
    private static final boolean HISTOGRAM = Boolean.getBoolean("p5.histogram");
    /** Past JGroups' STABLE gossip (5 s) and UNICAST3's acknowledgements, which free sent messages. */
    private static final long SETTLE_MILLIS = 7_000;

    public static void main(String[] args) throws InterruptedException {
        int segments = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int bytes = args.length > 1 ? Integer.parseInt(args[1]) : 4096;
        float capacity = args.length > 2 ? Float.parseFloat(args[2]) : 1f;
        int backlogSegments = args.length > 3 ? Integer.parseInt(args[3]) : 64;
        int backlogSeconds = args.length > 4 ? Integer.parseInt(args[4]) : 15;
        try (LoopbackCluster cluster = LoopbackCluster.start(LoopbackCluster.Spec.defaults().localCapacityFactor(capacity))) {
            System.out.println("P5 on " + cluster + ", JVM -Xmx " + MEMORY.getHeapMemoryUsage().getMax() / (1 << 20) + " MiB");
            overhead(cluster, segments, bytes);
            backlog(cluster, backlogSegments, 1 << 20, backlogSeconds);
            backlog(cluster, 1, 1 << 20, Math.max(5, backlogSeconds / 3));
        }
    }

    static void overhead(LoopbackCluster cluster, int segments, int bytes) {
        CheckpointService service = cluster.service();
        byte[] payload = Payloads.generate(bytes, 9);
        long before = usedAfterGc();
        ClassHistogram classesBefore = HISTOGRAM ? ClassHistogram.take() : null;
        long started = System.nanoTime();
        for (int i = 0; i < segments; i++) {
            service.write(LoopbackCluster.NAMESPACE, "p5-" + i, payload);
        }
        double writeSeconds = (System.nanoTime() - started) / 1e9;
        for (int i = 0; i < segments; i++) {
            if (!service.awaitReplicated(LoopbackCluster.NAMESPACE, "p5-" + i, 1, Duration.ofMinutes(5))) {
                throw new IllegalStateException("p5-" + i + " not replicated within 5 minutes");
            }
        }
        double replicatedSeconds = (System.nanoTime() - started) / 1e9;
        long afterBurst = usedAfterGc();
        // JGroups keeps each sent message until its receiver acknowledges it (UNICAST3 acks in
        // batches, every xmit_interval) and multicasts until STABLE's gossip (5 s): a window
        // bounded by flow control (UFC credits), not by the number of segments. At rest it is gone.
        Await.pause(SETTLE_MILLIS);
        long atRest = usedAfterGc();
        Cache<?, ?> chunks = LoopbackCluster.cacheManager(cluster.clusterNode()).getCache("checkpoint-chunks");
        int localChunks = chunks.getAdvancedCache().getDataContainer().size();
        long stored = (long) segments * bytes;
        long ownChunkBytes = (long) localChunks * bytes; // one chunk per segment of <= 1 MiB
        System.out.printf(Locale.ROOT, "%nP5 heap overhead: %d segments of %d B written in %.2f s, replicated after %.2f s%n",
                segments, bytes, writeSeconds, replicatedSeconds);
        System.out.printf(Locale.ROOT, "| measure | bytes | per segment |%n|---|---|---|%n");
        row("used heap after GC, before", before, segments);
        row("stored state bytes (local store)", stored, segments);
        row("chunk copies held by this node (" + localChunks + " chunks, R + 1 owners)", ownChunkBytes, segments);
        String[] moments = {"right after the last replication", "at rest (+" + SETTLE_MILLIS / 1000 + " s)"};
        long[] used = {afterBurst, atRest};
        for (int m = 0; m < moments.length; m++) {
            String when = moments[m];
            long after = used[m];
            long grown = after - before;
            row("used heap after GC, " + when, after, segments);
            row("growth, " + when, grown, segments);
            row("overhead = growth - stored, " + when, grown - stored, segments);
            row("**overhead without this node's chunk copies, " + when + "**", grown - stored - ownChunkBytes, segments);
            System.out.printf(Locale.ROOT, "| overhead / stored, %s | %.2f; without own chunk copies %.2f | |%n", when,
                    (grown - stored) / (double) stored, (grown - stored - ownChunkBytes) / (double) stored);
        }
        if (HISTOGRAM) {
            System.out.printf(Locale.ROOT, "%nP5 classes that grew, at rest (live objects, per segment):%n");
            ClassHistogram.take().printGrowthSince(classesBefore, segments, 30);
        }
        // Leave the next part a clean slate.
        for (int i = 0; i < segments; i++) {
            service.delete(LoopbackCluster.NAMESPACE, "p5-" + i);
        }
    }

    static void backlog(LoopbackCluster cluster, int segments, int bytes, int seconds) throws InterruptedException {
        CheckpointService service = cluster.service();
        Replicator replicator = service.replicator();
        byte[] payload = Payloads.generate(bytes, 13);
        String[] names = Payloads.names("p5-backlog-" + segments, segments);
        long baseHeap = usedAfterGc();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger maxBacklog = new AtomicInteger();
        AtomicLong maxHeap = new AtomicLong();
        AtomicLong samples = new AtomicLong();
        AtomicLong backlogSum = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (running.get()) {
                int backlog = replicator.backlog();
                maxBacklog.accumulateAndGet(backlog, Math::max);
                backlogSum.addAndGet(backlog);
                samples.incrementAndGet();
                maxHeap.accumulateAndGet(MEMORY.getHeapMemoryUsage().getUsed(), Math::max);
                Await.pause(5);
            }
        }, "p5-sampler");
        sampler.start();
        long writes = 0;
        long[] last = new long[segments];
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            int i = (int) (writes % segments);
            last[i] = service.write(LoopbackCluster.NAMESPACE, names[i], payload);
            writes++;
        }
        double writing = (System.nanoTime() - start) / 1e9;
        int backlogAtEnd = replicator.backlog();
        for (int i = 0; i < segments; i++) {
            if (last[i] > 0 && !service.awaitReplicated(LoopbackCluster.NAMESPACE, names[i], last[i], Duration.ofMinutes(2))) {
                throw new IllegalStateException(names[i] + " v" + last[i] + " not replicated within 2 minutes");
            }
        }
        double drained = (System.nanoTime() - start) / 1e9 - writing;
        running.set(false);
        sampler.join();
        long heapAfter = usedAfterGc();
        System.out.printf(Locale.ROOT, "%nP5 backlog: 1 writer, %d segment(s) of %d B round-robin, %d s%n", segments, bytes, seconds);
        System.out.printf(Locale.ROOT, "| measure | value |%n|---|---|%n");
        System.out.printf(Locale.ROOT, "| writes | %d (%.0f/s, %.0f MiB/s offered) |%n", writes, writes / writing,
                writes * (bytes / 1048576.0) / writing);
        System.out.printf(Locale.ROOT, "| backlog max / mean / at end of writing | %d / %.1f / %d (bound: %d segments) |%n",
                maxBacklog.get(), backlogSum.get() / (double) Math.max(1, samples.get()), backlogAtEnd, segments);
        System.out.printf(Locale.ROOT, "| newest versions replicated after the writer stopped | %.2f s |%n", drained);
        System.out.printf(Locale.ROOT, "| used heap after GC before / after | %d / %d MiB |%n", baseHeap >> 20, heapAfter >> 20);
        System.out.printf(Locale.ROOT, "| peak used heap while writing (with garbage) | %d MiB |%n", maxHeap.get() >> 20);
        System.out.printf(Locale.ROOT, "| live bytes the node must hold: %d x %d B local + as many in chunk copies when it is an owner | %d MiB |%n",
                segments, bytes, 2L * segments * bytes >> 20);
        for (int i = 0; i < segments; i++) {
            service.delete(LoopbackCluster.NAMESPACE, names[i]);
        }
        Await.pause(SETTLE_MILLIS);
        System.out.printf(Locale.ROOT, "| used heap after GC once deleted (+%d s) | %d MiB |%n", SETTLE_MILLIS / 1000, usedAfterGc() >> 20);
    }

    private static void row(String measure, long bytes, int segments) {
        System.out.printf(Locale.ROOT, "| %s | %,d | %,d |%n", measure, bytes, bytes / Math.max(1, segments));
    }

    /** @return used heap after full collections, once it stops shrinking */
    static long usedAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Await.pause(200);
            long now = MEMORY.getHeapMemoryUsage().getUsed();
            if (now >= used - (1 << 16)) {
                return Math.min(now, used);
            }
            used = now;
        }
        return used;
    }
}
