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

    /** @return the placement group of a cache key: its segment key */
    static String groupOf(String cacheKey) {
        int end = cacheKey.indexOf(GROUP_END);
        return end < 0 ? cacheKey : cacheKey.substring(0, end);
    }
}
