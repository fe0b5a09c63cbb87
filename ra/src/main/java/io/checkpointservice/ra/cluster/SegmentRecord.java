package io.checkpointservice.ra.cluster;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
 * @param placement the placement group of the version's chunks ({@link ChunkKey#placement()}):
 *     0 for the segment key alone, otherwise the number under which the data writer was their
 *     primary owner when it published them
 * @param kept the older published versions whose chunks the replicas keep ({@code retainVersions}
 *     above 1 without a global store), newest first, each as a record of its data alone (writer
 *     and epoch are its data writer and data epoch, no kept versions of its own); empty otherwise
 */
public record SegmentRecord(long version, long dataEpoch, long epoch, String writer, long size,
                            int checksum, Instant writtenAt, String origin, int chunkSize, boolean deleted,
                            String dataWriter, int placement, List<SegmentRecord> kept) {

    /**
     * Format 5 is as short as it can be while staying readable in a log line, because every node
     * holds one record per segment (with 100,000 segments every byte of it is 100 kB on every
     * node; P5). Numbers are written in base 36 (a millisecond timestamp in 8 characters instead of
     * 13, a checksum, as unsigned, in at most 7 instead of 11). It leaves out what the record can
     * tell by itself: the chunk size when it is {@link #USUAL_CHUNK_SIZE}, the deletion mark of a
     * live record, a placement of 0, and the origin and data writer when they are the writer
     * (almost always; trailing empty fields are dropped). Encoding is deterministic, as the
     * conditional replace on the encoded string needs. No other format is read: nodes of releases
     * with different formats cannot share a cluster, and a record journal of another format is
     * left out.
     */
    private static final String FORMAT = "5";
    private static final int RADIX = Character.MAX_RADIX;
    private static final String DELETED = "D";
    /**
     * Starts each kept older version after the record's own fields: {@code ~version,dataEpoch,size,
     * checksum,writtenAt,chunkSize,placement,dataWriter,origin} (the same rules of leaving out as the
     * record's). Never in a node name, so a record that keeps none is exactly format 5 as before.
     */
    private static final char KEPT = '~';
    /** The chunk size the replicator uses; a record of another one spells it out. */
    public static final int USUAL_CHUNK_SIZE = 1 << 20;

    /** The fields in their stored order, for {@link #decode}; everywhere else {@link #builder()} names them. */
    public SegmentRecord {
        Objects.requireNonNull(writer);
        Objects.requireNonNull(writtenAt);
        Objects.requireNonNull(origin);
        Objects.requireNonNull(dataWriter);
        if (placement < 0) {
            throw new IllegalArgumentException("placement must be 0 or more: " + placement);
        }
        kept = List.copyOf(kept);
    }

    /** A claim of ownership for a segment the cluster holds no data of. */
    public static SegmentRecord claim(long epoch, String writer, long version, Instant now) {
        return builder().version(version).dataEpoch(0).epoch(epoch).writer(writer).writtenAt(now).chunkSize(0)
                .deleted(true).build();
    }

    /**
     * @return true when both records point at the same chunks: the same version published by the
     *     same node under the same epoch and placement (those four name the chunks, see {@link ChunkKey})
     */
    public boolean sameDataAs(SegmentRecord other) {
        return hasData() && other.hasData() && version == other.version && dataEpoch == other.dataEpoch
                && dataWriter.equals(other.dataWriter) && placement == other.placement;
    }

    /** @return true when a version with data is published, neither deleted nor only claimed */
    public boolean hasData() {
        return !deleted && version > 0;
    }

    /**
     * @return the published versions whose chunks this record keeps reachable: its own (when it
     *     has data), then the {@linkplain #kept kept} older ones, newest first
     */
    public List<SegmentRecord> publishedVersions() {
        if (kept.isEmpty()) {
            return hasData() ? List.of(this) : List.of();
        }
        List<SegmentRecord> all = new ArrayList<>(kept.size() + 1);
        if (hasData()) {
            all.add(this);
        }
        all.addAll(kept);
        return all;
    }

    /**
     * @param keep how many older versions the new record keeps
     * @return the versions a record that replaces this one keeps, newest first: this record's own
     *     version, then its kept ones, those below {@code newVersion} only, at most {@code keep}
     */
    public List<SegmentRecord> keptAfterPublishing(long newVersion, int keep) {
        List<SegmentRecord> next = new ArrayList<>(keep);
        for (SegmentRecord version : publishedVersions()) {
            if (next.size() == keep) {
                break;
            }
            if (version.version < newVersion) {
                next.add(version.dataOnly());
            }
        }
        return next;
    }

    /** @return this version's data as a kept version: writer and epoch are its data's, nothing kept */
    private SegmentRecord dataOnly() {
        return kept.isEmpty() && writer.equals(dataWriter) && epoch == dataEpoch && !deleted ? this
                : toBuilder().epoch(dataEpoch).writer(dataWriter).deleted(false).kept(List.of()).build();
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
        return toBuilder().epoch(newEpoch).writer(newWriter).build();
    }

    /**
     * @param localVersion the version of a copy this node wrote
     * @param localEpoch the epoch it was written under
     * @return true when that copy is newer than what this record holds: a higher version, or the
     *     same version number written under a newer epoch than the record's data (a node that
     *     took the segment over by writing, while the previous writer, not fenced yet, published
     *     the same number). Never true against a tombstone or claim of the same version: those
     *     close the version they name.
     */
    public boolean isOlderThan(long localVersion, long localEpoch) {
        return localVersion > version || (localVersion == version && hasData() && dataEpoch < localEpoch);
    }

    /** @return true when {@code node}, writing under {@code nodeEpoch}, has been fenced by this record */
    public boolean fences(String node, long nodeEpoch) {
        return epoch > nodeEpoch || (epoch == nodeEpoch && !writer.equals(node));
    }

    String encode() {
        StringBuilder out = new StringBuilder(48).append(FORMAT)
                .append('|').append(Long.toString(version, RADIX))
                .append('|').append(Long.toString(dataEpoch, RADIX))
                .append('|').append(Long.toString(epoch, RADIX))
                .append('|').append(Long.toString(size, RADIX))
                .append('|').append(Integer.toUnsignedString(checksum, RADIX))
                .append('|').append(Long.toString(writtenAt.toEpochMilli(), RADIX))
                .append('|').append(chunkSize == USUAL_CHUNK_SIZE ? "" : Integer.toString(chunkSize, RADIX))
                .append('|').append(deleted ? DELETED : "")
                .append('|').append(placement == 0 ? "" : Integer.toString(placement, RADIX))
                .append('|').append(writer);
        boolean ownData = dataWriter.equals(writer);
        if (!origin.equals(writer) || !ownData) {
            out.append('|').append(origin.equals(writer) ? "" : origin);
        }
        if (!ownData) {
            out.append('|').append(dataWriter);
        }
        for (SegmentRecord version : kept) {
            out.append(KEPT).append(Long.toString(version.version, RADIX))
                    .append(',').append(Long.toString(version.dataEpoch, RADIX))
                    .append(',').append(Long.toString(version.size, RADIX))
                    .append(',').append(Integer.toUnsignedString(version.checksum, RADIX))
                    .append(',').append(Long.toString(version.writtenAt.toEpochMilli(), RADIX))
                    .append(',').append(version.chunkSize == USUAL_CHUNK_SIZE ? "" : Integer.toString(version.chunkSize, RADIX))
                    .append(',').append(version.placement == 0 ? "" : Integer.toString(version.placement, RADIX))
                    .append(',').append(version.dataWriter)
                    .append(',').append(version.origin.equals(version.dataWriter) ? "" : version.origin);
        }
        return out.toString();
    }

    /**
     * @return a builder: every field named where it is set, so that a version cannot be taken for
     *     an epoch. Unset, the origin and the data writer are the writer, the data epoch is the
     *     epoch, the chunk size is {@link #USUAL_CHUNK_SIZE}, the placement 0, and the record is live.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this record's fields, to derive another from it */
    public Builder toBuilder() {
        return builder().version(version).dataEpoch(dataEpoch).epoch(epoch).writer(writer).size(size)
                .checksum(checksum).writtenAt(writtenAt).origin(origin).chunkSize(chunkSize).deleted(deleted)
                .dataWriter(dataWriter).placement(placement).kept(kept);
    }

    /** Builds a {@link SegmentRecord} field by field; see {@link SegmentRecord#builder()} for the defaults. */
    public static final class Builder {
        private long version;
        private Long dataEpoch;
        private long epoch;
        private String writer;
        private long size;
        private int checksum;
        private Instant writtenAt;
        private String origin;
        private int chunkSize = USUAL_CHUNK_SIZE;
        private boolean deleted;
        private String dataWriter;
        private int placement;
        private List<SegmentRecord> kept = List.of();

        private Builder() {
        }

        public Builder version(long value) {
            version = value;
            return this;
        }

        public Builder dataEpoch(long value) {
            dataEpoch = value;
            return this;
        }

        public Builder epoch(long value) {
            epoch = value;
            return this;
        }

        public Builder writer(String value) {
            writer = value;
            return this;
        }

        public Builder size(long value) {
            size = value;
            return this;
        }

        public Builder checksum(int value) {
            checksum = value;
            return this;
        }

        public Builder writtenAt(Instant value) {
            writtenAt = value;
            return this;
        }

        public Builder origin(String value) {
            origin = value;
            return this;
        }

        public Builder chunkSize(int value) {
            chunkSize = value;
            return this;
        }

        public Builder deleted(boolean value) {
            deleted = value;
            return this;
        }

        public Builder dataWriter(String value) {
            dataWriter = value;
            return this;
        }

        public Builder placement(int value) {
            placement = value;
            return this;
        }

        /** @param value the kept older versions, newest first ({@link SegmentRecord#kept}) */
        public Builder kept(List<SegmentRecord> value) {
            kept = value;
            return this;
        }

        /** @throws NullPointerException when the writer or the time is missing */
        public SegmentRecord build() {
            Objects.requireNonNull(writer, "writer");
            return new SegmentRecord(version, dataEpoch != null ? dataEpoch : epoch, epoch, writer, size, checksum,
                    writtenAt, origin != null ? origin : writer, chunkSize, deleted,
                    dataWriter != null ? dataWriter : writer, placement, kept);
        }
    }

    /**
     * @return the record's string form, as the records cache holds it; for stores outside the
     *     cluster (the global store) that keep a record next to its data
     */
    public String encoded() {
        return encode();
    }

    /**
     * @return the record of a string form made by {@link #encoded()}
     * @throws IllegalStateException when the text is not a record of this release's format
     */
    public static SegmentRecord fromEncoded(String encoded) {
        return decode(Objects.requireNonNull(encoded));
    }

    static SegmentRecord decode(String encoded) {
        if (encoded == null) {
            return null;
        }
        int keptFrom = encoded.indexOf(KEPT);
        List<SegmentRecord> kept = keptFrom < 0 ? List.of() : decodeKept(encoded, keptFrom);
        String own = keptFrom < 0 ? encoded : encoded.substring(0, keptFrom);
        String[] f = own.split("\\|", -1);
        if (f.length < 11 || f.length > 13 || !FORMAT.equals(f[0])) {
            throw new IllegalStateException("unknown segment record format (a node of another release in the "
                    + "cluster?): " + encoded);
        }
        String writer = f[10];
        String origin = f.length > 11 && !f[11].isEmpty() ? f[11] : writer;
        String dataWriter = f.length > 12 ? f[12] : writer;
        return new SegmentRecord(Long.parseLong(f[1], RADIX), Long.parseLong(f[2], RADIX), Long.parseLong(f[3], RADIX),
                writer, Long.parseLong(f[4], RADIX), Integer.parseUnsignedInt(f[5], RADIX),
                Instant.ofEpochMilli(Long.parseLong(f[6], RADIX)), origin,
                f[7].isEmpty() ? USUAL_CHUNK_SIZE : Integer.parseInt(f[7], RADIX), DELETED.equals(f[8]), dataWriter,
                f[9].isEmpty() ? 0 : Integer.parseInt(f[9], RADIX), kept);
    }

    private static List<SegmentRecord> decodeKept(String encoded, int from) {
        List<SegmentRecord> kept = new ArrayList<>();
        for (String entry : encoded.substring(from + 1).split(String.valueOf(KEPT), -1)) {
            String[] f = entry.split(",", -1);
            if (f.length != 9) {
                throw new IllegalStateException("unknown segment record format (a kept version of "
                        + f.length + " fields): " + encoded);
            }
            String dataWriter = f[7];
            long dataEpoch = Long.parseLong(f[1], RADIX);
            kept.add(new SegmentRecord(Long.parseLong(f[0], RADIX), dataEpoch, dataEpoch, dataWriter,
                    Long.parseLong(f[2], RADIX), Integer.parseUnsignedInt(f[3], RADIX),
                    Instant.ofEpochMilli(Long.parseLong(f[4], RADIX)), f[8].isEmpty() ? dataWriter : f[8],
                    f[5].isEmpty() ? USUAL_CHUNK_SIZE : Integer.parseInt(f[5], RADIX), false, dataWriter,
                    f[6].isEmpty() ? 0 : Integer.parseInt(f[6], RADIX), List.of()));
        }
        return kept;
    }
}
