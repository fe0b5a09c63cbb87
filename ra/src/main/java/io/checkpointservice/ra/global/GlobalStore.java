package io.checkpointservice.ra.global;

import io.checkpointservice.ra.cluster.SegmentRecord;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * The optional persistent store reachable from every replica node (DESIGN: global store): it
 * holds the newest published versions of each segment ({@code retainVersions} of them, 1 by
 * default), written in the background by a replica
 * node, never by the application's write path (G1). {@code load} falls back to it when no replica
 * holds the record's version, and a cluster that lost every node's memory and disk recovers its
 * records from it.
 *
 * <p>Every copy carries the CRC32C of its bytes next to the record it was published under; a
 * copy that fails its checks is never returned (G7): it is treated as missing.
 */
public interface GlobalStore extends AutoCloseable {

    /** No global store configured: holds nothing, takes nothing. */
    GlobalStore NONE = new NoGlobalStore();

    /** @return false for {@link #NONE}: callers skip the work a store would need */
    boolean configured();

    /**
     * Stores the version {@code record} points at, durably, unless the store already holds it or a
     * newer version of the segment (see {@link CopyName#NEWEST_FIRST}); once it is stored, the
     * versions beyond the newest {@code retainVersions} are removed.
     *
     * @param record the published record; its checksum and size describe {@code data}
     * @throws GlobalStoreException when the store cannot be written now; nothing is half-visible then
     */
    void put(String key, SegmentRecord record, byte[] data);

    /**
     * @return true when the store holds a copy of exactly the version {@code record} points at
     *     (the same version, data epoch and data writer); only the name is looked at, not the bytes
     * @throws GlobalStoreException when the store cannot be read now
     */
    boolean holds(String key, SegmentRecord record);

    /**
     * @return the records of the versions of the segment the store holds, newest first by
     *     {@link CopyName#NEWEST_FIRST}, each read from its copy's checked header (a copy whose
     *     header fails its checks is left out, logged); the data is not read. Empty when none.
     * @throws GlobalStoreException when the store cannot be read now
     */
    List<SegmentRecord> versions(String key);

    /**
     * @return the bytes of exactly the version {@code record} points at, checked against the
     *     record's size and CRC32C; empty when the store holds no intact copy of it
     * @throws GlobalStoreException when the store cannot be read now
     */
    Optional<byte[]> get(String key, SegmentRecord record);

    /**
     * @return the newest intact copy of the segment, data checked; empty when there is none
     * @throws GlobalStoreException when the store cannot be read now
     */
    Optional<GlobalCopy> newest(String key);

    /**
     * Removes the copies of versions up to {@code tombstone}'s: the segment was deleted there. A
     * claim without data (version 0) removes nothing.
     *
     * @throws GlobalStoreException when the store cannot be changed now
     */
    void delete(String key, SegmentRecord tombstone);

    /**
     * Hands every segment's newest record to {@code action}, one segment at a time (the store is
     * streamed, never listed whole); only the headers are read and checked, not the data.
     *
     * @throws GlobalStoreException when the store cannot be read
     */
    void forEachNewestRecord(BiConsumer<String, SegmentRecord> action);

    /** @return the store's location, for logs */
    String describe();

    @Override
    void close();
}
