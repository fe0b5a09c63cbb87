package io.checkpointservice.ra.restore;

import io.checkpointservice.api.SegmentUnavailableException;
import io.checkpointservice.ra.cluster.ChunkKey;
import io.checkpointservice.ra.cluster.ClusterUnavailableException;
import io.checkpointservice.ra.cluster.ReplicaStore;
import io.checkpointservice.ra.cluster.SegmentRecord;
import io.checkpointservice.ra.store.Checksums;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Reads one published version from its chunks on the replicas and checks it against its record
 * (size, CRC32C; G7): for {@code load}, which then stores it and takes the segment over, and for
 * the read-only reads of retained versions, which do neither.
 */
final class ReplicaFetch {

    private ReplicaFetch() {
    }

    /**
     * @param movedOn asked when a chunk is missing: true when the cluster's record no longer
     *     points at {@code record}'s chunks (the writer published a newer version and removed them)
     * @return the record's version from the replicas, checked; empty when a chunk is missing and
     *     the record moved on
     * @throws SegmentUnavailableException when no replica can give an intact copy now
     */
    static Optional<byte[]> fetch(ReplicaStore replicas, String key, String name, SegmentRecord record,
                                  BooleanSupplier movedOn) {
        int count = record.chunkCount();
        // Segments of one chunk are the chunk itself: nothing changes a fetched array.
        byte[] data = count == 1 ? null : new byte[Math.toIntExact(record.size())];
        int offset = 0;
        try {
            for (int i = 0; i < count; i++) {
                byte[] chunk = replicas.getChunk(ChunkKey.of(key, record, i));
                if (chunk == null) {
                    if (movedOn.getAsBoolean()) {
                        return Optional.empty();
                    }
                    throw new SegmentUnavailableException("segment '" + name + "' v" + record.version()
                            + " exists, but no replica holding it is reachable now (chunk " + i + " of "
                            + count + " missing); retry when its replica nodes are back");
                }
                if (data == null) {
                    data = chunk;
                    offset = chunk.length;
                    continue;
                }
                if (offset + chunk.length > data.length) {
                    throw new SegmentUnavailableException("segment '" + name + "' v" + record.version()
                            + ": replica chunks are longer than the record says");
                }
                System.arraycopy(chunk, 0, data, offset, chunk.length);
                offset += chunk.length;
            }
        } catch (ClusterUnavailableException e) {
            throw new SegmentUnavailableException("segment '" + name + "' exists, but its replicas cannot be "
                    + "reached now: " + e.getMessage(), e);
        }
        if (offset != record.size() || Checksums.crc32c(data) != record.checksum()) {
            throw new SegmentUnavailableException("segment '" + name + "' v" + record.version()
                    + ": the copy fetched from a replica is torn or corrupt and was discarded; retry");
        }
        return Optional.of(data);
    }
}
