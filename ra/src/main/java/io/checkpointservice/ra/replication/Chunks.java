package io.checkpointservice.ra.replication;

import io.checkpointservice.ra.cluster.SegmentRecord;

/** How segments are cut for the network and for replica storage. */
public final class Chunks {

    /**
     * 1 MiB: large enough that per-message overhead is small against the bytes, small enough
     * that a 64 MiB segment never needs a second whole copy in heap on its way out.
     */
    public static final int SIZE = SegmentRecord.USUAL_CHUNK_SIZE;

    private Chunks() {
    }

    /** @return how many chunks hold {@code size} bytes; an empty segment is one empty chunk */
    public static int count(long size) {
        return size == 0 ? 1 : (int) ((size + SIZE - 1) / SIZE);
    }
}
