package io.checkpointservice.ra.global;

import io.checkpointservice.ra.cluster.SegmentRecord;

/**
 * One intact copy in the global store.
 *
 * @param key the segment's namespaced key
 * @param record the record the version was published under
 * @param data its bytes, checked against the record's size and CRC32C
 */
public record GlobalCopy(String key, SegmentRecord record, byte[] data) {
}
