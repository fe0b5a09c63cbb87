package io.checkpointservice.bench;

import io.checkpointservice.api.CheckpointException;
import io.checkpointservice.ra.cluster.ClusterNode;
import io.checkpointservice.ra.config.AdapterSettings;
import io.checkpointservice.ra.config.ClusterSettings;
import io.checkpointservice.ra.config.GlobalStoreSettings;
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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.infinispan.Cache;
import org.infinispan.commons.api.CacheContainerAdmin;
import org.infinispan.configuration.cache.CacheMode;
import org.infinispan.configuration.cache.ConfigurationBuilder;
import org.infinispan.context.Flag;
import org.infinispan.manager.EmbeddedCacheManager;
import org.infinispan.topology.CacheTopology;

/**
 * The cluster every benchmark runs on, all on 127.0.0.1: one checkpoint node in this JVM (the JMH
 * fork), the node an application would run on, joined by storage-only replica processes started
 * exactly as an operator starts them ({@code java -jar checkpoint-replica-node.jar} with
 * {@code -Dcheckpoint.*} settings). Each cluster has a unique name and its own free ports, so it
 * never merges with another one (a leftover of an earlier run, or the tests of another build).
 *
 * <p>The raw Infinispan baseline runs on the very same JGroups channel and the very same member
 * processes: {@link #rawCache} defines a plain DIST_SYNC cache cluster-wide through Infinispan's
 * administration API, so baseline and product share nodes, network, threads and JVMs.
 *
 * <p>{@link #close} stops the local node and kills every replica process by its PID.
 */
public final class LoopbackCluster implements AutoCloseable {

    /** How long {@link #close()} waits for the local node's graceful stop before killing the replicas. */
    private static final Duration NODE_CLOSE_LIMIT = Duration.ofSeconds(30);

    /** Keeps Infinispan's and JGroups' INFO chatter out of JMH's output (strong references). */
    private static final List<Logger> QUIET = Stream.of("org.infinispan", "org.jgroups")
            .map(Logger::getLogger).peek(l -> l.setLevel(Level.WARNING)).collect(Collectors.toList());
    private static final Pattern READY = Pattern.compile("ready at");
    static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    /** How often {@link #awaitChunkRemovals} looks: 0.05 ms is nothing against a batch of about 100 ms. */
    private static final long POLL_NANOS = 50_000;
    /** The namespace of the benchmark's segments. */
    public static final String NAMESPACE = "bench";

    private final Spec spec;
    private final String clusterName;
    private final Path workDirectory;
    private final List<JavaProcess> replicas = new ArrayList<>();
    /** The benchmarked node: a {@link CheckpointNode}, or an {@link UnjournaledNode} (disk store, no journals). */
    private AutoCloseable node;
    private ClusterNode membership;
    private CheckpointService service;
    private final PlainNodeThreads threads = new PlainNodeThreads("bench");

