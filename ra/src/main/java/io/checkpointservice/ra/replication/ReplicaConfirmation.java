package io.checkpointservice.ra.replication;

import io.checkpointservice.ra.cluster.ChunkKey;
import io.checkpointservice.ra.cluster.ClusterUnavailableException;
import io.checkpointservice.ra.cluster.ReplicaStore;
import io.checkpointservice.ra.cluster.SegmentDirectory;
import io.checkpointservice.ra.cluster.SegmentRecord;
import io.checkpointservice.ra.store.LocalStore;
import io.checkpointservice.ra.store.LocalStoreException;
import io.checkpointservice.ra.store.SegmentMetadata;
import io.checkpointservice.ra.store.StoredSegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The proof behind {@code awaitReplicated} (G3): whether R nodes other than a segment's writer
 * hold the version its record points at, as acknowledged after the wait began, and the put-back
 * from this node's local copy when every owner lost it.
 *
 * <p>It remembers acknowledgements it has seen (a publication's record update is acknowledged by
 * every member, so by every chunk owner) and asks the owners only when none proves the copies
 * for a question asked before it.
 */
public final class ReplicaConfirmation {

    private static final Logger LOG = Logger.getLogger(ReplicaConfirmation.class.getName());
    /** Acknowledgements kept; then the map starts over (the next check asks the owners once more). */
    static final int MAX_ACKNOWLEDGEMENTS = 1_024;

    private final LocalStore store;
    private final SegmentDirectory directory;
    private final ReplicaStore replicas;
    /**
     * Chunks whose put every owner acknowledged to this node, with the membership id and a
     * moment before the owners last answered. Applications await a version right after writing
     * it, so the publication that answers them usually lands here after they asked. A cache, not
     * a registry: bounded to a few hundred KB (P5's heap budget).
     */
    private final ConcurrentHashMap<String, Acknowledgement> acknowledgements = new ConcurrentHashMap<>();

    public ReplicaConfirmation(LocalStore store, SegmentDirectory directory, ReplicaStore replicas) {
        this.store = store;
        this.directory = directory;
        this.replicas = replicas;
    }

    /**
     * Makes sure {@code needed} nodes other than each record's writer hold the data the record
     * points at, as known after {@code askedAt}, for {@code awaitReplicated} (G3).
     *
     * <p>Counting a segment's owners in the cluster view is not counting its copies:
     * <ul>
     *   <li>A node that crashed or froze stays in the view until failure detection removes it
     *       (seconds). Chunks it acknowledged before the question was asked may be gone with it.
     *       So the answer rests only on acknowledgements received after {@code askedAt}: this
     *       node's own publication when it completed after that moment, otherwise the owners are
     *       asked now (one round trip). Otherwise an await right after two owners are SIGKILLed would
     *       say true.</li>
     *   <li>After every owner was lost at once, the nodes that replace them own the chunks but
     *       hold nothing. When no owner holds them and this node's local copy is exactly the
     *       record's version (say a restarted writer's disk copy, which load returns), that copy
     *       is put back under the record's own chunk keys, so nothing about the record changes.</li>
     * </ul>
     *
     * <p>The owners of all segments that need asking are asked together: one round trip for the
     * whole batch (per 1,024 segments) instead of one per segment.
     *
     * @param records the segments' records, by segment key
     * @param askedAt {@link System#nanoTime} when the caller began to ask
     * @param patience how long the owners may take to answer
     * @return the keys whose chunks {@code needed} owners other than the writer hold
     */
    public Set<String> confirmOrPutBack(Map<String, SegmentRecord> records, int needed, long askedAt, Duration patience) {
        Set<String> held = new HashSet<>();
        try {
            long membership = replicas.membershipId();
            Map<ChunkKey, String> toAsk = new HashMap<>();
            records.forEach((key, record) -> {
                Acknowledgement proof = acknowledgements.get(key);
                if (proof != null && proof.proves(record, membership, askedAt)) {
                    held.add(key); // every owner acknowledged these chunks since the question and none has left
                } else if (record.hasData()) {
                    toAsk.put(ChunkKey.of(key, record, 0), record.writer());
                }
            });
            if (toAsk.isEmpty()) {
                return held;
            }
            long questionSentAt = System.nanoTime();
            Map<ChunkKey, Integer> answers = replicas.confirmCopiesOutside(toAsk, patience);
            List<String> putBack = new ArrayList<>();
            answers.forEach((chunk, owners) -> {
                String key = chunk.segmentKey();
                SegmentRecord record = records.get(key);
                if (owners >= needed) {
                    acknowledged(key, record, membership, questionSentAt);
                    held.add(key);
                } else if (owners == 0 && putBackIfPossible(key, record, membership)) {
                    held.add(key);
                    putBack.add(key);
                }
                // Some owners hold them but fewer than needed: state transfer is giving the others their copy.
            });
            logPutBack(putBack);
        } catch (ClusterUnavailableException e) {
            LOG.fine(() -> "cannot check the replicas of " + records.keySet() + " now: " + e.getMessage());
        }
        return held;
    }

