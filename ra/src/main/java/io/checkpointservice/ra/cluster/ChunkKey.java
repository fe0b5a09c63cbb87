package io.checkpointservice.ra.cluster;

/**
 * Names one chunk of one published version. The epoch and the publishing node are part of the
 * name, so chunks of different lineages never share a key: a fenced writer's chunks can never
 * overwrite the new writer's chunks of the same version number, and after a network split, when
 * both sides took the segment over under the same epoch and wrote the same version number, the
 * merge keeps both sets apart and the winning record finds exactly its own.
 *
 * <p>The chunks of a version share one placement group, so they are held or lost together: the
 * segment key, and with a {@code placement} above 0 that number too. The writer picks the
 * placement under which it is the primary owner ({@link ReplicaStore#placementFor}), so each
 * chunk crosses the network once per backup, never once more to reach a primary elsewhere that
 * sends it on (back to the writer too, when the writer is a backup).
 *
 * @param writer the node that published the chunks ({@link SegmentRecord#dataWriter()})
 * @param placement the placement the writer chose ({@link SegmentRecord#placement()}); 0 places
 *     the chunks by the segment key alone
 */
public record ChunkKey(String segmentKey, long epoch, String writer, long version, int index, int placement) {

    /** Separates the segment key (the placement group) from the rest; never in a segment key. */
    static final char GROUP_END = '#';

    public ChunkKey {
        if (placement < 0) {
            throw new IllegalArgumentException("placement must be 0 or more: " + placement);
        }
    }

    /** A chunk placed by its segment key alone (placement 0). */
    public ChunkKey(String segmentKey, long epoch, String writer, long version, int index) {
        this(segmentKey, epoch, writer, version, index, 0);
    }

    /** @return the key of chunk {@code index} of the version {@code record} points at */
    public static ChunkKey of(String segmentKey, SegmentRecord record, int index) {
        return new ChunkKey(segmentKey, record.dataEpoch(), record.dataWriter(), record.version(), index,
                record.placement());
    }

    /**
     * @return the cache key: {@code segmentKey#epoch:version:index:writer}, or with a placement
     *     {@code segmentKey#placement#epoch:version:index:writer}
     */
    public String cacheKey() {
        return group() + GROUP_END + epoch + ':' + version + ':' + index + ':' + writer;
    }

    /** @return the placement group of every chunk of this version: what decides their owners */
    public String group() {
        return placement == 0 ? segmentKey : segmentKey + GROUP_END + placement;
    }

    /**
     * @return the chunk a cache key names, or null when it is not in {@link #cacheKey()}'s form
     */
    static ChunkKey parse(String cacheKey) {
        int end = cacheKey.indexOf(GROUP_END);
        if (end < 0) {
            return null;
        }
        int restFrom = groupOf(cacheKey).length() + 1;
        String[] f = cacheKey.substring(restFrom).split(":", 4);
        if (f.length != 4) {
            return null;
        }
        try {
            int placement = restFrom == end + 1 ? 0 : Integer.parseInt(cacheKey.substring(end + 1, restFrom - 1));
            return new ChunkKey(cacheKey.substring(0, end), Long.parseLong(f[0]), f[3], Long.parseLong(f[1]),
                    Integer.parseInt(f[2]), placement);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * @param record the segment's current record
     * @return true when no record can ever point at this chunk again: it is not the record's data
     *     (the same version, epoch, writer and placement; a publication that failed after its
     *     puts leaves the same version under another placement when it is retried), and it was
     *     stored under an epoch the record has moved past, or under the record's epoch by another
     *     node (the loser of a take-over made on both sides of a network split), or it is a
     *     version of the current writer that the record has already passed. A chunk of a version
     *     still being published by the record's writer is never abandoned: above the record's
     *     version, or the same number when the record's data is an older lineage's (see
     *     {@link SegmentRecord#isOlderThan}).
     */
    public boolean isAbandonedUnder(SegmentRecord record) {
        boolean current = record.hasData() && isDataOf(record);
        if (current || record.kept().stream().anyMatch(this::isDataOf)) {
            return false; // the record's version, or an older one it keeps (retainVersions)
        }
        if (epoch < record.epoch()) {
            return true;
        }
        return epoch == record.epoch() && (!writer.equals(record.writer()) || !record.isOlderThan(version, epoch));
    }

    /** @return true when this chunk belongs to the version {@code record} names (its epoch, version, writer, placement) */
    private boolean isDataOf(SegmentRecord record) {
        return epoch == record.dataEpoch() && version == record.version() && writer.equals(record.dataWriter())
                && placement == record.placement();
    }

    /**
     * @return the placement group of a cache key ({@link #group()}): its segment key, with the
     *     placement when the key has one (digits between the first and a second {@code #}; the
     *     epoch that follows the first {@code #} otherwise ends at a {@code :})
     */
    static String groupOf(String cacheKey) {
        int end = cacheKey.indexOf(GROUP_END);
        if (end < 0) {
            return cacheKey;
        }
        int digits = end + 1;
        while (digits < cacheKey.length() && Character.isDigit(cacheKey.charAt(digits))) {
            digits++;
        }
        boolean placed = digits > end + 1 && digits < cacheKey.length() && cacheKey.charAt(digits) == GROUP_END;
        return cacheKey.substring(0, placed ? digits : end);
    }
}
