package io.checkpointservice.bench;

import io.checkpointservice.api.Checkpoint;
import io.checkpointservice.ra.config.AdapterSettings;
import io.checkpointservice.ra.config.ClusterSettings;
import io.checkpointservice.ra.config.Settings;
import io.checkpointservice.ra.config.StorageMode;
import io.checkpointservice.ra.service.CheckpointNode;
import io.checkpointservice.ra.service.CheckpointService;
import io.checkpointservice.ra.store.SyncPolicy;
import io.checkpointservice.ra.threads.PlainNodeThreads;
import io.checkpointservice.testsupport.Await;
import io.checkpointservice.testsupport.Directories;
import io.checkpointservice.testsupport.JavaCommand;
import io.checkpointservice.testsupport.JavaProcess;
import io.checkpointservice.testsupport.LoopbackPorts;
import io.checkpointservice.testsupport.Payloads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The whole-cluster restart figure of docs/PERFORMANCE.md: how soon after every node of a
 * disk-mode cluster was SIGKILLed and started again a node that did not write the segments loads
 * them.
 *
 * <p>Three checkpoint nodes, each a JVM of its own started from this class ({@code node} mode: a
 * {@link CheckpointNode} in disk mode, syncPolicy none, R = 2, the product's defaults otherwise),
 * on 127.0.0.1. Node A writes {@code segments} segments and awaits them all
 * ({@code awaitAllReplicated}); then, {@code restarts} times: every node is SIGKILLed at once and
 * all three are started again at once (C, B, A). One node other than A (B, then C, in turn) loads
 * a sample of the segments as soon as its node has started: every {@code sampleEvery}-th one,
 * a different sample each restart, so no sampled segment was ever loaded before. It reports when
 * its first load succeeded and when every sampled segment had loaded, with the bytes A wrote; the
 * table gives both from the moment the last node's process was started and from the moment
 * every node's start had returned (the cluster formed and each node's record journal read back:
 * what the start of a resource adapter waits for; the kept chunks are put back after it).
 *
 * <pre>java -cp bench/target/benchmarks.jar io.checkpointservice.bench.RestartProbe [segments=10000] [sizeBytes=4096] [restarts=3] [sampleEvery=10]</pre>
 *
 * Run from the project root; node logs in {@code java.io.tmpdir/checkpoint-bench/restart-*}, kept
 * with {@code -Dbench.keepLogs=true}. {@code -Dbench.replicaJvmArgs} adds JVM options to every node
 * ({@link LoopbackCluster#extraJvmOptions}), e.g. a flight recording to see where a start spends its time.
 */
public final class RestartProbe {

    private static final String NAMESPACE = LoopbackCluster.NAMESPACE;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    /** How long a probing node keeps trying before it reports the samples that never loaded. */
    private static final long PROBE_LIMIT_MILLIS = 180_000;
    private static final String[] NAMES = {"A", "B", "C"};

    private RestartProbe() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("node")) {
            NodeMain.run(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        int segments = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int sizeBytes = args.length > 1 ? Integer.parseInt(args[1]) : 4096;
        int restarts = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int sampleEvery = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        if (restarts > sampleEvery) {
            throw new IllegalArgumentException("restarts (" + restarts + ") > sampleEvery (" + sampleEvery
                    + "): each restart needs a sample of its own");
        }
        new Orchestrator(segments, sizeBytes, restarts, sampleEvery).run();
    }

    /** One restart's times, epoch milliseconds. */
    private record Round(int number, String prober, long lastStart, long started, long first, long all,
                         int loaded, int sampled, int absent, int wrong) {
    }

    /** Starts, kills and restarts the three node processes, and prints the table. */
    private static final class Orchestrator {
        private final int segments;
        private final int sizeBytes;
        private final int restarts;
        private final int sampleEvery;
        private final String clusterName = "bench-restart-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
        private final Path work;
        private final Map<String, Integer> ports = new LinkedHashMap<>();
        private final Map<String, JavaProcess> processes = new HashMap<>();
        private final String hosts;

        Orchestrator(int segments, int sizeBytes, int restarts, int sampleEvery) throws IOException {
            this.segments = segments;
            this.sizeBytes = sizeBytes;
            this.restarts = restarts;
            this.sampleEvery = sampleEvery;
            Path base = Path.of(System.getProperty("java.io.tmpdir"), "checkpoint-bench");
            Files.createDirectories(base);
            this.work = Files.createDirectories(base.resolve(clusterName));
            List<String> list = new ArrayList<>();
            for (String name : NAMES) {
                int port = LoopbackPorts.pair(ClusterSettings.FAILURE_DETECTION_PORT_OFFSET);
                ports.put(name, port);
                list.add("127.0.0.1[" + port + "]");
            }
            this.hosts = String.join(",", list);
        }

        void run() {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> processes.values().forEach(JavaProcess::killQuietly)));
            List<Round> rounds = new ArrayList<>();
            try {
                System.out.printf(Locale.ROOT, "restart probe: %d segments of %d bytes, %d restarts, every %d-th sampled; %s%n",
                        segments, sizeBytes, restarts, sampleEvery, work);
                start("C", "idle", 0);
                await("C", "STARTED");
                start("B", "idle", 0);
                start("A", "write", 0);
                Matcher written = await("A", "WRITTEN (\\d+) (\\d+)");
                System.out.printf(Locale.ROOT, "A wrote and awaited %s segments in %s ms%n", written.group(1), written.group(2));
                for (int round = 1; round <= restarts; round++) {
                    processes.values().forEach(JavaProcess::sendKill);
                    processes.values().forEach(JavaProcess::kill);
                    String prober = round % 2 == 1 ? "B" : "C";
                    start("C", prober.equals("C") ? "probe" : "idle", round - 1);
                    start("B", prober.equals("B") ? "probe" : "idle", round - 1);
                    long lastStart = System.currentTimeMillis();
                    start("A", "idle", 0);
                    Matcher all = await(prober, "ALL (-?\\d+) (\\d+) (\\d+) (\\d+) (\\d+)");
                    long started = 0;
                    for (String name : NAMES) {
                        started = Math.max(started, Long.parseLong(await(name, "STARTED (\\d+)").group(1)));
                    }
                    long first = Long.parseLong(await(prober, "FIRST (-?\\d+)").group(1));
                    rounds.add(new Round(round, prober, lastStart, started, first, Long.parseLong(all.group(1)),
                            Integer.parseInt(all.group(2)), Integer.parseInt(all.group(3)),
                            Integer.parseInt(all.group(4)), Integer.parseInt(all.group(5))));
                    System.out.println("restart " + round + " done");
                }
            } finally {
                processes.values().forEach(JavaProcess::killQuietly);
                if (!Boolean.getBoolean("bench.keepLogs")) {
                    Directories.deleteQuietly(work);
                }
            }
            print(rounds);
        }

        private void start(String name, String role, int sampleOffset) {
            JavaCommand command = JavaCommand.create().maxHeap("512m")
                    .jvmOptions("-Djava.net.preferIPv4Stack=true")
                    .jvmOptions(LoopbackCluster.extraJvmOptions(name))
                    .mainClass(System.getProperty("java.class.path"), RestartProbe.class.getName())
                    .arguments("node", name, Integer.toString(ports.get(name)), hosts, clusterName,
                            work.resolve(name + "-data").toString(), role, Integer.toString(segments),
                            Integer.toString(sizeBytes), Integer.toString(sampleEvery), Integer.toString(sampleOffset));
            processes.put(name, JavaProcess.start(name, work.resolve(name + ".log"), command.toList()));
        }

        private Matcher await(String name, String line) {
            return processes.get(name).awaitLogLine(Pattern.compile("PROBE " + line), START_TIMEOUT.plusMillis(PROBE_LIMIT_MILLIS));
        }

        private void print(List<Round> rounds) {
            System.out.printf(Locale.ROOT, "%nRESTART: %d segments of %d bytes written on A and awaited; every node SIGKILLed, "
                    + "all restarted at once; ms from the last node's process start (and from the moment every node's start had returned)%n%n",
                    segments, sizeBytes);
            System.out.println("| restart | loaded on | every node started | first load | after every node started | all sampled loaded | after every node started | loaded / sampled | absent answers | wrong bytes |");
            System.out.println("|---|---|---|---|---|---|---|---|---|---|");
            for (Round r : rounds) {
                System.out.printf(Locale.ROOT, "| %d | %s | %d | %s | %s | %s | %s | %d / %d | %d | %d |%n", r.number(), r.prober(),
                        r.started() - r.lastStart(), since(r.first(), r.lastStart()), since(r.first(), r.started()),
                        since(r.all(), r.lastStart()), since(r.all(), r.started()), r.loaded(), r.sampled(), r.absent(), r.wrong());
            }
        }

        private static String since(long time, long start) {
            return time < 0 ? "never" : Long.toString(time - start);
        }
    }

    /** One checkpoint node process: {@code node NAME PORT HOSTS CLUSTER DIR ROLE SEGMENTS SIZE SAMPLE_EVERY SAMPLE_OFFSET}. */
    private static final class NodeMain {

        /** Strong references: keeps Infinispan's and JGroups' INFO lines out of the log. */
        private static final List<Logger> QUIET = List.of(Logger.getLogger("org.infinispan"), Logger.getLogger("org.jgroups"));

        static void run(String[] args) throws InterruptedException {
            QUIET.forEach(l -> l.setLevel(Level.WARNING));
            String name = args[0];
            int port = Integer.parseInt(args[1]);
            List<String> hosts = List.of(args[2].split(","));
            String role = args[5];
            int segments = Integer.parseInt(args[6]);
            int sizeBytes = Integer.parseInt(args[7]);
            int sampleEvery = Integer.parseInt(args[8]);
            int sampleOffset = Integer.parseInt(args[9]);
            AdapterSettings settings = new AdapterSettings(name, StorageMode.DISK, Path.of(args[4]), SyncPolicy.NONE,
                    Settings.MAX_SEGMENT_BYTES.defaultValue(), Settings.REPLICA_COUNT.defaultValue(),
                    Settings.REPLICATION_WORKERS.defaultValue());
            ClusterSettings cluster = new ClusterSettings(args[3], "127.0.0.1", port, ClusterSettings.Discovery.STATIC,
                    hosts, null, null, null, 1.0f, null, Duration.ofSeconds(ClusterSettings.DEFAULT_CHUNK_SWEEP_SECONDS));
            PlainNodeThreads threads = new PlainNodeThreads("restart-probe");
            CheckpointNode node = CheckpointNode.start(settings, cluster, threads);
            report("STARTED " + System.currentTimeMillis() + " jvm " + ManagementFactory.getRuntimeMXBean().getStartTime());
            CheckpointService service = node.service();
            switch (role) {
                case "write" -> write(service, node, segments, sizeBytes);
                case "probe" -> probe(service, segments, sizeBytes, sampleEvery, sampleOffset);
                case "idle" -> { }
                default -> throw new IllegalArgumentException("role " + role);
            }
            Thread.sleep(Long.MAX_VALUE); // until SIGKILLed
        }

        private static void write(CheckpointService service, CheckpointNode node, int segments, int sizeBytes) {
            while (node.cluster().members().size() < NAMES.length) {
                Await.pause(50);
            }
            long start = System.nanoTime();
            Map<String, Long> versions = new HashMap<>();
            for (int i = 0; i < segments; i++) {
                versions.put(name(i), service.write(NAMESPACE, name(i), payload(i, sizeBytes)));
            }
            if (!service.awaitAllReplicated(NAMESPACE, versions, Duration.ofMinutes(10))) {
                report("FAILED awaitAllReplicated of " + segments + " segments was false after 10 minutes");
                return;
            }
            report("WRITTEN " + segments + " " + (System.nanoTime() - start) / 1_000_000);
        }

        /**
         * Loads the sample until the first load succeeds, then every sampled segment until each
         * has loaded once with A's bytes. "Unavailable" (an exception) is retried: the cluster is
         * still putting itself together. "Absent" must never come and is counted, and retried.
         */
        private static void probe(CheckpointService service, int segments, int sizeBytes, int sampleEvery, int offset) {
            List<Integer> pending = new ArrayList<>();
            for (int i = offset; i < segments; i += sampleEvery) {
                pending.add(i);
            }
            int sampled = pending.size();
            int absent = 0;
            int wrong = 0;
            long first = -1;
            long deadline = System.currentTimeMillis() + PROBE_LIMIT_MILLIS;
            while (!pending.isEmpty() && System.currentTimeMillis() < deadline) {
                List<Integer> still = new ArrayList<>();
                for (int i : pending) {
                    Optional<Checkpoint> loaded;
                    try {
                        loaded = service.load(NAMESPACE, name(i));
                    } catch (RuntimeException e) {
                        still.add(i);
                        continue;
                    }
                    if (loaded.isEmpty()) {
                        absent++;
                        still.add(i);
                    } else if (!Arrays.equals(loaded.get().state(), payload(i, sizeBytes))) {
                        wrong++;
                        still.add(i);
                    } else if (first < 0) {
                        first = System.currentTimeMillis();
                        report("FIRST " + first);
                    }
                }
                pending = still;
                if (!pending.isEmpty()) {
                    Await.pause(10);
                }
            }
            if (first < 0) {
                report("FIRST -1");
            }
            report("ALL " + (pending.isEmpty() ? System.currentTimeMillis() : -1) + " " + (sampled - pending.size())
                    + " " + sampled + " " + absent + " " + wrong);
        }

        private static String name(int i) {
            return "restart-" + i;
        }

        private static byte[] payload(int i, int sizeBytes) {
            return Payloads.generate(sizeBytes, i);
        }

        private static void report(String line) {
            System.out.println("PROBE " + line);
            System.out.flush();
        }
    }
}
