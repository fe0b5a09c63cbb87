package io.checkpointservice.ra.cluster;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Chunk copies of published versions on replica nodes. Chunks of one segment are kept together
 * on the same owners, so a segment's chunks are held or lost together. Counting its owners in the
 * view ({@link #copiesOutside}) counts its copies only while every owner is running and none was
 * replaced after losing them all; {@link #confirmCopiesOutside} asks them (see
 * {@code Replicator.confirmOrPutBack}).
 */
public interface ReplicaStore {

    /**
     * Stores one chunk on all its owners; returns when every owner holds it.
     *
     * @throws ClusterUnavailableException when the owners cannot be reached
     */
    void putChunk(ChunkKey chunk, byte[] data);

    /**
     * Stores several chunks; returns when every owner holds all of them. A store that can keep
     * several puts in flight does (the cluster overlaps their round trips); this default puts
     * them one after the other.
     *
     * @param chunks the chunks, in the same order as {@code data}
     * @throws ClusterUnavailableException when an owner cannot be reached; some chunks may then
     *     be stored, which is harmless: no record points at them
     */
    default void putChunks(List<ChunkKey> chunks, List<byte[]> data) {
        for (int i = 0; i < chunks.size(); i++) {
            putChunk(chunks.get(i), data.get(i));
        }
    }

    /**
     * @return the chunk from one of its owners, or null when no owner holds it any more
     * @throws ClusterUnavailableException when the owners cannot be reached
     */
    byte[] getChunk(ChunkKey chunk);

    /** Removes one chunk from its owners; a missing chunk is not an error. */
    void removeChunk(ChunkKey chunk);

    /**
     * Starts removing one chunk without waiting for its owners: for chunks no record points at
     * any more, whose removal nobody waits for. Failures are logged, never thrown. This default
     * removes at once.
     */
    default void removeChunkLater(ChunkKey chunk) {
        removeChunk(chunk);
    }

    /**
     * @param chunk any chunk of the version: all of them share their owners
     * @return how many nodes other than {@code writer} hold the data of that version now (owners
     *     that have finished receiving it)
     */
    int copiesOutside(ChunkKey chunk, String writer);

    /**
     * @return the placement under which this node is the primary owner of a new version's chunks
     *     of segment {@code segmentKey} ({@link ChunkKey#placement()}), so that each chunk goes
     *     from here straight to its backups; 0 (placed by the segment key) when this node can be
     *     no chunk's primary owner. This default always answers 0.
     */
    default int placementFor(String segmentKey) {
        return 0;
    }

    /**
     * Asks every owner of the segment's chunks other than {@code writer}, now, whether it holds
     * {@code chunk}: one round trip to each, all at once. {@link #copiesOutside} counts owners in
     * the last installed view, which still lists a node that crashed or froze until failure
     * detection removes it; an answer here comes only from a node that is running.
     *
     * @param timeout how long to wait for the answers; an owner that has not answered by then
     *     (frozen, or crashed and not yet removed from the view) makes the call fail
     * @return how many owners other than {@code writer} answered that they hold the chunk (an
     *     owner that left the view meanwhile is not counted)
     * @throws ClusterUnavailableException when an owner did not answer within {@code timeout}
     */
    int confirmCopiesOutside(ChunkKey chunk, String writer, Duration timeout);

    /**
     * {@link #confirmCopiesOutside(ChunkKey, String, Duration)} for several chunks at once, for
     * an await of many segments. A store that can have every question out at once does, so the
     * batch takes about one round trip; this default asks one chunk after the other.
     *
     * @param writerOf the chunks to ask about, each with the writer whose copy does not count
     * @param timeout how long to wait for the answers
     * @return for each chunk whose owners all answered in time, how many other than its writer
     *     hold it; a chunk that an owner did not answer for is absent (not known to be held)
     */
    default Map<ChunkKey, Integer> confirmCopiesOutside(Map<ChunkKey, String> writerOf, Duration timeout) {
        Map<ChunkKey, Integer> held = new HashMap<>();
        writerOf.forEach((chunk, writer) -> {
            try {
                held.put(chunk, confirmCopiesOutside(chunk, writer, timeout));
            } catch (ClusterUnavailableException e) {
                // absent: not known to be held
            }
        });
        return held;
    }

    /**
     * @return an id that changes whenever a node joins or leaves the cluster (a view change).
     *     Chunks whose put every owner acknowledged under some id are still held while the id is
     *     unchanged: no owner has gone, so no copy can have been lost.
     */
    long membershipId();
}
