package io.checkpointservice.replica.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.testsupport.Payloads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The soak: a steady writer and node churn every minute for {@code soak.minutes} (default 30),
 * while the heap each long-lived JVM retains after a full GC is sampled every minute. Runs only
 * in the {@code soak} Maven profile ({@code mvn -pl replica-node -am verify -Psoak}), which sets
 * {@code soak.enabled}; the default build skips it.
 *
 * <p>Cluster (R = 2): A (app node, disk store; the writer's home, never killed), B (app node,
 * memory; never killed), R1 (storage-only replica node, {@code java -jar}; never killed), and the
 * churned app nodes C (disk) and D (memory). Churn, one event a minute, in turn:
 * <ol>
 *   <li>SIGKILL C and start it again;</li>
 *   <li>stop D gracefully and start it again;</li>
 *   <li>move the writer: awaitReplicated on A, then C loads every segment (exactly A's newest,
 *       G3 + G5) and writes from then on;</li>
 *   <li>SIGKILL the writer C; A loads every segment (at least the newest awaited version, with
 *       exactly the bytes written as that version, G4 + G7), writes from then on; C starts
 *       again on its old directory.</li>
 * </ol>
 * Between events the writer writes four segments of varied sizes (a few KiB to 4 MiB) a few
 * times a second, awaiting replication of every fifth write. Heap figures go to
 * {@code target/soak/heap.csv}, a summary to {@code target/soak/summary.txt}.
 *
 * <p>Asserted at the end: no correctness error at all (every error is recorded and the run goes
 * on, so one error still yields the figures), and for each long-lived JVM a flat heap: the
 * least-squares slope over the second half of the run below {@link #MAX_SLOPE_MIB_PER_MINUTE},
 * and the largest sample of the last window at most {@link #MAX_GROWTH_FACTOR} times the largest
 * of the first stable window plus {@link #GROWTH_ALLOWANCE_MIB} (windows of a sixth of the run:
 * minutes 6-10 and 26-30 of 30; the first five minutes are warm-up). Runs shorter than
 * {@link #MIN_MINUTES_FOR_HEAP_VERDICT} minutes (shakedowns) report the heap but do not judge it.
 */
@EnabledIfSystemProperty(named = "soak.enabled", matches = "true")
class SoakIT extends ClusterTestBase {

    /**
     * Steady growth a leak would show: keeping 8 KiB per write is about 1 MiB/min at the ~120
     * writes a minute of a loaded 2-core machine, keeping each written version's bytes well over
     * 100 MiB/min.
     */
    static final double MAX_SLOPE_MIB_PER_MINUTE = 1.0;
    static final double MAX_GROWTH_FACTOR = 1.25;
    /**
     * The live data a node may hold at one sample and not at another: which chunks it owns moves
     * with every churn event, and a write's old and new version can both be in flight. The four
     * segments' largest sizes add up to 6.3 MiB; twice that, rounded up. (Seen in a shakedown:
     * A between 16 and 29 MiB minute to minute with no trend.)
     */
    static final double GROWTH_ALLOWANCE_MIB = 16;

    /** Below this, a run is a shakedown: data correctness is asserted, the heap only reported. */
    static final int MIN_MINUTES_FOR_HEAP_VERDICT = 10;

    private static final int SEGMENTS = 4;
    /** Size range of each segment: tiny, small, one-chunk-plus, several chunks. */
    private static final int[][] SIZES = {{2_000, 20_000}, {100_000, 300_000}, {1_000_000, 2_000_000},
        {3_000_000, 4_000_000}};
    private static final long WRITE_PAUSE_MILLIS = 250;
    private static final Duration FAILOVER_RETRY = Duration.ofSeconds(90);

    private final NodeOptions diskNode = NodeOptions.memory(2).onDisk();
    private final NodeOptions memoryNode = NodeOptions.memory(2);
    private final List<String> errors = new ArrayList<>();
    private final Map<String, Integer> counters = new TreeMap<>();
    /** Per segment: every version written since the last loss, with its bytes (by size and seed). */
    private final Map<String, TreeMap<Long, Payloads.Expected>> written = new LinkedHashMap<>();
    /** Per segment: the newest version awaitReplicated confirmed. */
    private final Map<String, Long> acknowledged = new LinkedHashMap<>();
    private final Random random = new Random(Long.getLong("soak.seed", 20261123L));

    private NodeProcess a;
    private NodeProcess b;
    private NodeProcess c;
    private NodeProcess d;
    private ReplicaProcess r1;
    private NodeProcess writer;
    private long writeSeed = 1;

    @Test
    @Timeout(value = 4 * 3600)
    void heapStaysFlatAndDataCorrectUnderChurn() throws IOException {
        int minutes = Integer.getInteger("soak.minutes", 30);
        Path out = Path.of(System.getProperty("it.buildDirectory", "target"), "soak");
        Files.createDirectories(out);
        System.out.println("soak: " + minutes + " min, seed " + Long.getLong("soak.seed", 20261123L) + ", figures in "
                + out.toAbsolutePath());

        cluster.plan("A", "B", "R1", "C", "D");
        a = cluster.launchApp("A", diskNode);
        b = cluster.launchApp("B", memoryNode);
        r1 = cluster.launchReplica("R1", memoryNode);
        c = cluster.launchApp("C", diskNode);
        d = cluster.launchApp("D", memoryNode);
        cluster.awaitReady(a, b, r1, c, d);
        cluster.awaitView(Set.of("A", "B", "R1", "C", "D"), a, b, c, d);
        writer = a;
        for (int i = 0; i < SEGMENTS; i++) {
            written.put("soak-" + i, new TreeMap<>());
            acknowledged.put("soak-" + i, 0L);
        }

        HeapLog heap = new HeapLog(out.resolve("heap.csv"));
        long start = System.nanoTime();
        List<NodeProcess> starting = new ArrayList<>();
        for (int minute = 1; minute <= minutes; minute++) {
            long minuteEnd = start + Duration.ofMinutes(minute).toNanos();
            churn(minute, starting);
            writeUntil(minuteEnd - Duration.ofSeconds(8).toNanos());
            for (NodeProcess p : starting) {
                cluster.awaitReady(p);
            }
            starting.clear();
            heap.sample(minute, "A", a.heapAfterGc());
            heap.sample(minute, "B", b.heapAfterGc());
            heap.sample(minute, "R1", JcmdHeap.usedAfterFullGc(r1.pid()), -1);
            System.out.println("soak minute " + minute + "/" + minutes + ": " + counters + ", errors " + errors.size()
                    + ", heap MiB " + heap.latest());
            long left = minuteEnd - System.nanoTime();
            if (left > 0) {
                ClusterProcess.sleep(left / 1_000_000);
            }
        }

        String summary = heap.summary(minutes) + "counters " + counters + "\nerrors " + errors.size() + "\n"
                + String.join("\n", errors) + "\n";
        Files.writeString(out.resolve("summary.txt"), summary);
        System.out.println("soak summary:\n" + summary);
        assertTrue(errors.isEmpty(), () -> errors.size() + " correctness errors during the soak:\n"
                + String.join("\n", errors));
        if (minutes < MIN_MINUTES_FOR_HEAP_VERDICT) {
            // A shakedown: two or three samples per window say nothing about a trend (one churn
            // event moves a node's live data by ~15 MiB); the figures are written, not judged.
            System.out.println("soak: " + minutes + " min is too short to judge the heap (needs "
                    + MIN_MINUTES_FOR_HEAP_VERDICT + "); correctness was checked");
            return;
        }
        for (String node : List.of("A", "B", "R1")) {
            heap.assertFlat(node, minutes);
        }
    }

    // ---- churn ----

    private void churn(int minute, List<NodeProcess> starting) {
        switch ((minute - 1) % 4) {
            case 0 -> {
                count("churn: SIGKILL replica C");
                c.kill();
                c = cluster.relaunchApp("C", diskNode);
                starting.add(c);
            }
            case 1 -> {
                count("churn: graceful stop of replica D");
                d.shutdown(Duration.ofSeconds(90));
                d = cluster.relaunchApp("D", memoryNode);
                starting.add(d);
            }
            case 2 -> moveWriter(a, c);
            default -> killWriter();
        }
    }

    /** Planned move: everything awaited on the old writer, so the new one must load exactly the newest. */
    private void moveWriter(NodeProcess from, NodeProcess to) {
        count("churn: writer moved " + from.name() + " -> " + to.name());
        for (String segment : written.keySet()) {
            TreeMap<Long, Payloads.Expected> versions = written.get(segment);
            if (versions.isEmpty()) {
                continue;
            }
            long newest = versions.lastKey();
            if (!await(from, segment, newest)) {
                continue;
            }
            NodeProcess.Reply reply = loadRetrying(to, segment);
            count("loads");
            check(reply, segment, newest, newest, to.name() + " taking over from " + from.name());
        }
        writer = to;
    }

    /** The writer dies: the new one must load at least the newest awaited version, with its exact bytes. */
    private void killWriter() {
        NodeProcess dead = writer;
        NodeProcess next = dead == a ? c : a;
        count("churn: SIGKILL writer " + dead.name() + ", failover to " + next.name());
        dead.kill();
        for (String segment : written.keySet()) {
            if (written.get(segment).isEmpty()) {
                continue;
            }
            NodeProcess.Reply reply = loadRetrying(next, segment);
            count("loads");
            long floor = acknowledged.get(segment);
            check(reply, segment, floor, written.get(segment).lastKey(), "failover load on " + next.name());
            if (reply.status() == 200) {
                // Versions above the loaded one died with the writer; the new writer reuses their numbers.
                written.get(segment).tailMap(reply.version(), false).clear();
            }
        }
        writer = next;
        if (dead == c) {
            c = cluster.relaunchApp("C", diskNode); // on its old directory: its stale copies must never win
            cluster.awaitReady(c);
        }
    }

    // ---- writing and checking ----

    private void writeUntil(long deadlineNanos) {
        List<String> segments = new ArrayList<>(written.keySet());
        int n = 0;
        while (System.nanoTime() < deadlineNanos) {
            int index = random.nextInt(SEGMENTS);
            String segment = segments.get(index);
            int size = SIZES[index][0] + random.nextInt(SIZES[index][1] - SIZES[index][0] + 1);
            Payloads.Expected payload = Payloads.Expected.of(size, writeSeed++);
            NodeProcess.Reply reply = writer.tryWrite(segment, payload);
            count("writes");
            if (reply.status() != 200 || !payload.sha256().equals(reply.get("sha256"))) {
                error("write of " + segment + " (" + payload + ") on " + writer.name() + ": " + reply);
                continue;
            }
            long version = reply.version();
            TreeMap<Long, Payloads.Expected> versions = written.get(segment);
            if (!versions.isEmpty() && version <= versions.lastKey()) {
                error("write of " + segment + " on " + writer.name() + " returned v" + version
                        + ", not above the newest written v" + versions.lastKey());
            }
            versions.put(version, payload);
            if (++n % 5 == 0) {
                await(writer, segment, version);
            }
            ClusterProcess.sleep(WRITE_PAUSE_MILLIS);
        }
    }

    private boolean await(NodeProcess node, String segment, long version) {
        count("awaitReplicated");
        if (node.awaitReplicated(segment, version, REPLICATION_TIMEOUT)) {
            acknowledged.merge(segment, version, Math::max);
            return true;
        }
        error("awaitReplicated(" + segment + ", v" + version + ") on " + node.name() + " false within "
                + REPLICATION_TIMEOUT + " with R = 2 and at least 3 other nodes up");
        return false;
    }

    /** Load, retrying "unavailable" (G8: the caller may retry) while a dead node's loss is detected. */
    private NodeProcess.Reply loadRetrying(NodeProcess node, String segment) {
        long deadline = System.nanoTime() + FAILOVER_RETRY.toNanos();
        while (true) {
            NodeProcess.Reply reply = node.load(segment);
            if (reply.status() != 503 || System.nanoTime() > deadline) {
                return reply;
            }
            count("load retries after 503");
            ClusterProcess.sleep(500);
        }
    }

    /** Records an error unless the load returned a version in [lowest, highest] with exactly its written bytes. */
    private void check(NodeProcess.Reply reply, String segment, long lowest, long highest, String context) {
        if (reply.status() != 200) {
            error(context + ": load of " + segment + " failed: " + reply);
            return;
        }
        long version = reply.version();
        Payloads.Expected expected = written.get(segment).get(version);
        if (version < lowest || version > highest) {
            error(context + ": load of " + segment + " returned v" + version + ", expected v" + lowest
                    + (highest != lowest ? ".." + highest : ""));
        } else if (expected == null) {
            error(context + ": load of " + segment + " returned v" + version + ", a version never written");
        } else if (!expected.sha256().equals(reply.get("sha256"))) {
            error(context + ": load of " + segment + " v" + version + " returned other bytes than written ("
                    + expected + "): " + reply);
        }
    }

    private void count(String what) {
        counters.merge(what, 1, Integer::sum);
    }

    private void error(String message) {
        String line = Instant.now() + " " + message;
        errors.add(line);
        System.out.println("SOAK ERROR " + line);
    }

    /** Heap samples per node, written to a CSV as they come, and the flatness checks. */
    static final class HeapLog {

        private final Path csv;
        private final Map<String, TreeMap<Integer, Double>> samples = new LinkedHashMap<>();
        private final Map<String, TreeMap<Integer, Integer>> threads = new LinkedHashMap<>();

        HeapLog(Path csv) {
            this.csv = csv;
            write("minute,node,heap_used_after_gc_mib,threads\n", false);
        }

        /** A sample of an app node: heap used after GC and its live threads. */
        void sample(int minute, String node, NodeProcess.Reply heap) {
            heap.expectStatus(200, "heap sample of " + node);
            sample(minute, node, Long.parseLong(heap.get("usedBytes")), Integer.parseInt(heap.get("threads")));
        }

        /** @param threads the JVM's live threads, -1 when not known */
        void sample(int minute, String node, long bytes, int threads) {
            double mib = bytes / 1048576.0;
            samples.computeIfAbsent(node, n -> new TreeMap<>()).put(minute, mib);
            if (threads >= 0) {
                this.threads.computeIfAbsent(node, n -> new TreeMap<>()).put(minute, threads);
            }
            write(String.format("%d,%s,%.2f,%s%n", minute, node, mib, threads < 0 ? "" : threads), true);
        }

        Map<String, String> latest() {
            Map<String, String> latest = new LinkedHashMap<>();
            samples.forEach((node, s) -> latest.put(node, String.format("%.1f", s.lastEntry().getValue())));
            return latest;
        }

        /** Width of the compared windows: a sixth of the run, at least one sample. */
        static int window(int minutes) {
            return Math.max(1, minutes / 6);
        }

        String summary(int minutes) {
            StringBuilder s = new StringBuilder();
            samples.forEach((node, series) -> s.append(String.format(
                    "%s: heap used after GC min %.1f MiB, max %.1f MiB, first-stable-window max %.1f MiB, "
                            + "last-window max %.1f MiB, slope over second half %.3f MiB/min%n",
                    node, series.values().stream().mapToDouble(Double::doubleValue).min().orElse(0),
                    series.values().stream().mapToDouble(Double::doubleValue).max().orElse(0),
                    stableMax(series, minutes), lastMax(series, minutes), secondHalfSlope(series))));
            threads.forEach((node, series) -> s.append(String.format("%s: live threads first %d, min %d, max %d, last %d%n",
                    node, series.firstEntry().getValue(), series.values().stream().mapToInt(Integer::intValue).min().orElse(0),
                    series.values().stream().mapToInt(Integer::intValue).max().orElse(0), series.lastEntry().getValue())));
            return s.toString();
        }

        void assertFlat(String node, int minutes) {
            TreeMap<Integer, Double> series = samples.get(node);
            double slope = secondHalfSlope(series);
            assertTrue(slope < MAX_SLOPE_MIB_PER_MINUTE, () -> String.format("heap of %s grows: slope over the second "
                    + "half %.3f MiB/min, bound %.1f; samples %s", node, slope, MAX_SLOPE_MIB_PER_MINUTE, series));
            double first = stableMax(series, minutes);
            double last = lastMax(series, minutes);
            double bound = first * MAX_GROWTH_FACTOR + GROWTH_ALLOWANCE_MIB;
            assertTrue(last <= bound, () -> String.format("heap of %s grows: last-window max %.1f MiB > %.2f x "
                    + "first-stable-window max %.1f MiB + %.0f MiB; samples %s", node, last, MAX_GROWTH_FACTOR,
                    first, GROWTH_ALLOWANCE_MIB, series));
        }

        /** Largest sample of minutes (w, 2w]: the first window after warm-up. */
        static double stableMax(TreeMap<Integer, Double> series, int minutes) {
            int w = window(minutes);
            return max(series.subMap(w + 1, true, Math.max(w + 1, 2 * w), true));
        }

        /** Largest sample of the last w minutes. */
        static double lastMax(TreeMap<Integer, Double> series, int minutes) {
            return max(series.tailMap(series.lastKey() - window(minutes) + 1, true));
        }

        private static double max(Map<Integer, Double> window) {
            return window.values().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        }

        /** Least-squares slope, MiB per minute, over the second half of the samples. */
        static double secondHalfSlope(TreeMap<Integer, Double> series) {
            Map<Integer, Double> half = series.tailMap(series.firstKey() + series.size() / 2, true);
            double n = half.size();
            if (n < 2) {
                return 0;
            }
            double sx = 0;
            double sy = 0;
            double sxx = 0;
            double sxy = 0;
            for (Map.Entry<Integer, Double> e : half.entrySet()) {
                sx += e.getKey();
                sy += e.getValue();
                sxx += (double) e.getKey() * e.getKey();
                sxy += e.getKey() * e.getValue();
            }
            return (n * sxy - sx * sy) / (n * sxx - sx * sx);
        }

        private void write(String text, boolean append) {
            try {
                if (append) {
                    Files.writeString(csv, text, java.nio.file.StandardOpenOption.APPEND);
                } else {
                    Files.writeString(csv, text);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
