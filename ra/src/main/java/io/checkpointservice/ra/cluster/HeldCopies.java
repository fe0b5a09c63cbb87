package io.checkpointservice.ra.cluster;

import java.util.Map;
import org.infinispan.Cache;
import org.infinispan.context.Flag;

/**
 * The chunk copies this node holds in its memory: how many published versions (counted by their
 * first chunk) and how many bytes. Includes the chunks of segments this node writes itself when
 * it is one of their R + 1 owners (as a writer usually is: it places its chunks with itself as
 * primary owner).
 *
 * @param segments versions whose chunks are held here
 * @param bytes the bytes of every chunk held here
 */
public record HeldCopies(long segments, long bytes) {

    /** Reads every chunk key this node holds (local entries only, no message): for monitoring, not hot paths. */
    static HeldCopies of(Cache<String, byte[]> chunks) {
        long segments = 0;
        long bytes = 0;
        for (Map.Entry<String, byte[]> entry
                : chunks.getAdvancedCache().withFlags(Flag.CACHE_MODE_LOCAL, Flag.SKIP_CACHE_LOAD).entrySet()) {
            bytes += entry.getValue().length;
            ChunkKey chunk = ChunkKey.parse(entry.getKey());
            if (chunk != null && chunk.index() == 0) {
                segments++;
            }
        }
        return new HeldCopies(segments, bytes);
    }
}
