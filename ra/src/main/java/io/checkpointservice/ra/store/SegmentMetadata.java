package io.checkpointservice.ra.store;

import java.time.Instant;
import java.util.Objects;

/**
 * What every copy of a segment version says about itself: small enough to keep in memory for
 * every segment and to send to every node.
 *
 * @param key the namespaced segment name, {@code namespace/name}
 * @param version strictly increasing per segment
 * @param epoch the ownership epoch under which the version was written (bumped on take-over)
 * @param writtenAt when the writer stored it, by the writer's clock
 * @param originNode the node that wrote it
 * @param size the number of state bytes
 * @param checksum CRC32C of the state bytes
 */
public record SegmentMetadata(String key, long version, long epoch, Instant writtenAt,
                              String originNode, long size, int checksum) {

    public SegmentMetadata {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(writtenAt, "writtenAt");
        Objects.requireNonNull(originNode, "originNode");
        if (version <= 0) {
            throw new IllegalArgumentException("version must be positive: " + version);
        }
        if (epoch < 0 || size < 0) {
            throw new IllegalArgumentException("epoch and size must not be negative");
        }
    }

    /** @return true when this version is newer than {@code other}'s */
    public boolean isNewerThan(SegmentMetadata other) {
        return other == null || version > other.version;
    }
}
