package io.checkpointservice.ra.monitoring;

import io.checkpointservice.ra.cluster.ChunkKey;
import io.checkpointservice.ra.cluster.Ownership;
import io.checkpointservice.ra.cluster.ReplicaStore;
import io.checkpointservice.ra.cluster.SegmentDirectory;
import io.checkpointservice.ra.cluster.SegmentRecord;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Counts the segments below R copies, as far as this node can tell without asking anyone:
 * among the segments this node writes (at most {@link #MAX_SAMPLED} of them), those whose
 * published version's chunks have fewer than R owners other than this node in the current view
 * and topology. Each segment costs a local record read and a hash; no message is sent.
 *
 * <p>What it does not see: a version not published yet (that is the replication backlog), the
 * segments other nodes write (each node counts its own), and an owner that is in the view but
 * lost its copy, or crashed and is not suspected yet (awaitReplicated's confirmation asks the
 * owners; this count does not). It answers "are there enough members holding my segments", which
 * is what an operator can act on.
 */
final class UnderReplication {

    /** The most segments one count looks at: about a millisecond per thousand. */
    static final int MAX_SAMPLED = 100_000;

    private final int replicaCount;
    private final Ownership ownership;
    private final SegmentDirectory directory;
    private final ReplicaStore replicas;

    UnderReplication(int replicaCount, Ownership ownership, SegmentDirectory directory, ReplicaStore replicas) {
        this.replicaCount = replicaCount;
        this.ownership = ownership;
        this.directory = directory;
        this.replicas = replicas;
    }

    /**
     * @return how many of the segments this node writes have fewer than R live owners off the writer
     * @throws RuntimeException when the cluster is stopping
     */
    int count() {
        if (replicaCount == 0) {
            return 0;
        }
        Set<String> sampled = ownership.owned().limit(MAX_SAMPLED).collect(Collectors.toSet());
        int below = 0;
        for (String key : sampled) {
            Optional<SegmentRecord> record = directory.get(key);
            if (record.isPresent() && record.get().hasData() && !isAtReplicaCount(key, record.get())) {
                below++;
            }
        }
        return below;
    }

    /** @return true when the record's chunks have at least R live owners other than its writer */
    boolean isAtReplicaCount(String key, SegmentRecord record) {
        return replicas.copiesOutside(ChunkKey.of(key, record, 0), record.writer()) >= replicaCount;
    }
}
