package io.checkpointservice.ra.cluster;

/**
 * Names one chunk of one version. The epoch is part of the name so that a fenced writer's chunks
 * can never overwrite the new writer's chunks of the same version number.
 */
public record ChunkKey(String segmentKey, long epoch, long version, int index) {

    /** Separates the segment key (the placement group) from the rest; never in a segment key. */
    static final char GROUP_END = '#';

    /** @return the cache key: {@code segmentKey#epoch:version:index} */
    public String cacheKey() {
        return segmentKey + GROUP_END + epoch + ':' + version + ':' + index;
    }

    /** @return the placement group of a cache key: its segment key */
    static String groupOf(String cacheKey) {
        int end = cacheKey.indexOf(GROUP_END);
        return end < 0 ? cacheKey : cacheKey.substring(0, end);
    }
}
