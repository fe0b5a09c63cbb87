package io.checkpointservice.replica.it;

import static io.checkpointservice.testsupport.Await.await;

import io.checkpointservice.ra.config.ClusterSettings;
import io.checkpointservice.testsupport.Directories;
import io.checkpointservice.testsupport.LoopbackPorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The processes of one test: its own cluster name (so concurrent or leftover clusters never
 * merge with it), its own loopback ports, logs under {@code target/it-logs/<test>/<node>.log},
 * disk stores under {@code target/it-data/<test>/<node>}. {@link #close} kills every process it
 * started, by PID.
 */
public final class TestCluster implements AutoCloseable {

    static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    static final Duration VIEW_TIMEOUT = Duration.ofSeconds(60);

    private final String clusterName;
    private final Path logDirectory;
    private final Path dataDirectory;
    /** Every cluster port handed out in this cluster, in order: the initialHosts of later nodes. */
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final List<ClusterProcess> processes = new ArrayList<>();
    /** {@code checkpoint.*} settings every node started from now on gets, besides its options'. */
    private final Map<String, String> commonSettings = new LinkedHashMap<>();
    /** Null: every node on this host's loopback; else each in a network namespace of its own. */
    private NetworkNamespaces namespaces;

    /**
     * @param testClass the test class, for directories
     * @param testMethod the test method, for directories and the cluster name
     */
    public TestCluster(String testClass, String testMethod) {
        String safe = (testClass + "." + testMethod).replaceAll("[^A-Za-z0-9._-]", "_");
        String method = testMethod.replaceAll("[^A-Za-z0-9._-]", "_");
        String shortName = method.length() > 40 ? method.substring(0, 40) : method;
        this.clusterName = "it-" + shortName + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
        Path build = Path.of(System.getProperty("it.buildDirectory", "target"));
        this.logDirectory = build.resolve("it-logs").resolve(safe);
        this.dataDirectory = build.resolve("it-data").resolve(safe);
        Directories.deleteRecursively(logDirectory);
        Directories.deleteRecursively(dataDirectory);
    }

    public String clusterName() {
        return clusterName;
    }

    /** Gives every node started from now on the setting {@code checkpoint.<key>=<value>}. */
    public void setting(String key, String value) {
        commonSettings.put(key, value);
    }

    /**
     * Runs every node started from now on in its own network namespace of {@code namespaces}
     * ({@code ip netns exec}), bound to that namespace's address and controlled on its control
     * link. Such a cluster is not on loopback, so it needs a cluster secret: see {@link #setting}.
     */
    public void runIn(NetworkNamespaces namespaces) {
        this.namespaces = namespaces;
    }

    /** @return where {@code node} keeps its disk store in disk mode */
    public Path dataDirectory(String node) {
        return dataDirectory.resolve(node);
    }

    /** @return the test's shared directory for a global store: outside every node's own directory */
    public Path globalStoreDirectory() {
        return dataDirectory.resolve("global-store");
    }

    /**
     * Reserves cluster ports for nodes about to start, so that each of them lists all the others
     * in its initialHosts. Names already reserved keep their port.
     */
    public void plan(String... names) {
        for (String name : names) {
            ports.computeIfAbsent(name, n -> LoopbackPorts.pair(ClusterSettings.FAILURE_DETECTION_PORT_OFFSET));
        }
    }

    /** Starts app nodes at once and waits until each is ready (not until they see each other). */
    public List<NodeProcess> startApps(NodeOptions options, String... names) {
        List<NodeProcess> started = new ArrayList<>();
        for (String name : names) {
            started.add(launchApp(name, options));
        }
        awaitReady(started.toArray(ClusterProcess[]::new));
        return started;
    }

    public NodeProcess startApp(String name, NodeOptions options) {
        return startApps(options, name).get(0);
    }

    /**
     * Starts a node again under the same name (same disk directory, if any) on a fresh port: the
     * old port may still be held by the killed process's sockets in TIME_WAIT.
     */
    public NodeProcess restartApp(String name, NodeOptions options) {
        ports.remove(name);
        ports.put(name, LoopbackPorts.pair(ClusterSettings.FAILURE_DETECTION_PORT_OFFSET));
        return startApp(name, options);
    }

    /**
     * Like {@link #restartApp} but returns at once, so the test can go on while the node starts;
     * call {@link #awaitReady} before driving it.
     */
    public NodeProcess relaunchApp(String name, NodeOptions options) {
        ports.remove(name);
        ports.put(name, LoopbackPorts.pair(ClusterSettings.FAILURE_DETECTION_PORT_OFFSET));
        return launchApp(name, options);
    }

    /** {@link #relaunchApp} for a storage-only replica node. */
    public ReplicaProcess relaunchReplica(String name, NodeOptions options) {
        ports.remove(name);
        ports.put(name, LoopbackPorts.pair(ClusterSettings.FAILURE_DETECTION_PORT_OFFSET));
        return launchReplica(name, options);
    }

    /** Starts storage-only replica nodes ({@code java -jar}) and waits until each is ready. */
    public List<ReplicaProcess> startReplicas(NodeOptions options, String... names) {
        List<ReplicaProcess> started = new ArrayList<>();
        for (String name : names) {
            started.add(launchReplica(name, options));
        }
        awaitReady(started.toArray(ClusterProcess[]::new));
        return started;
    }

    /**
     * Starts an app node's process; waits only if it is the cluster's first (see {@link #seeded}),
     * otherwise see {@link #awaitReady}.
     */
    public NodeProcess launchApp(String name, NodeOptions options) {
        plan(name);
        String control = namespaces == null ? "127.0.0.1" : namespaces.controlAddress(name);
        NodeProcess node = new NodeProcess(name, ports.get(name), logFile(name), control,
                NodeProcess.command(launcher(name), settings(name, options), options.heap(), control));
        return seeded(node);
    }

    /** Starts a replica node's process; waits only if it is the cluster's first, see {@link #seeded}. */
    public ReplicaProcess launchReplica(String name, NodeOptions options) {
        plan(name);
        List<String> command = new ArrayList<>(launcher(name));
        command.addAll(ReplicaProcess.command(settings(name, options), options.heap()));
        ReplicaProcess node = new ReplicaProcess(name, ports.get(name), logFile(name), command);
        return seeded(node);
    }

    /**
     * The first process of a cluster is waited for before any other starts: nodes that start at
     * the same instant may each find no coordinator and form separate clusters, which JGroups
     * merges only seconds later (MERGE3). The others then start together and join the first.
     */
    private <P extends ClusterProcess> P seeded(P process) {
        boolean first = processes.isEmpty();
        processes.add(process);
        if (first) {
            awaitReady(process);
        }
        return process;
    }

    /** Waits until every given process has said it is ready. */
    public void awaitReady(ClusterProcess... started) {
        for (ClusterProcess p : started) {
            if (p instanceof NodeProcess node) {
                node.awaitReady(START_TIMEOUT);
            } else if (p instanceof ReplicaProcess replica) {
                replica.awaitReady(START_TIMEOUT);
            }
        }
    }

    private Map<String, String> settings(String name, NodeOptions options) {
        Map<String, String> settings = new LinkedHashMap<>(options.checkpointSettings(dataDirectory(name)));
        settings.put("nodeName", name);
        settings.put("clusterName", clusterName);
        settings.put("bindAddress", addressOf(name));
        settings.put("bindPort", Integer.toString(ports.get(name)));
        settings.put("initialHosts", ports.entrySet().stream().map(p -> addressOf(p.getKey()) + "[" + p.getValue() + "]")
                .collect(Collectors.joining(",")));
        settings.putAll(commonSettings);
        return settings;
    }

    /** @return the address {@code name} binds to: loopback, or its namespace's */
    private String addressOf(String name) {
        return namespaces == null ? "127.0.0.1" : namespaces.address(name);
    }

    /** @return what the node's JVM is started under: nothing, or {@code ip netns exec <its namespace>} */
    private List<String> launcher(String name) {
        return namespaces == null ? List.of() : namespaces.launcher(name);
    }

    private Path logFile(String name) {
        return logDirectory.resolve(name + ".log");
    }

    /**
     * Polls each observer's view until it is exactly {@code expected} (node names).
     *
     * @throws AssertionError saying which node saw what, when the deadline passes
     */
    public void awaitView(Set<String> expected, NodeProcess... observers) {
        Set<String> wanted = new TreeSet<>(expected);
        long deadline = System.nanoTime() + VIEW_TIMEOUT.toNanos();
        for (NodeProcess observer : observers) {
            AtomicReference<Set<String>> seen = new AtomicReference<>(Set.of());
            try {
                await("cluster view of " + observer.name())
                        .atMost(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))
                        .pollInterval(Duration.ofMillis(20))
                        .until(() -> {
                            seen.set(new TreeSet<>(observer.members()));
                            return seen.get().equals(wanted);
                        });
            } catch (ConditionTimeoutException e) {
                throw new AssertionError("cluster view of " + observer.name() + ": expected " + wanted + " within "
                        + VIEW_TIMEOUT + " but was " + seen.get(), e);
            }
        }
    }

    /** {@link #awaitView} with every given node as observer and their names as the view. */
    public void awaitView(NodeProcess... nodes) {
        awaitView(Arrays.stream(nodes).map(NodeProcess::name).collect(Collectors.toSet()), nodes);
    }

    /**
     * Kills the given processes at the same instant: SIGKILL to each PID first, then waits for
     * all of them, so the cluster loses them simultaneously.
     */
    public void killTogether(ClusterProcess... victims) {
        for (ClusterProcess victim : victims) {
            victim.sendKill();
        }
        for (ClusterProcess victim : victims) {
            victim.kill();
        }
    }

    /** Kills every process this cluster started (SIGKILL by PID). */
    @Override
    public void close() {
        for (ClusterProcess p : processes) {
            p.killQuietly();
        }
    }
}