    /**
     * How one benchmark cluster is set up.
     *
     * @param storage the benchmarked node's local store: {@code memory}, {@code disk-none}
     *     (disk, syncPolicy none) or {@code disk-fsync}
     * @param replicaCount R, the same on every node
     * @param replicaProcesses how many storage-only replica processes join
     * @param localCapacityFactor the benchmarked node's capacityFactor; 0 makes it hold no chunk
     *     copies, so every chunk it reads comes over the network (the restore case)
     * @param replicaHeap the replica processes' -Xmx
     * @param journals disk-mode persistence on every node: the benchmarked node is the product's
     *     disk-mode node (record and chunk journals) and the replica processes run in disk mode
     *     too. False with a disk store: the benchmarked node is {@link UnjournaledNode}, the
     *     replicas keep everything in memory (the persistence figures' baseline)
     * @param globalStore every node configured with a global store in a {@code file:} directory
     *     of this cluster's work directory
     */
    public record Spec(String storage, int replicaCount, int replicaProcesses, float localCapacityFactor,
                       String replicaHeap, boolean journals, boolean globalStore) {

        /** The product's defaults: R = 2, two replica processes, memory store, no global store. */
        public static Spec defaults() {
            return new Spec("memory", Settings.REPLICA_COUNT.defaultValue(), 2, 1.0f,
                    System.getProperty("bench.replicaHeap", "1g"), false, false);
        }

        /**
         * A storage name; a disk store gets the product's disk mode, journals included (as
         * {@code durability("journals")}).
         */
        public Spec storage(String value) {
            return new Spec(value, replicaCount, replicaProcesses, localCapacityFactor, replicaHeap,
                    value.startsWith("disk"), globalStore);
        }

        /**
         * The persistence of the durability figures, after {@link #storage}: {@code none} (a disk
         * store without journals anywhere, or memory), {@code journals} (disk mode on every node,
         * as the product runs it), {@code global} (memory store, a global store), or
         * {@code journals+global}.
         */
        public Spec durability(String value) {
            boolean withJournals = switch (value) {
                case "none", "global" -> false;
                case "journals", "journals+global" -> true;
                default -> throw new IllegalArgumentException("durability '" + value
                        + "' is not one of: none, journals, global, journals+global");
            };
            if (withJournals && !storage.startsWith("disk")) {
                throw new IllegalArgumentException("durability '" + value + "' needs a disk store, not " + storage);
            }
            return new Spec(storage, replicaCount, replicaProcesses, localCapacityFactor, replicaHeap,
                    withJournals, value.endsWith("global"));
        }

        /** No replica process and R = 0: the node alone, with no replication traffic at all. */
        public Spec alone() {
            return new Spec(storage, 0, 0, localCapacityFactor, replicaHeap, journals, globalStore);
        }

        public Spec replicaCount(int value) {
            return new Spec(storage, value, replicaProcesses, localCapacityFactor, replicaHeap, journals, globalStore);
        }

        public Spec localCapacityFactor(float value) {
            return new Spec(storage, replicaCount, replicaProcesses, value, replicaHeap, journals, globalStore);
        }

        String durabilityName() {
            return journals ? (globalStore ? "journals+global" : "journals") : (globalStore ? "global" : "none");
        }

        StorageMode storageMode() {
            return storage.startsWith("disk") ? StorageMode.DISK : StorageMode.MEMORY;
        }

        SyncPolicy syncPolicy() {
            return switch (storage) {
                case "memory", "disk-none" -> SyncPolicy.NONE;
                case "disk-fsync" -> SyncPolicy.FSYNC;
                default -> throw new IllegalArgumentException("storage '" + storage
                        + "' is not one of: memory, disk-none, disk-fsync");
            };
        }
    }

    private LoopbackCluster(Spec spec) {
        this.spec = spec;
        this.clusterName = "bench-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24))
                + "-" + ProcessHandle.current().pid();
        try {
            Path base = Path.of(System.getProperty("bench.workDirectory",
                    Path.of(System.getProperty("java.io.tmpdir"), "checkpoint-bench").toString()));
            Files.createDirectories(base);
            this.workDirectory = Files.createDirectories(base.resolve(clusterName));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the benchmark's work directory", e);
        }
    }

