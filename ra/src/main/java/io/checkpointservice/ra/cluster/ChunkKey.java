package io.checkpointservice.ra.cluster;

/**
 * Names one chunk of one published version. The epoch and the publishing node are part of the
 * name, so chunks of different lineages never share a key: a fenced writer's chunks can never
 * overwrite the new writer's chunks of the same version number, and after a network split, when
 * both sides took the segment over under the same epoch and wrote the same version number, the
 * merge keeps both sets apart and the winning record finds exactly its own.
 *
 * @param writer the node that published the chunks ({@link SegmentRecord#dataWriter()})
 */
public record ChunkKey(String segmentKey, long epoch, String writer, long version, int index) {

    /** Separates the segment key (the placement group) from the rest; never in a segment key. */
    static final char GROUP_END = '#';

    /** @return the key of chunk {@code index} of the version {@code record} points at */
    public static ChunkKey of(String segmentKey, SegmentRecord record, int index) {
        return new ChunkKey(segmentKey, record.dataEpoch(), record.dataWriter(), record.version(), index);
    }

    /** @return the cache key: {@code segmentKey#epoch:version:index:writer} */
    public String cacheKey() {
        return segmentKey + GROUP_END + epoch + ':' + version + ':' + index + ':' + writer;
    }

    /**
     * @return the chunk a cache key names, or null when it is not in {@link #cacheKey()}'s form
     */
    static ChunkKey parse(String cacheKey) {
        int end = cacheKey.indexOf(GROUP_END);
        String[] f = end < 0 ? new String[0] : cacheKey.substring(end + 1).split(":", 4);
        if (f.length != 4) {
            return null;
        }
        try {
            return new ChunkKey(cacheKey.substring(0, end), Long.parseLong(f[0]), f[3], Long.parseLong(f[1]),
                    Integer.parseInt(f[2]));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * @param record the segment's current record
     * @return true when no record can ever point at this chunk again: it is not the record's data,
     *     and it was stored under an epoch the record has moved past, or under the record's epoch by
     *     another node (the loser of a take-over made on both sides of a network split), or it is a
     *     version of the current writer that the record has already passed. A chunk of a version
     *     still being published by the record's writer is never abandoned: above the record's
     *     version, or the same number when the record's data is an older lineage's (see
     *     {@link SegmentRecord#isOlderThan}).
     */
    public boolean isAbandonedUnder(SegmentRecord record) {
        boolean current = record.hasData() && epoch == record.dataEpoch() && version == record.version()
                && writer.equals(record.dataWriter());
        if (current) {
            return false;
        }
        if (epoch < record.epoch()) {
            return true;
        }
        return epoch == record.epoch() && (!writer.equals(record.writer()) || !record.isOlderThan(version, epoch));
    }

    /** @return the placement group of a cache key: its segment key */
    static String groupOf(String cacheKey) {
        int end = cacheKey.indexOf(GROUP_END);
        return end < 0 ? cacheKey : cacheKey.substring(0, end);
    }
}
