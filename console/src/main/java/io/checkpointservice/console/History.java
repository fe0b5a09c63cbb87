package io.checkpointservice.console;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The last minutes of each node's backlog, replication lag and segments below R, one sample per
 * reading, for the status page's chart. Bounded: at most {@code capacity} samples per node.
 */
public final class History {

    /** One moment of one node. */
    public record Sample(long time, int backlogSegments, long lagP50Millis, long lagP99Millis,
                         int underReplicatedSegments, int members) {
    }

    private final int capacity;
    private final Map<String, Deque<Sample>> samples = new HashMap<>();

    /** @param capacity samples kept per node */
    public History(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.capacity = capacity;
    }

    /** Adds a sample of every node read; nodes no longer read are forgotten. */
    public synchronized void add(NodeReader.Reading reading, long now) {
        samples.keySet().retainAll(reading.nodes().stream().map(NodeView::nodeName).toList());
        for (NodeView node : reading.nodes()) {
            Deque<Sample> of = samples.computeIfAbsent(node.nodeName(), n -> new ArrayDeque<>());
            if (of.size() == capacity) {
                of.removeFirst();
            }
            of.addLast(new Sample(now, node.backlogSegments(), node.replicationLagP50Millis(),
                    node.replicationLagP99Millis(), node.underReplicatedSegments(), node.clusterMembers().size()));
        }
    }

    /** @return the node's samples, oldest first */
    public synchronized List<Sample> of(String node) {
        Deque<Sample> of = samples.get(node);
        return of == null ? List.of() : new ArrayList<>(of);
    }
}