    /**
     * Starts the local node, then the replica processes, and returns once every member sees the
     * whole cluster and a probe segment is replicated (G3), i.e. the cluster is ready to measure.
     */
    public static LoopbackCluster start(Spec spec) {
        LoopbackCluster cluster = new LoopbackCluster(spec);
        try {
            cluster.startAll();
            return cluster;
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    private void startAll() {
        spec.syncPolicy(); // checks the storage name before anything starts
        Path replicaJar = copyReplicaJar();
        int localPort = LoopbackPorts.pair(ClusterSettings.FAILURE_DETECTION_PORT_OFFSET);
        List<Integer> replicaPorts = new ArrayList<>();
        for (int i = 0; i < spec.replicaProcesses(); i++) {
            replicaPorts.add(LoopbackPorts.pair(ClusterSettings.FAILURE_DETECTION_PORT_OFFSET));
        }
        List<String> hosts = new ArrayList<>();
        hosts.add("127.0.0.1[" + localPort + "]");
        replicaPorts.forEach(p -> hosts.add("127.0.0.1[" + p + "]"));

        // -Dcheckpoint.replicationWorkers (e.g. -jvmArgsAppend) compares worker counts; else the product's default.
        int workers = Integer.getInteger("checkpoint.replicationWorkers", Settings.REPLICATION_WORKERS.defaultValue());
        AdapterSettings settings = new AdapterSettings("bench-app", spec.storageMode(),
                workDirectory.resolve("store"), spec.syncPolicy(), Settings.MAX_SEGMENT_BYTES.defaultValue(), spec.replicaCount(),
                workers);
        ClusterSettings clusterSettings = new ClusterSettings(clusterName, "127.0.0.1", localPort,
                ClusterSettings.Discovery.STATIC, hosts, null, null, null, spec.localCapacityFactor(), null,
                Duration.ofSeconds(ClusterSettings.DEFAULT_CHUNK_SWEEP_SECONDS));
        if (spec.globalStore()) {
            clusterSettings = clusterSettings.withGlobalStore(GlobalStoreSettings.at(globalStoreUrl()));
        }
        // The first replica alone, so that it becomes the coordinator everyone else joins (nodes
        // started together could form separate clusters and merge seconds later), and so that a
        // local node with capacityFactor 0 finds a member that can own chunks: Infinispan does
        // not let a cache start on zero-capacity members only.
        if (!replicaPorts.isEmpty()) {
            replicas.add(startReplica(replicaJar, "bench-replica-1", replicaPorts.get(0), hosts));
            awaitReady(replicas.get(0));
        }
        for (int i = 1; i < replicaPorts.size(); i++) {
            replicas.add(startReplica(replicaJar, "bench-replica-" + (i + 1), replicaPorts.get(i), hosts));
        }
        if (spec.storageMode() == StorageMode.DISK && !spec.journals()) {
            UnjournaledNode baseline = UnjournaledNode.start(settings, clusterSettings, threads);
            node = baseline;
            membership = baseline.cluster();
            service = baseline.service();
        } else {
            CheckpointNode product = CheckpointNode.start(settings, clusterSettings, threads);
            node = product;
            membership = product.cluster();
            service = product.service();
        }
        for (int i = 1; i < replicas.size(); i++) {
            awaitReady(replicas.get(i));
        }
        awaitMembers(1 + spec.replicaProcesses());
        awaitProbeReplicated();
    }

    /**
     * The replica jar is copied into this run's directory, so that a rebuild of replica-node while
     * the benchmark runs cannot change or truncate the jar under the running processes.
     */
    private Path copyReplicaJar() {
        Path jar = replicaJar();
        try {
            return Files.copy(jar, workDirectory.resolve("checkpoint-replica-node.jar"),
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + jar, e);
        }
    }

    /**
     * @return {@code -Dbench.replicaJar}, else {@code replica-node/target/checkpoint-replica-node.jar}
     *     in the working directory or one of its parents
     */
    static Path replicaJar() {
        String configured = System.getProperty("bench.replicaJar");
        if (configured != null) {
            Path jar = Path.of(configured);
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("-Dbench.replicaJar=" + configured + " is not a file");
            }
            return jar;
        }
        Path relative = Path.of("replica-node", "target", "checkpoint-replica-node.jar");
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(relative))) {
                return dir.resolve(relative);
            }
        }
        throw new IllegalStateException("replica node jar " + relative + " not found from "
                + Path.of("").toAbsolutePath() + ": build it first (mvn -q -B install -pl api,test-support,ra,replica-node "
                + "-DskipTests) and run the benchmarks from the project root, or set -Dbench.replicaJar");
    }

    /**
     * {@code -Dbench.replicaJvmArgs}: extra options for the node JVMs the benchmarks start (e.g. GC
     * logging, a flight recording), separated by ';' or spaces (JMH's -jvmArgsAppend splits its own
     * value at spaces, so inside it use ';'). "%n" in them becomes the node's name, so each node can
     * log to a file of its own.
     */
    static List<String> extraJvmOptions(String nodeName) {
        return Arrays.stream(System.getProperty("bench.replicaJvmArgs", "").trim().split("[;\\s]+"))
                .filter(option -> !option.isEmpty()).map(option -> option.replace("%n", nodeName)).toList();
    }

    private JavaProcess startReplica(Path jar, String name, int port, List<String> hosts) {
        JavaCommand command = JavaCommand.create().maxHeap(spec.replicaHeap()).jvmOptions(extraJvmOptions(name));
        command.jvmOptions("-Djava.net.preferIPv4Stack=true")
                .systemProperty("checkpoint.nodeName", name)
                .systemProperty("checkpoint.clusterName", clusterName)
                .systemProperty("checkpoint.bindAddress", "127.0.0.1")
                .systemProperty("checkpoint.bindPort", Integer.toString(port))
                .systemProperty("checkpoint.initialHosts", String.join(",", hosts))
                .systemProperty("checkpoint.replicaCount", Integer.toString(spec.replicaCount()));
        if (spec.journals()) {
            command.systemProperty("checkpoint.storageMode", "disk")
                    .systemProperty("checkpoint.storageDirectory", workDirectory.resolve(name + "-data").toString());
        }
        if (spec.globalStore()) {
            command.systemProperty("checkpoint.globalStore", globalStoreUrl().toString());
        }
        command.jar(jar);
        // In the ProcessRegistry: a fork that dies without its @TearDown does not leave replicas behind.
        return JavaProcess.start(name, workDirectory.resolve(name + ".log"), command.toList());
    }

    /** The global store's directory, in this cluster's work directory, created on first use. */
    private URI globalStoreUrl() {
        Path directory = workDirectory.resolve("global-store");
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + directory, e);
        }
        return directory.toUri();
    }

    private static void awaitReady(JavaProcess replica) {
        replica.awaitLogLine(READY, START_TIMEOUT);
    }

    private void awaitMembers(int expected) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (membership.members().size() < expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("cluster " + clusterName + " has members " + membership.members()
                        + ", expected " + expected + "; replica logs in " + workDirectory);
            }
            Await.pause(50);
        }
    }

    private void awaitProbeReplicated() {
        long version = service().write(NAMESPACE, "probe", new byte[] {1});
        if (!service().awaitReplicated(NAMESPACE, "probe", version, START_TIMEOUT)) {
            throw new IllegalStateException("a probe segment was not replicated within " + START_TIMEOUT
                    + " on cluster " + clusterName + " with members " + membership.members());
        }
        deleteProbe();
    }

    /**
     * The probe is deleted so that the benchmarks start from an empty cluster. Right after the
     * cluster formed, {@code delete} has been seen to give up ("being changed by other nodes too
     * often") although no other node touches the probe, so it is retried with a pause; a probe that stays does not change any measurement.
     */
    private void deleteProbe() {
        for (int attempt = 1; ; attempt++) {
            try {
                service().delete(NAMESPACE, "probe");
                if (attempt > 1) {
                    System.out.println("note: deleting the probe segment succeeded at attempt " + attempt);
                }
                return;
            } catch (CheckpointException e) {
                System.out.println("note: deleting the probe segment failed at attempt " + attempt + ": " + e.getMessage());
                if (attempt == 20) {
                    System.out.println("note: the probe segment (1 byte) stays in the cluster");
                    return;
                }
                Await.pause(250);
            }
        }
    }

    /** @return the benchmarked node's service: what a connection handle calls */
    public CheckpointService service() {
        return service;
    }

    /** @return the benchmarked node's cluster membership */
    public ClusterNode clusterNode() {
        return membership;
    }

    /** @return this cluster's unique name */
    public String name() {
        return clusterName;
    }

    /** @return the PIDs of the replica processes */
    public List<Long> replicaPids() {
        return replicas.stream().map(JavaProcess::pid).collect(Collectors.toList());
    }

    /**
     * The raw Infinispan baseline: a plain DIST_SYNC cache with {@code numOwners} owners, defined on
     * every member of this cluster (the replica processes included) through Infinispan's
     * administration API, on the same JGroups channel as the product's own caches. Returns once
     * every member holds its share. The returned view has {@code IGNORE_RETURN_VALUES}: a put does
     * not ship the previous value back, the fastest way an application can use the cache.
     */
    public Cache<String, byte[]> rawCache(int numOwners) {
        EmbeddedCacheManager manager = cacheManager(membership);
        String name = "bench-raw-dist-" + numOwners;
        Cache<String, byte[]> cache = manager.administration()
                .withFlags(CacheContainerAdmin.AdminFlag.VOLATILE)
                .getOrCreateCache(name, new ConfigurationBuilder()
                        .clustering().cacheMode(CacheMode.DIST_SYNC).hash().numOwners(numOwners)
                        .build());
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            CacheTopology topology = cache.getAdvancedCache().getDistributionManager().getCacheTopology();
            if (topology.getMembers().size() == 1 + spec.replicaProcesses()
                    && topology.getPhase() == CacheTopology.Phase.NO_REBALANCE) {
                return cache.getAdvancedCache().withFlags(Flag.IGNORE_RETURN_VALUES);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("raw cache " + name + " did not reach all members: " + topology);
            }
            Await.pause(50);
        }
    }

    /**
     * Waits until the chunk removals the local node started in the background (the chunks of
     * versions a newer one replaced) have finished, so that a paired benchmark charges them to the
     * product rather than to whatever it measures next. Reached by reflection, like
     * {@link #cacheManager}: the product keeps the count private.
     */
    public void awaitChunkRemovals() {
        AtomicInteger inFlight;
        Object replicaStore = membership.replicas();
        try {
            Field field = replicaStore.getClass().getDeclaredField("removalsInFlight");
            field.setAccessible(true);
            inFlight = (AtomicInteger) field.get(replicaStore);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(replicaStore.getClass().getName() + " has no field 'removalsInFlight'; "
                    + "update LoopbackCluster.awaitChunkRemovals", e);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (inFlight.get() > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(inFlight.get() + " chunk removals still in flight after " + START_TIMEOUT);
            }
            // A short sleep, not a spin: on two cores a spinning thread takes the CPU that the
            // removals it waits for need.
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    /**
     * The product keeps its cache manager private; the benchmark reaches it by reflection only to
     * define the baseline cache next to the product's caches.
     */
    static EmbeddedCacheManager cacheManager(ClusterNode clusterNode) {
        try {
            Field field = ClusterNode.class.getDeclaredField("cacheManager");
            field.setAccessible(true);
            return (EmbeddedCacheManager) field.get(clusterNode);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("ClusterNode no longer has a field 'cacheManager'; "
                    + "update LoopbackCluster.cacheManager", e);
        }
    }

    /**
     * Stops the local node gracefully, then kills every replica process by its PID. The graceful
     * stop gets {@link #NODE_CLOSE_LIMIT} at most: when a replica is in trouble (seen: a replica
     * out of heap during P4's 64 MiB x 100,000 set-up) the node's leave can block, JMH then halts
     * the fork, and neither this method's kills nor the shutdown hooks would run, leaving the
     * replica JVMs behind.
     */
    @Override
    public void close() {
        if (node != null) {
            Thread closer = new Thread(() -> {
                try {
                    node.close();
                    threads.close();
                } catch (Exception e) {
                    System.err.println("closing the benchmark node failed: " + e);
                }
            }, "bench-node-close");
            closer.setDaemon(true);
            closer.start();
            try {
                closer.join(NODE_CLOSE_LIMIT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (closer.isAlive()) {
                System.err.println("the benchmark node did not stop within " + NODE_CLOSE_LIMIT
                        + "; killing the replicas anyway");
            }
        }
        replicas.forEach(JavaProcess::killQuietly);
        Directories.deleteQuietly(workDirectory.resolve("store"));
        if (!Boolean.getBoolean("bench.keepLogs")) {
            Directories.deleteQuietly(workDirectory);
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "cluster %s: local node (%s store, capacityFactor %.0f) + %d replica "
                + "processes %s, R=%d, persistence %s", clusterName, spec.storage(), spec.localCapacityFactor(),
                spec.replicaProcesses(), replicaPids(), spec.replicaCount(), spec.durabilityName());
    }
}
