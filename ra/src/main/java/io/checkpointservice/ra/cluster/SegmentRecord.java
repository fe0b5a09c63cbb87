package io.checkpointservice.ra.cluster;

import java.time.Instant;
import java.util.Objects;

/**
 * The cluster's knowledge of one segment, replicated to every node so that {@code load} decides
 * fresh vs stale and absent vs unavailable without asking anyone (DESIGN: metadata everywhere).
 *
 * <p>Kept as a plain string in the cache: Infinispan marshals strings without a schema, and
 * {@code equals} on the string is what its conditional {@code replace} compares, which is how
 * ownership changes are made atomic.
 *
 * @param version the newest published version; 0 for a claim without data
 * @param dataEpoch the epoch under which that version's chunks are stored (part of their keys)
 * @param epoch the current ownership epoch; a node writing under a lower one is fenced (G6)
 * @param writer the node that owns the segment now
 * @param size state bytes of the version
 * @param checksum CRC32C of the state bytes
 * @param writtenAt when the version was written
 * @param origin the node that wrote the version
 * @param chunkSize bytes per chunk the data was cut into
 * @param deleted true for a tombstone: the segment was deleted at {@code version}
 * @param dataWriter the node that published the version's chunks (under {@code dataEpoch}); part
 *     of their keys, because after a network split two nodes may have published the same version
 *     number under the same epoch (see {@link RecordMergePolicy})
 */
public record SegmentRecord(long version, long dataEpoch, long epoch, String writer, long size,
                            int checksum, Instant writtenAt, String origin, int chunkSize, boolean deleted,
                            String dataWriter) {

    /**
     * Format 3 leaves out what the record can tell by itself: the origin and data writer when they
     * are the writer (almost always), and the chunk size when it is {@link #USUAL_CHUNK_SIZE}. A
     * record is held by every node, so with 100,000 segments every byte of it counts (P5; with host
     * names as node names, two repeated names were ~50 bytes). Encoding is deterministic, as the
     * conditional replace on the encoded string needs. Records live in memory only, so no earlier
     * format is ever read: nodes of releases with different formats cannot share a cluster.
     */
    private static final String FORMAT = "3";
    /** The chunk size the replicator uses; a record of another one spells it out. */
    public static final int USUAL_CHUNK_SIZE = 1 << 20;

    public SegmentRecord {
        Objects.requireNonNull(writer);
        Objects.requireNonNull(writtenAt);
        Objects.requireNonNull(origin);
        Objects.requireNonNull(dataWriter);
    }

    /** A record as its writer publishes it: the writer is the one who stored the chunks. */
    public SegmentRecord(long version, long dataEpoch, long epoch, String writer, long size,
                         int checksum, Instant writtenAt, String origin, int chunkSize, boolean deleted) {
        this(version, dataEpoch, epoch, writer, size, checksum, writtenAt, origin, chunkSize, deleted, writer);
    }

    /** A claim of ownership for a segment the cluster holds no data of. */
    public static SegmentRecord claim(long epoch, String writer, long version, Instant now) {
        return new SegmentRecord(version, 0, epoch, writer, 0, 0, now, writer, 0, true);
    }

    /**
     * @return true when both records point at the same chunks: the same version published by the
     *     same node under the same epoch (those three name the chunks, see {@link ChunkKey})
     */
    public boolean sameDataAs(SegmentRecord other) {
        return hasData() && other.hasData() && version == other.version && dataEpoch == other.dataEpoch
                && dataWriter.equals(other.dataWriter);
    }

    /** @return true when a version with data is published, neither deleted nor only claimed */
    public boolean hasData() {
        return !deleted && version > 0;
    }

    /** @return how many chunks hold the data */
    public int chunkCount() {
        if (!hasData()) {
            return 0;
        }
        return size == 0 ? 1 : (int) ((size + chunkSize - 1) / chunkSize);
    }

    /** @return the same record owned by {@code newWriter} under {@code newEpoch} */
    public SegmentRecord takenOverBy(String newWriter, long newEpoch) {
        return new SegmentRecord(version, dataEpoch, newEpoch, newWriter, size, checksum, writtenAt,
                origin, chunkSize, deleted, dataWriter);
    }

    /** @return true when {@code node}, writing under {@code nodeEpoch}, has been fenced by this record */
    public boolean fences(String node, long nodeEpoch) {
        return epoch > nodeEpoch || (epoch == nodeEpoch && !writer.equals(node));
    }

    String encode() {
        return String.join("|", FORMAT, Long.toString(version), Long.toString(dataEpoch),
                Long.toString(epoch), Long.toString(size), Integer.toString(checksum),
                Long.toString(writtenAt.toEpochMilli()), chunkSize == USUAL_CHUNK_SIZE ? "" : Integer.toString(chunkSize),
                deleted ? "D" : "L", writer, origin.equals(writer) ? "" : origin,
                dataWriter.equals(writer) ? "" : dataWriter);
    }

    static SegmentRecord decode(String encoded) {
        if (encoded == null) {
            return null;
        }
        String[] f = encoded.split("\\|", -1);
        if (f.length != 12 || !FORMAT.equals(f[0])) {
            throw new IllegalStateException("unknown segment record format (a node of another release in the "
                    + "cluster?): " + encoded);
        }
        String writer = f[9];
        int chunkSize = f[7].isEmpty() ? USUAL_CHUNK_SIZE : Integer.parseInt(f[7]);
        String origin = f[10].isEmpty() ? writer : f[10];
        String dataWriter = f[11].isEmpty() ? writer : f[11];
        return new SegmentRecord(Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]), writer,
                Long.parseLong(f[4]), Integer.parseInt(f[5]), Instant.ofEpochMilli(Long.parseLong(f[6])),
                origin, chunkSize, "D".equals(f[8]), dataWriter);
    }
}
