package io.checkpointservice.ra.replication;

import io.checkpointservice.ra.cluster.ChunkKey;
import io.checkpointservice.ra.cluster.ReplicaStore;
import io.checkpointservice.ra.cluster.SegmentRecord;
import io.checkpointservice.ra.store.StoredSegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** How segments are cut into chunks for the network and for replica storage, and how those are put and removed. */
public final class Chunks {

    /**
     * 1 MiB: large enough that per-message overhead is small against the bytes, small enough
     * that a 64 MiB segment never needs a second whole copy in heap on its way out.
     */
    public static final int SIZE = SegmentRecord.USUAL_CHUNK_SIZE;

    /**
     * Chunk puts one publication keeps in flight: enough to overlap the round trips of a large
     * segment; 4 MiB of chunk copies (and as much again in marshalled form) per worker at most,
     * so that all workers together stay well inside the heap budget (P5).
     */
    static final int IN_FLIGHT = 4;

    private Chunks() {
    }

    /** @return how many chunks hold {@code size} bytes; an empty segment is one empty chunk */
    public static int count(long size) {
        return size == 0 ? 1 : (int) ((size + SIZE - 1) / SIZE);
    }

    /**
     * Puts the chunks of one version, up to {@link #IN_FLIGHT} at a time: their round trips
     * overlap, and the chunk copies in flight stay bounded (4 MiB per worker) whatever the size
     * of the segment.
     *
     * @param firstChunkLast put chunk 0 alone after all the others have been stored
     */
    static void put(ReplicaStore replicas, String key, long epoch, String writer, int placement, StoredSegment segment,
                    boolean firstChunkLast) {
        int count = Chunks.count(segment.data().length);
        int firstInBatches = firstChunkLast && count > 1 ? 1 : 0;
        for (int first = firstInBatches; first < count; first += IN_FLIGHT) {
            putRange(replicas, key, epoch, writer, placement, segment, first, Math.min(count, first + IN_FLIGHT));
        }
        if (firstInBatches == 1) {
            putRange(replicas, key, epoch, writer, placement, segment, 0, 1);
        }
    }

    /** Puts chunks {@code first} (inclusive) to {@code last} (exclusive), all in flight at once. */
    private static void putRange(ReplicaStore replicas, String key, long epoch, String writer, int placement,
                                 StoredSegment segment, int first, int last) {
        byte[] data = segment.data();
        int count = Chunks.count(data.length);
        List<ChunkKey> keys = new ArrayList<>(last - first);
        List<byte[]> chunks = new ArrayList<>(last - first);
        for (int i = first; i < last; i++) {
            int from = i * Chunks.SIZE;
            int to = Math.min(data.length, from + Chunks.SIZE);
            keys.add(new ChunkKey(key, epoch, writer, segment.metadata().version(), i, placement));
            // A single chunk is the segment's array itself: nobody changes it (StoredSegment).
            chunks.add(count == 1 ? data : Arrays.copyOfRange(data, from, to));
        }
        replicas.putChunks(keys, chunks);
    }

    /** Removes the chunks a record points at and waits for it; a chunk already gone is fine. */
    public static void remove(ReplicaStore replicas, String key, SegmentRecord record) {
        for (int i = 0; i < record.chunkCount(); i++) {
            replicas.removeChunk(ChunkKey.of(key, record, i));
        }
    }

    /** Starts removing the chunks a record points at, without waiting: no record points at them any more. */
    static void removeLater(ReplicaStore replicas, String key, SegmentRecord record) {
        for (int i = 0; i < record.chunkCount(); i++) {
            replicas.removeChunkLater(ChunkKey.of(key, record, i));
        }
    }
}