    /** @return false also when the put-back cannot be done now; the caller's next check tries again */
    private boolean putBackIfPossible(String key, SegmentRecord record, long membership) {
        try {
            return putBack(key, record, membership);
        } catch (ClusterUnavailableException | LocalStoreException e) {
            LOG.fine(() -> "cannot restore the replicas of '" + key + "' now: " + e.getMessage());
            return false;
        }
    }

    /** Puts this node's local copy back under the record's chunk keys, when it is that version. */
    private boolean putBack(String key, SegmentRecord record, long membership) {
        Optional<StoredSegment> local = store.get(key);
        if (local.isEmpty() || !isCopyOf(local.get().metadata(), record)) {
            return false;
        }
        // Chunk 0 is what readers probe first, so it goes last: a put-back that fails half way
        // must not leave it behind to vouch for chunks that are missing.
        long putSentAt = System.nanoTime();
        Chunks.put(replicas, key, record.dataEpoch(), record.dataWriter(), record.placement(), local.get(), true);
        Optional<SegmentRecord> now = directory.get(key);
        if (now.isEmpty() || !now.get().sameDataAs(record)) {
            Chunks.remove(replicas, key, record); // published over meanwhile: ours are garbage
            return false;
        }
        acknowledged(key, record, membership, putSentAt);
        return true;
    }

    /** One line per batch: after a whole-cluster restart a batch may hold a thousand such segments. */
    private static void logPutBack(List<String> keys) {
        if (keys.isEmpty()) {
            return;
        }
        LOG.warning(() -> keys.size() + " segment(s) of which no owner answered that it holds the published version"
                + " (all lost at once?) put back from this node's local copies, e.g. "
                + keys.subList(0, Math.min(3, keys.size())));
    }

    /**
     * Remembers that every owner acknowledged {@code record}'s chunks, e.g. a publication's
     * record update, which every member acknowledges.
     *
     * @param answeredAfter a moment before every owner's acknowledgement was sent ({@link System#nanoTime})
     */
    void acknowledged(String key, SegmentRecord record, long membership, long answeredAfter) {
        if (acknowledgements.size() >= MAX_ACKNOWLEDGEMENTS) {
            acknowledgements.clear();
        }
        acknowledgements.put(key, new Acknowledgement(record, membership, answeredAfter));
    }

    /**
     * The record whose chunks every owner acknowledged, under which membership, and a moment
     * before all of them answered ({@link System#nanoTime}: when the put, the record's update or
     * the question that they answered was sent).
     */
    private record Acknowledgement(SegmentRecord held, long membership, long answeredAfter) {

        /**
         * @return true for the same data, no member gone since, and answered after the question
         *     was asked: an owner that answered earlier may have crashed since, unnoticed by the
         *     view until failure detection
         */
        boolean proves(SegmentRecord record, long membershipNow, long askedAt) {
            return membership == membershipNow && held.sameDataAs(record) && answeredAfter - askedAt >= 0;
        }
    }

    static boolean isCopyOf(SegmentMetadata local, SegmentRecord record) {
        return local.version() == record.version() && local.size() == record.size()
                && local.checksum() == record.checksum();
    }
}
