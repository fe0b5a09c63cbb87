package io.checkpointservice.ra.cluster;

import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * The cluster-wide table of segment records. Reads are local (every node holds the whole
 * table); changes are atomic compare-and-set, so two nodes can never both take a segment over.
 */
public interface SegmentDirectory {

    /**
     * @return true when this node's records can be trusted to list every segment of the
     *     cluster: it has been connected to another member at least once, or it is meant to run
     *     alone. A node that has so far met nobody cannot tell "absent" from "not heard of yet".
     */
    boolean knowsEveryRecord();

    /**
     * @return this node's view of the record, without a network round trip
     * @throws ClusterUnavailableException when this node cannot read its records (it is stopping)
     */
    Optional<SegmentRecord> get(String key);

    /**
     * Sets {@code next} if the record is still {@code expected} (empty: still absent).
     *
     * @return true when set; false when someone changed it first
     * @throws ClusterUnavailableException when the cluster cannot take the change now
     */
    boolean compareAndSet(String key, Optional<SegmentRecord> expected, SegmentRecord next);

    /**
     * @return the gate that is closed while the merge of a healed network split may still
     *     overturn these records; never closed for a cluster without merges
     */
    default MergeGate mergeGate() {
        return MergeGate.NEVER_CLOSED;
    }

    /**
     * Has {@code action} told, on one of the node's threads, of each record the cluster forgot
     * after its grace period (a tombstone or a claim; see {@code tombstoneGraceSeconds}), with
     * that last record. A directory that never forgets never calls it.
     */
    default void whenForgotten(BiConsumer<String, SegmentRecord> action) {
    }
}
