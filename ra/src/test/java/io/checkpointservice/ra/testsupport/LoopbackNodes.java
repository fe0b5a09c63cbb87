package io.checkpointservice.ra.testsupport;

import io.checkpointservice.ra.config.AdapterSettings;
import io.checkpointservice.ra.config.ClusterSettings;
import io.checkpointservice.ra.config.StorageMode;
import io.checkpointservice.ra.service.CheckpointNode;
import io.checkpointservice.ra.store.SyncPolicy;
import io.checkpointservice.ra.threads.NodeThreads;
import io.checkpointservice.ra.threads.PlainNodeThreads;
import io.checkpointservice.testsupport.LoopbackPorts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Whole checkpoint nodes (store, cluster member, service, replication workers), as the adapter
 * starts them, of one fresh cluster on 127.0.0.1 in this JVM. Each start takes a port of its own,
 * so a node can stop and start again while the others run.
 */
public final class LoopbackNodes implements AutoCloseable {

    private final String cluster;
    private final int[] ports;
    private final String hosts;
    private final Map<String, String> clusterSettings;
    private final List<AutoCloseable> started = new ArrayList<>();

    /**
     * @param starts how many node starts the test makes at most (one port each)
     * @param clusterSettings settings every node starts with, besides its name, address and ports
     */
    public LoopbackNodes(String purpose, int starts, Map<String, String> clusterSettings) {
        this.cluster = purpose + "-" + UUID.randomUUID();
        this.ports = IntStream.range(0, starts).map(i -> LoopbackPorts.pair(ClusterSettings.FAILURE_DETECTION_PORT_OFFSET)).toArray();
        this.hosts = IntStream.of(ports).mapToObj(port -> "127.0.0.1[" + port + "]").collect(Collectors.joining(","));
        this.clusterSettings = Map.copyOf(clusterSettings);
    }

    /**
     * Starts node {@code name} on port {@code index}; with a storage directory in disk mode (its
     * segments, and the cluster's records and its replica chunks, survive a restart), else in memory.
     */
    public CheckpointNode start(int index, String name, int replicaCount, Path diskOrNull) {
        return start(index, name, replicaCount, diskOrNull, UnaryOperator.identity());
    }

    /**
     * {@link #start(int, String, int, Path)}, the node's background work handed to
     * {@code around} the threads it would get (to hold a task back, say).
     */
    public CheckpointNode start(int index, String name, int replicaCount, Path diskOrNull,
                                UnaryOperator<NodeThreads> around) {
        Map<String, String> raw = new HashMap<>(clusterSettings);
        raw.put("clusterName", cluster);
        raw.put("bindAddress", "127.0.0.1");
        raw.put("bindPort", String.valueOf(ports[index]));
        raw.put("initialHosts", hosts);
        PlainNodeThreads threads = new PlainNodeThreads(name);
        CheckpointNode node = CheckpointNode.start(new AdapterSettings(name,
                diskOrNull == null ? StorageMode.MEMORY : StorageMode.DISK,
                diskOrNull == null ? Path.of("unused") : diskOrNull, SyncPolicy.NONE, 1 << 20, replicaCount),
                ClusterSettings.parse(raw), around.apply(threads));
        started.add(threads);
        started.add(node);
        return node;
    }

    /** Stops {@code node} gracefully (its threads stay until {@link #close()}). */
    public void stop(CheckpointNode node) {
        if (started.remove(node)) {
            node.close();
        }
    }

    /** Stops every node still running, then their threads. */
    @Override
    public void close() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
    }
}
