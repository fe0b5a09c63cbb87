package io.checkpointservice.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.infinispan.Cache;

/**
 * A diagnostic, not a benchmark: the CPU time each kind of P2 batch costs, per process. On this
 * 2-core machine three JVMs share two cores, so P2's throughput is bound by the CPU every copy
 * costs in all three processes, and a faster kind of batch is one that costs less CPU somewhere.
 * On one cluster (as {@link PairedThroughputBenchmark}: the product with R and a raw DIST_SYNC
 * cache with numOwners), after a warm-up of alternating rounds, each kind runs {@code batches}
 * batches in a row while the user and system CPU time of the local JVM and of each replica
 * process is read from {@code /proc/PID/stat} before and after. Prints milliseconds of CPU per
 * batch of 32 x 1 MiB, per process, the wall time, and the bytes the local JVM allocated per batch;
 * then the local JVM's CPU per batch by thread group (replication workers, JGroups, JIT compiler,
 * garbage collector).
 *
 * <p>With {@code -Dprobe.jfr=DIR} each kind's batches are also recorded by JFR, one file each.
 *
 * <pre>java -Xmx3g -cp bench/target/benchmarks.jar io.checkpointservice.bench.BatchCpuProbe [replicaCount] [numOwners] [warmupRounds] [batches]</pre>
 */
public final class BatchCpuProbe {

    /** Clock ticks per second of /proc/PID/stat's utime and stime (USER_HZ, 100 on Linux). */
    private static final double TICKS_PER_SECOND = 100.0;
    /**
     * Bytes allocated by every thread of this JVM (the local node's): each copy of a chunk on
     * its way out is an allocation, so this counts the copies the kinds make.
     */
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private BatchCpuProbe() {
    }

