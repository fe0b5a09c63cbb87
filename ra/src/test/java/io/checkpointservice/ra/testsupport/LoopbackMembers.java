package io.checkpointservice.ra.testsupport;

import io.checkpointservice.ra.cluster.ClusterNode;
import io.checkpointservice.ra.config.ClusterSettings;
import io.checkpointservice.ra.threads.PlainNodeThreads;
import io.checkpointservice.testsupport.LoopbackPorts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Real cluster members (embedded Infinispan on its own JGroups TCP channel) of one fresh cluster
 * on 127.0.0.1, in this JVM: every member's port is chosen up front, so all of them can be named
 * in the initial hosts and started in any order (a later one joins the earlier ones).
 */
public final class LoopbackMembers implements AutoCloseable {

    private final String cluster;
    private final int[] ports;
    private final String hosts;
    private final List<ClusterNode> started = new ArrayList<>();
    private final PlainNodeThreads threads;

    /** @param size how many members the cluster may have */
    public LoopbackMembers(String purpose, int size) {
        this.cluster = purpose + "-" + UUID.randomUUID();
        this.ports = IntStream.range(0, size).map(i -> LoopbackPorts.pair(ClusterSettings.FAILURE_DETECTION_PORT_OFFSET)).toArray();
        this.hosts = IntStream.of(ports).mapToObj(port -> "127.0.0.1[" + port + "]").collect(Collectors.joining(","));
        this.threads = new PlainNodeThreads(purpose);
    }

    /** Starts member {@code index} (0-based) as node {@code name}, keeping {@code replicaCount} copies. */
    public ClusterNode start(int index, String name, int replicaCount) {
        return start(index, name, replicaCount, null);
    }

    /**
     * Starts member {@code index} (0-based) as node {@code name}, keeping {@code replicaCount}
     * copies and, unless {@code persistence} is null, the cluster's records and its chunks on disk there.
     */
    public ClusterNode start(int index, String name, int replicaCount, Path persistence) {
        ClusterNode node = ClusterNode.start(name, replicaCount, ClusterSettings.parse(Map.of(
                "clusterName", cluster,
                "bindAddress", "127.0.0.1",
                "bindPort", String.valueOf(ports[index]),
                "initialHosts", hosts)), persistence, threads);
        started.add(node);
        return node;
    }

    @Override
    public void close() {
        started.forEach(ClusterNode::close);
        threads.close();
    }
}
