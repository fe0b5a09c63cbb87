package io.checkpointservice.replica.it;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The node slots fault trials run on: app nodes (which write and load) and storage-only replica
 * nodes, started once and shared by consecutive trials (each trial has its own segment). Kills
 * and restarts go through {@link TestCluster}, so every process is a real JVM killed by PID.
 */
final class TrialCluster {

    private final TestCluster cluster;
    private final NodeOptions options;
    private final List<String> appNames;
    private final List<String> replicaNames;
    /** The current process of every slot, dead or alive. */
    private final Map<String, ClusterProcess> processes = new LinkedHashMap<>();

    TrialCluster(TestCluster cluster, NodeOptions options, int apps, int replicas) {
        this.cluster = cluster;
        this.options = options;
        this.appNames = new ArrayList<>();
        this.replicaNames = new ArrayList<>();
        for (int i = 0; i < apps; i++) {
            appNames.add(String.valueOf((char) ('A' + i)));
        }
        for (int i = 1; i <= replicas; i++) {
            replicaNames.add("S" + i);
        }
    }

    /** Starts every slot and waits until all see each other. */
    void start() {
        List<String> all = new ArrayList<>(appNames);
        all.addAll(replicaNames);
        cluster.plan(all.toArray(String[]::new));
        for (String name : appNames) {
            processes.put(name, cluster.launchApp(name, options));
        }
        for (String name : replicaNames) {
            processes.put(name, cluster.launchReplica(name, options));
        }
        cluster.awaitReady(processes.values().toArray(ClusterProcess[]::new));
        awaitSettled();
    }

    List<String> appNames() {
        return appNames;
    }

    /** @return names of the slots whose process runs, in slot order */
    List<String> running() {
        return processes.entrySet().stream().filter(e -> e.getValue().isAlive()).map(Map.Entry::getKey).toList();
    }

    List<String> runningApps() {
        return appNames.stream().filter(n -> processes.get(n).isAlive()).toList();
    }

    List<String> dead() {
        return processes.entrySet().stream().filter(e -> !e.getValue().isAlive()).map(Map.Entry::getKey).toList();
    }

    NodeProcess app(String name) {
        return (NodeProcess) processes.get(name);
    }

    /** SIGKILLs the named slots at the same instant. */
    void killTogether(Set<String> victims) {
        cluster.killTogether(victims.stream().map(processes::get).toArray(ClusterProcess[]::new));
    }

    /** Waits until every running app node's view is exactly the running slots. */
    void awaitSettled() {
        Set<String> running = new TreeSet<>(running());
        cluster.awaitView(running, runningApps().stream().map(this::app).toArray(NodeProcess[]::new));
    }

    /**
     * Restarts every dead slot as a fresh JVM (same name and disk directory, new port), all at
     * once, after the survivors agreed that they are gone: a node started while the survivors
     * still wait for a dead coordinator may form a cluster of its own.
     *
     * @return the restarted names
     */
    List<String> restartDead() {
        List<String> dead = dead();
        if (dead.isEmpty()) {
            return dead;
        }
        awaitSettled();
        List<ClusterProcess> started = new ArrayList<>();
        for (String name : dead) {
            ClusterProcess process = appNames.contains(name)
                    ? cluster.relaunchApp(name, options)
                    : cluster.relaunchReplica(name, options);
            processes.put(name, process);
            started.add(process);
        }
        cluster.awaitReady(started.toArray(ClusterProcess[]::new));
        awaitSettled();
        return dead;
    }
}
