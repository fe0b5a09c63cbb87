package io.checkpointservice.ra.store;

import java.util.Objects;

/**
 * One version of a segment as a local store holds or returns it. The array is not copied and
 * never changed once it is in a StoredSegment: stores and the service hand it on as it is, and
 * copy only at the application boundary. (The memory store's own array, which it writes new
 * versions over, is therefore never put in one it hands out: it returns copies.)
 *
 * @param metadata the version's metadata, whose size and checksum describe {@code data}
 * @param data the state bytes
 */
public record StoredSegment(SegmentMetadata metadata, byte[] data) {

    public StoredSegment {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(data, "data");
        if (metadata.size() != data.length) {
            throw new IllegalArgumentException("metadata says " + metadata.size()
                    + " bytes, data has " + data.length);
        }
    }

    /** @return the namespaced key */
    public String key() {
        return metadata.key();
    }

    /** @return true when the data's CRC32C matches the metadata's checksum */
    public boolean isIntact() {
        return Checksums.crc32c(data) == metadata.checksum();
    }
}
