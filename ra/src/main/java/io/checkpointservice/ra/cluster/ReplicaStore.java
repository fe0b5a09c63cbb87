package io.checkpointservice.ra.cluster;

/**
 * Chunk copies of published versions on replica nodes. Chunks of one segment are kept together
 * on the same owners, so counting the owners of a segment counts its copies.
 */
public interface ReplicaStore {

    /**
     * Stores one chunk on all its owners; returns when every owner holds it.
     *
     * @throws ClusterUnavailableException when the owners cannot be reached
     */
    void putChunk(ChunkKey chunk, byte[] data);

    /**
     * @return the chunk from one of its owners, or null when no owner holds it any more
     * @throws ClusterUnavailableException when the owners cannot be reached
     */
    byte[] getChunk(ChunkKey chunk);

    /** Removes one chunk from its owners; a missing chunk is not an error. */
    void removeChunk(ChunkKey chunk);

    /**
     * @return how many nodes other than {@code writer} hold the data of segment {@code key}
     *     now (owners that have finished receiving it)
     */
    int copiesOutside(String key, String writer);
}
