package io.checkpointservice.ra.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A version exactly as the application hands it to {@code write}: its metadata without the
 * checksum, and the caller's own array, borrowed for the duration of {@link LocalStore#write}.
 * The store decides when the checksum is computed and whether the bytes must be copied (only a
 * store that keeps them in memory must: the application may reuse its array once {@code write}
 * returns).
 *
 * @param key the namespaced segment name
 * @param version strictly increasing per segment
 * @param epoch the ownership epoch of the write
 * @param writtenAt when the writer stored it, by the writer's clock
 * @param originNode this node
 * @param callersData the application's array: never kept, never changed
 */
public record SegmentWrite(String key, long version, long epoch, Instant writtenAt, String originNode,
                           byte[] callersData) {

    public SegmentWrite {
        Objects.requireNonNull(callersData, "callersData");
        // The other fields are checked by SegmentMetadata, before anything is stored.
        new SegmentMetadata(key, version, epoch, writtenAt, originNode, callersData.length, 0);
    }

    /** @return this version's metadata with the checksum of {@code data} */
    SegmentMetadata metadataFor(byte[] data) {
        return new SegmentMetadata(key, version, epoch, writtenAt, originNode, data.length, Checksums.crc32c(data));
    }
}