    public static void main(String[] args) throws Exception {
        int replicaCount = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int numOwners = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        // 120 rounds: fewer leave the JIT compiling during the product's batches (tens of ms per batch).
        int warmupRounds = args.length > 2 ? Integer.parseInt(args[2]) : 120;
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
            System.out.println("| kind | wall ms | CPU ms, local node | CPU ms, replica 1 | CPU ms, replica 2 | CPU ms, all | MiB allocated, local node |");
            System.out.println("|---|---|---|---|---|---|---|");
            Map<String, Map<BatchKind, Double>> byGroup = new TreeMap<>();
            for (BatchKind kind : BatchKind.values()) {
                Recording recording = startRecording();
                long[] before = ticks(pids);
                long allocatedBefore = THREADS.getTotalThreadAllocatedBytes();
                Map<String, Long> groupsBefore = threadGroupTicks();
                long start = System.nanoTime();
                for (int i = 0; i < batches; i++) {
                    kind.run(cluster, raw, twoThreads, batch);
                }
                double wallMillis = (System.nanoTime() - start) / 1e6 / batches;
                long[] after = ticks(pids);
                double allocatedMiB = (THREADS.getTotalThreadAllocatedBytes() - allocatedBefore) / (double) (1 << 20) / batches;
                threadGroupTicks().forEach((group, ticks) -> byGroup.computeIfAbsent(group, g -> new TreeMap<>())
                        .put(kind, millisPerBatch(ticks - groupsBefore.getOrDefault(group, 0L), batches)));
                stopRecording(recording, kind);
                StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %s | %.1f |", kind.label, wallMillis));
                double all = 0;
                for (int p = 0; p < pids.size(); p++) {
                    double millis = millisPerBatch(after[p] - before[p], batches);
                    all += millis;
                    row.append(String.format(Locale.ROOT, " %.1f |", millis));
                }
                row.append(String.format(Locale.ROOT, " %.1f | %.1f |", all, allocatedMiB));
                System.out.println(row);
            }
            printByThreadGroup(byGroup);
        } finally {
            twoThreads.shutdownNow();
        }
    }

    /**
     * With {@code -Dprobe.jfr=DIR}, each kind's batches are recorded by JFR (the "profile"
     * settings, CPU samples every millisecond, every compilation) into {@code DIR/KIND.jfr}, so
     * the local node's extra CPU can be traced to code, one kind against another. The recording
     * costs CPU itself (the local node's CPU column grows), and a sample counts a thread that is
     * runnable but waiting for a core: compare kinds by their samples' shares, not counts.
     */
    private static Recording startRecording() throws IOException, ParseException {
        if (System.getProperty("probe.jfr") == null) {
            return null;
        }
        Recording recording = new Recording(Configuration.getConfiguration("profile"));
        // One CPU sample a millisecond instead of ten: a run of a few seconds then gives
        // thousands of samples.
        recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1));
        recording.enable("jdk.Compilation").withThreshold(Duration.ZERO);
        recording.enable("jdk.Deoptimization").withStackTrace();
        recording.start();
        return recording;
    }

    private static void stopRecording(Recording recording, BatchKind kind) throws IOException {
        if (recording == null) {
            return;
        }
        recording.stop();
        Path file = Path.of(System.getProperty("probe.jfr"), kind.name() + ".jfr");
        Files.createDirectories(file.getParent());
        recording.dump(file);
        recording.close();
    }

    private static double millisPerBatch(long ticks, int batches) {
        return ticks * 1000.0 / TICKS_PER_SECOND / batches;
    }

    /**
     * The local node's CPU per batch by thread group: this shows CPU that no Java thread's time
     * shows, the JIT compiler's and the garbage collector's (still compiling after the warm-up is
     * the sign that the warm-up was too short).
     */
    private static void printByThreadGroup(Map<String, Map<BatchKind, Double>> byGroup) {
        System.out.println();
        System.out.println("Local node CPU ms per batch by thread group (groups under 1 ms for every kind left out)");
        StringBuilder header = new StringBuilder("| thread group |");
        StringBuilder rule = new StringBuilder("|---|");
        for (BatchKind kind : BatchKind.values()) {
            header.append(' ').append(kind.label).append(" |");
            rule.append("---|");
        }
        System.out.println(header);
        System.out.println(rule);
        byGroup.forEach((group, millis) -> {
            if (millis.values().stream().allMatch(m -> m < 1.0)) {
                return;
            }
            StringBuilder row = new StringBuilder("| " + group + " |");
            for (BatchKind kind : BatchKind.values()) {
                row.append(String.format(Locale.ROOT, " %.1f |", millis.getOrDefault(kind, 0.0)));
            }
            System.out.println(row);
        });
    }

    /**
     * @return user + system clock ticks of this JVM's threads, summed by group: the thread's
     *     name as the kernel keeps it (its first 15 characters) without a trailing number or what
     *     follows a comma, so the replication workers, the JGroups pool and the JIT compiler
     *     threads each make one group. Threads that ended between two calls are missing from the
     *     later one.
     */
    static Map<String, Long> threadGroupTicks() {
        Map<String, Long> ticks = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            tasks.forEach(task -> {
                try {
                    String name = Files.readString(task.resolve("comm")).trim();
                    String group = name.replaceAll(",.*", "").replaceAll("[-#]?[0-9]+$", "");
                    ticks.merge(group, cpuTicks(Files.readString(task.resolve("stat"))), Long::sum);
                } catch (IOException e) {
                    // the thread ended while being read: its time is lost to both sides alike
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list this JVM's threads", e);
        }
        return ticks;
    }

    /** @return utime + stime of a /proc/.../stat line */
    private static long cpuTicks(String stat) {
        // Fields after the command name, which is in parentheses and may hold spaces.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
    }

    /** @return utime + stime of each process, in clock ticks */
    private static long[] ticks(List<Long> pids) {
        long[] ticks = new long[pids.size()];
        for (int i = 0; i < pids.size(); i++) {
            try {
                ticks[i] = cpuTicks(Files.readString(Path.of("/proc", pids.get(i).toString(), "stat")));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the CPU time of process " + pids.get(i), e);
            }
        }
        return ticks;
    }
}
