package io.checkpointservice.ra.store;

import java.util.Objects;

/**
 * One version of a segment as a local store holds it. The array is not copied: stores and the
 * service hand it on without changing it, and copy only at the application boundary.
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
