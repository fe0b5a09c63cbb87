package io.checkpointservice.ra.store;

import java.util.Collection;
import java.util.Optional;

/**
 * Storage that only this node reaches: memory or a directory on local disk. Holds at most one
 * version per segment, the newest it was given. Thread-safe; the caller serialises writes to the
 * same key (the service holds a per-segment lock), writes to different keys run in parallel.
 */
public interface LocalStore extends AutoCloseable {

    /**
     * Stores {@code segment}, replacing the copy of the same key. Returns once the copy is as
     * durable as the store promises (memory: in the heap; disk: per its sync policy). If it
     * throws, the previous copy is still there, whole.
     *
     * @throws LocalStoreException when the copy cannot be stored (disk full, I/O error)
     */
    void put(StoredSegment segment);

    /**
     * Stores a version the application has just written, with the contract of {@link #put}. The
     * caller's array is borrowed for the call only: the store copies what it keeps and decides
     * when the checksum is computed, but what it checksums must be exactly what it stores.
     *
     * @throws LocalStoreException when the copy cannot be stored
     */
    void write(SegmentWrite write);

    /**
     * Returns the stored copy after checking its checksum (G7).
     *
     * @return the copy, or empty when this store has none
     * @throws CorruptSegmentException when the copy is torn or its checksum does not match; the
     *     copy has then been removed from service (disk: moved to the quarantine directory)
     */
    Optional<StoredSegment> get(String key);

    /** @return the metadata of the stored copy without reading its data, or empty */
    Optional<SegmentMetadata> metadata(String key);

    /**
     * @return the version of the stored copy, or 0 when there is none: what the write path
     *     needs, without reading data or computing a checksum the store has left for later
     */
    default long version(String key) {
        return metadata(key).map(SegmentMetadata::version).orElse(0L);
    }

    /**
     * Removes the copy of {@code key}, and forgets a {@linkplain #hasLostCopy lost} one.
     *
     * @return true when there was one
     * @throws LocalStoreException when the copy cannot be removed
     */
    boolean remove(String key);

    /**
     * @return true when this store found its copy of {@code key} damaged and removed it from
     *     service, and no version of {@code key} was stored or removed since: the segment exists
     *     but this node cannot serve it (G8: "unavailable", not "absent"). Survives a restart where
     *     the store does (disk: the file kept in {@code quarantine/}).
     */
    boolean hasLostCopy(String key);

    /** @return the metadata of every stored copy, in no particular order */
    Collection<SegmentMetadata> list();

    /** @return a short description for logs, such as "disk /var/data/checkpoint (fsync)" */
    String describe();

    /** Releases what the store holds open. Stored data on disk stays. */
    @Override
    void close();
}
