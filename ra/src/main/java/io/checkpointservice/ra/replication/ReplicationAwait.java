package io.checkpointservice.ra.replication;

import io.checkpointservice.ra.cluster.ChunkKey;
import io.checkpointservice.ra.cluster.ClusterUnavailableException;
import io.checkpointservice.ra.cluster.MergeGate;
import io.checkpointservice.ra.cluster.MergeGate;
import io.checkpointservice.ra.cluster.ReplicaStore;
import io.checkpointservice.ra.cluster.SegmentDirectory;
import io.checkpointservice.ra.cluster.SegmentRecord;
import io.checkpointservice.ra.store.LocalStore;
import io.checkpointservice.ra.store.SegmentMetadata;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The wait of {@code awaitReplicated} and {@code awaitAllReplicated} (G3): until R nodes other
 * than the writer hold a version of each segment asked for, or a newer one, counting only copies
 * acknowledged after the wait began.
 *
 * <p>Each check reads the records (local: the records cache is replicated), then lets the
 * {@link ReplicaConfirmation} prove that the owners hold the chunks. The owners of every segment that
 * needs asking are asked together, so awaiting many segments costs one round trip per check (per
 * 1,024 segments), not one per segment. Between checks the wait sleeps until a segment it waits for is published, or
 * {@link #POLL_MILLIS} at most (a view change, or another node's publication, wakes nobody).
 */
public final class ReplicationAwait {

    private static final long POLL_MILLIS = 50;
    /** The least time a check gives the owners to answer: a round trip on a healthy cluster takes about 1 ms. */
    static final long CONFIRM_MIN_MILLIS = 500;

    private final int replicaCount;
    private final LocalStore store;
    private final SegmentDirectory directory;
    private final ReplicaStore replicas;
    private final ReplicaConfirmation confirmation;
    private final PublicationSignal publications;
    private final MergeGate mergeGate;

    public ReplicationAwait(int replicaCount, LocalStore store, SegmentDirectory directory, ReplicaStore replicas,
                            ReplicaConfirmation confirmation, PublicationSignal published) {
        this.replicaCount = replicaCount;
        this.store = store;
        this.directory = directory;
        this.replicas = replicas;
        this.confirmation = confirmation;
        this.publications = published;
        this.mergeGate = directory.mergeGate();
    }

    /**
     * @param versions the version to wait for, by segment key; checked by the caller
     * @param timeout zero checks once (the owners still get {@link #CONFIRM_MIN_MILLIS} to answer)
     * @return true when every segment is replicated, false when the time is up first or the
     *     waiting thread is interrupted (its interrupt flag is then set again)
     */
    public boolean await(Map<String, Long> versions, Duration timeout) {
        if (replicaCount == 0) {
            return versions.entrySet().stream().allMatch(e -> heldHere(e.getKey(), e.getValue()));
        }
        long askedAt = System.nanoTime();
        long deadline = askedAt + timeout.toNanos();
        Map<String, Long> waiting = new LinkedHashMap<>(versions);
        while (true) {
            // Read before the check: a publish right after it still ends the wait below at once.
            Map<String, Long> seen = new HashMap<>();
            waiting.keySet().forEach(key -> seen.put(key, publications.publications(key)));
            waiting.keySet().removeAll(replicated(waiting, askedAt, deadline));
            if (waiting.isEmpty()) {
                return true;
            }
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return false;
            }
            // All of them are needed: waking for the first one left loses nothing.
            String next = waiting.keySet().iterator().next();
            try {
                publications.awaitPublishAfter(next, seen.get(next), Math.min(left, POLL_MILLIS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** With R = 0 a version is "replicated" once this node, or the cluster's record, has it. */
    private boolean heldHere(String key, long version) {
        return store.version(key) >= version
                || directory.get(key).map(r -> r.hasData() && r.version() >= version).orElse(false);
    }

    /**
     * @param askedAt when the wait began: only copies acknowledged after it count
     * @param deadline when the wait gives up; asking the owners may take until then, and at least
     *     {@link #CONFIRM_MIN_MILLIS} so that a zero timeout still gets its one check
     * @return the keys of {@code waiting} that are replicated now
     */
    private Set<String> replicated(Map<String, Long> waiting, long askedAt, long deadline) {
        // While a merge of a healed split is unresolved here, the records may be this side's
        // lineage, which the merge can discard: nothing counts as replicated until it is resolved.
        long pass = mergeGate.passWithin(Duration.ZERO);
        if (pass == MergeGate.UNRESOLVED) {
            return Set.of();
        }
        Map<String, SegmentRecord> published = new HashMap<>();
        waiting.forEach((key, version) -> {
            Optional<SegmentRecord> record;
            try {
                record = directory.get(key);
            } catch (ClusterUnavailableException e) {
                return; // not known to be replicated: the wait goes on, and says false at its end
            }
            if (record.isPresent() && record.get().hasData() && holdsVersion(record.get(), key, version)
                    && replicas.copiesOutside(ChunkKey.of(key, record.get(), 0), record.get().writer()) >= replicaCount) {
                published.put(key, record.get());
            }
        });
        if (published.isEmpty()) {
            return Set.of();
        }
        // The owners counted above are the view's: one may have crashed unnoticed so far, or
        // replaced owners that were all lost at once. Check that they hold the data now (and put
        // it back from here if nobody does and this node can).
        Duration patience = Duration.ofMillis(Math.max(CONFIRM_MIN_MILLIS, (deadline - System.nanoTime()) / 1_000_000));
        Set<String> held = confirmation.confirmOrPutBack(published, replicaCount, askedAt, patience);
        return mergeGate.stillValid(pass) ? held : Set.of();
    }

    /**
     * @return true when the record holds {@code version} or a newer one. By number, except against
     *     this node's own copy of that very number written under a newer epoch than the record's
     *     data: a write that took the segment over, while the previous writer, not fenced yet,
     *     published the same number. That record is not this write.
     */
    private boolean holdsVersion(SegmentRecord record, String key, long version) {
        if (record.version() < version) {
            return false;
        }
        Optional<SegmentMetadata> local = store.metadata(key);
        return local.isEmpty() || local.get().version() != version
                || !record.isOlderThan(version, local.get().epoch());
    }
}
