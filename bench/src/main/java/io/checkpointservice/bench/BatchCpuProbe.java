package io.checkpointservice.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.infinispan.Cache;

/**
 * A diagnostic, not a benchmark: the CPU time each kind of P2 batch costs, per process. On this
 * 2-core machine three JVMs share two cores, so P2's throughput is bound by the CPU every copy
 * costs in all three processes, and a faster kind of batch is one that costs less CPU somewhere.
 * On one cluster (as {@link PairedThroughputBenchmark}: the product with R and a raw DIST_SYNC
 * cache with numOwners), after a warm-up of alternating rounds, each kind runs {@code batches}
 * batches in a row while the user and system CPU time of the local JVM and of each replica
 * process is read from {@code /proc/PID/stat} before and after. Prints milliseconds of CPU per
 * batch of 32 x 1 MiB, per process, and the wall time.
 *
 * <pre>java -Xmx3g -cp bench/target/benchmarks.jar io.checkpointservice.bench.BatchCpuProbe [replicaCount] [numOwners] [warmupRounds] [batches]</pre>
 */
public final class BatchCpuProbe {

    /** Clock ticks per second of /proc/PID/stat's utime and stime (USER_HZ, 100 on Linux). */
    private static final double TICKS_PER_SECOND = 100.0;

    private BatchCpuProbe() {
    }

    public static void main(String[] args) throws Exception {
        int replicaCount = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int numOwners = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int warmupRounds = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        int batches = args.length > 3 ? Integer.parseInt(args[3]) : 40;
        ThroughputBenchmark.Batch batch = new ThroughputBenchmark.Batch();
        batch.segments = 32;
        batch.sizeBytes = 1 << 20;
        batch.payload();
        ExecutorService twoThreads = Executors.newFixedThreadPool(2);
        try (LoopbackCluster cluster = LoopbackCluster.start(LoopbackCluster.Spec.defaults().replicaCount(replicaCount))) {
            Cache<String, byte[]> raw = cluster.rawCache(numOwners);
            for (int round = 0; round < warmupRounds; round++) {
                for (BatchKind kind : BatchKind.values()) {
                    kind.run(cluster, raw, twoThreads, batch);
                }
            }
            List<Long> pids = new ArrayList<>();
            pids.add(ProcessHandle.current().pid());
            pids.addAll(cluster.replicaPids());
            System.out.printf(Locale.ROOT, "P2 CPU per batch of 32 x 1 MiB, R=%d, raw numOwners %d, %d batches each after %d warm-up rounds%n",
                    replicaCount, numOwners, batches, warmupRounds);
            System.out.println("| kind | wall ms | CPU ms, local node | CPU ms, replica 1 | CPU ms, replica 2 | CPU ms, all |");
            System.out.println("|---|---|---|---|---|---|");
            for (BatchKind kind : BatchKind.values()) {
                long[] before = ticks(pids);
                long start = System.nanoTime();
                for (int i = 0; i < batches; i++) {
                    kind.run(cluster, raw, twoThreads, batch);
                }
                double wallMillis = (System.nanoTime() - start) / 1e6 / batches;
                long[] after = ticks(pids);
                StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %s | %.1f |", kind.label, wallMillis));
                double all = 0;
                for (int p = 0; p < pids.size(); p++) {
                    double millis = (after[p] - before[p]) * 1000.0 / TICKS_PER_SECOND / batches;
                    all += millis;
                    row.append(String.format(Locale.ROOT, " %.1f |", millis));
                }
                row.append(String.format(Locale.ROOT, " %.1f |", all));
                System.out.println(row);
            }
        } finally {
            twoThreads.shutdownNow();
        }
    }

    /** @return utime + stime of each process, in clock ticks */
    private static long[] ticks(List<Long> pids) {
        long[] ticks = new long[pids.size()];
        for (int i = 0; i < pids.size(); i++) {
            try {
                String stat = Files.readString(Path.of("/proc", pids.get(i).toString(), "stat"));
                // Fields after the command name, which is in parentheses and may hold spaces.
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks[i] = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the CPU time of process " + pids.get(i), e);
            }
        }
        return ticks;
    }
}
