package io.checkpointservice.ra.cluster;

import io.checkpointservice.api.StaleWriterException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Stream;

/**
 * Which segments this node writes, and under which epoch (G6). Only memory: after a restart a
 * node owns nothing until its application loads or writes again.
 *
 * <p>The rule: a node that holds epoch {@code e} of a segment may write it as long as the
 * cluster's record has not moved past {@code e} (a higher epoch, or the same epoch claimed by
 * another node). A node that never held the segment takes it over on its first load or write,
 * with the record's epoch plus one; the cluster's compare-and-set decides between rivals.
 */
public final class Ownership {

    /** Marks a segment this node was fenced from: every record fences it. */
    private static final long FENCED = -1;

    private final String nodeName;
    private final ConcurrentMap<String, Long> epochs = new ConcurrentHashMap<>();

    public Ownership(String nodeName) {
        this.nodeName = nodeName;
    }

    /**
     * @param record this node's current view of the cluster record
     * @return the epoch a new local version is written under
     * @throws StaleWriterException when another node has taken the segment over
     */
    public long epochForWrite(String key, String name, Optional<SegmentRecord> record) {
        Long mine = epochs.get(key);
        if (mine == null) {
            long claimed = record.map(SegmentRecord::epoch).orElse(0L) + 1;
            epochs.put(key, claimed);
            return claimed;
        }
        if (mine == FENCED || record.map(r -> r.fences(nodeName, mine)).orElse(false)) {
            epochs.put(key, FENCED);
            String by = record.map(r -> "node '" + r.writer() + "' (epoch " + r.epoch() + ")").orElse("another node");
            throw new StaleWriterException("segment '" + name + "' was taken over by " + by
                    + "; this node no longer owns it. Load it again to take it back, or stop working on it here");
        }
        return mine;
    }

    /** @return the epoch this node writes {@code key} under, or empty when it does not own it */
    public Optional<Long> current(String key) {
        Long mine = epochs.get(key);
        return mine == null || mine == FENCED ? Optional.empty() : Optional.of(mine);
    }

    /** Records that this node owns {@code key} under {@code epoch} (after a successful take-over). */
    public void took(String key, long epoch) {
        epochs.put(key, epoch);
    }

    /**
     * Records that another node took {@code key} over from this node's {@code staleEpoch}: the
     * next write here fails. Does nothing when this node has meanwhile taken the segment again
     * under a newer epoch (its own load raced the publisher that found the stale epoch).
     *
     * @return true when the node is now fenced from {@code key}
     */
    public boolean fenced(String key, long staleEpoch) {
        return epochs.replace(key, staleEpoch, FENCED);
    }

    /**
     * Forgets {@code key} when the cluster forgot its record ({@code tombstoneGraceSeconds}):
     * unless this node took it again under a newer epoch than {@code lastEpoch}, its ownership or
     * fencing ended with that record. Memory stays flat however many segments come and go.
     */
    public void forget(String key, long lastEpoch) {
        epochs.computeIfPresent(key, (k, epoch) -> epoch == FENCED || epoch <= lastEpoch ? null : epoch);
    }

    /**
     * @return the keys this node writes now; weakly consistent (a take-over or fencing meanwhile
     *     may or may not show), which suits a monitoring sample and nothing that decides
     */
    public Stream<String> owned() {
        return epochs.entrySet().stream().filter(e -> e.getValue() != FENCED).map(ConcurrentMap.Entry::getKey);
    }

    /** @return this node's name */
    public String nodeName() {
        return nodeName;
    }
}
