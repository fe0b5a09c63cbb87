package io.checkpointservice.console;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides whether the checkpoint nodes of this server are ready, from successive readings: not
 * ready while a node configured with peers has joined none, or while a node's segments have been
 * below R copies for longer than the limit (a short dip, as while a rebalance copies chunks after a
 * member left, does not count). It remembers since when each node's count has been above 0, so it
 * must see every reading ({@link ConsoleState} feeds it every few seconds).
 */
public final class ReadinessRules {

    private final Duration belowReplicaCountLimit;
    private final Map<String, Long> belowSince = new HashMap<>();

    /** @param belowReplicaCountLimit how long segments may stay below R copies while the node is ready */
    public ReadinessRules(Duration belowReplicaCountLimit) {
        if (belowReplicaCountLimit.isNegative()) {
            throw new IllegalArgumentException("belowReplicaCountLimit must not be negative: " + belowReplicaCountLimit);
        }
        this.belowReplicaCountLimit = belowReplicaCountLimit;
    }

    /**
     * @param reading the nodes now
     * @param now the time of the reading, in ms since the epoch
     * @return why this server is not ready; empty when it is
     */
    public synchronized List<String> observe(NodeReader.Reading reading, long now) {
        List<String> reasons = new ArrayList<>();
        if (reading.nodes().isEmpty() && reading.unreadable().isEmpty()) {
            reasons.add("no checkpoint node runs in this server (is checkpoint-ra.rar deployed and started?)");
        }
        for (String unreadable : reading.unreadable()) {
            reasons.add("checkpoint node MBean cannot be read: " + unreadable);
        }
        belowSince.keySet().retainAll(reading.nodes().stream().map(NodeView::nodeName).toList());
        for (NodeView node : reading.nodes()) {
            if (node.peersExpected() && !node.joined()) {
                reasons.add(node.nodeName() + " is configured with peers but has joined none (members: "
                        + node.clusterMembers() + ")");
            }
            if (node.underReplicatedSegments() > 0) {
                long since = belowSince.computeIfAbsent(node.nodeName(), n -> now);
                long forMillis = now - since;
                if (forMillis >= belowReplicaCountLimit.toMillis()) {
                    reasons.add(node.nodeName() + ": " + node.underReplicatedSegments() + " segments below R = "
                            + node.replicaCount() + " copies for " + forMillis / 1000 + " s (limit "
                            + belowReplicaCountLimit.toSeconds() + " s)");
                }
            } else {
                belowSince.remove(node.nodeName());
            }
        }
        return List.copyOf(reasons);
    }

    /** @return the limit this was built with */
    public Duration belowReplicaCountLimit() {
        return belowReplicaCountLimit;
    }
}
