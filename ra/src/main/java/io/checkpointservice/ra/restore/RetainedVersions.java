package io.checkpointservice.ra.restore;

import io.checkpointservice.api.SegmentUnavailableException;
import io.checkpointservice.ra.cluster.ClusterUnavailableException;
import io.checkpointservice.ra.cluster.ReplicaStore;
import io.checkpointservice.ra.cluster.SegmentDirectory;
import io.checkpointservice.ra.cluster.SegmentRecord;
import io.checkpointservice.ra.global.GlobalStore;
import io.checkpointservice.ra.global.GlobalStoreException;
import io.checkpointservice.ra.store.Checksums;
import io.checkpointservice.ra.store.CorruptSegmentException;
import io.checkpointservice.ra.store.LocalStore;
import io.checkpointservice.ra.store.SegmentMetadata;
import io.checkpointservice.ra.store.StoredSegment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code versions(name)} and {@code load(name, version)}: the published versions of a segment
 * that are kept ({@code retainVersions}), read without changing anything. Nothing is taken over,
 * no record is written, no local copy is stored or replaced, so the writer goes on writing (G6
 * untouched).
 *
 * <p>The newest is the version the cluster's record names, published by definition; it is read as
 * {@code load} reads it (this node's copy when it is exactly that version, else the replicas, else
 * the global store). The older ones are those the global store keeps when there is one, else those
 * the record lists as kept on the replicas (the publisher moves the replaced version into that
 * list instead of removing its chunks). Either way only a version a record pointed at is kept, so
 * a fenced writer's versions, never published, are never listed, and a delete, which removes every
 * kept version, leaves none. A version that exists but
 * cannot be read now is {@link SegmentUnavailableException}, never "empty" (G8), as for {@code load}.
 */
public final class RetainedVersions {

    /** Reads of the newest version that the record moved on from under them, before giving up. */
    private static final int ATTEMPTS = 5;

    private final LocalStore store;
    private final SegmentDirectory directory;
    private final ReplicaStore replicas;
    private final GlobalStore globalStore;
    private final GlobalStoreFallback fallback;
    private final int retainVersions;

    /**
     * @param retainVersions how many published versions of each segment are kept, at least 1
     */
    public RetainedVersions(LocalStore store, SegmentDirectory directory, ReplicaStore replicas,
                            GlobalStore globalStore, int retainVersions) {
        if (retainVersions < 1) {
            throw new IllegalArgumentException("retainVersions must be 1 or more, was " + retainVersions);
        }
        this.store = store;
        this.directory = directory;
        this.replicas = replicas;
        this.globalStore = globalStore;
        this.fallback = new GlobalStoreFallback(globalStore);
        this.retainVersions = retainVersions;
    }

    /**
     * @return the kept published versions, newest first; empty when the segment is absent or deleted
     * @throws SegmentUnavailableException when the records or the global store cannot be read now
     */
    public List<Long> versions(String key, String name) {
        Optional<SegmentRecord> current = published(key, name);
        if (current.isEmpty()) {
            return List.of();
        }
        List<Long> versions = new ArrayList<>(retainVersions);
        versions.add(current.get().version());
        older(key, name, current.get()).forEach(record -> versions.add(record.version()));
        return versions;
    }

    /**
     * @return the kept version {@code version}, checked (G7); empty when it is not kept: too old,
     *     never published, above the newest, or the segment absent or deleted
     * @throws SegmentUnavailableException when it is kept but no intact copy can be read now
     */
    public Optional<StoredSegment> load(String key, String name, long version) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Optional<SegmentRecord> current = published(key, name);
            if (current.isEmpty() || version > current.get().version()) {
                return Optional.empty();
            }
            if (version == current.get().version()) {
                Optional<StoredSegment> newest = readNewest(key, name, current.get());
                if (newest.isPresent()) {
                    return newest;
                }
                continue; // the record moved on while reading: the version may now be an older kept one
            }
            Optional<SegmentRecord> kept = older(key, name, current.get()).stream()
                    .filter(record -> record.version() == version).findFirst();
            if (kept.isEmpty()) {
                return Optional.empty();
            }
            return readKept(key, name, kept.get());
        }
        throw new SegmentUnavailableException("segment '" + name + "' is being changed by other nodes too often to "
                + "read v" + version + " now; retry");
    }

    /** @return the record when it names a published version; empty for an absent, deleted or only claimed segment */
    private Optional<SegmentRecord> published(String key, String name) {
        Optional<SegmentRecord> record;
        try {
            record = directory.get(key);
        } catch (ClusterUnavailableException e) {
            throw new SegmentUnavailableException("segment '" + name + "' cannot be looked up now: " + e.getMessage(), e);
        }
        if (record.isEmpty() && !directory.knowsEveryRecord()) {
            // As for load: "none" would be a guess while no other member has been reached.
            throw new SegmentUnavailableException("segment '" + name + "' is not known to this node, which has not "
                    + "reached any other member of the checkpoint cluster yet; retry shortly");
        }
        return record.filter(SegmentRecord::hasData);
    }

    /**
     * @return the records of the kept versions older than {@code current}, newest first, at most
     *     {@code retainVersions - 1}: those of the global store (one per version number, of the
     *     newest lineage), or without one those the record lists as kept on the replicas
     */
    private List<SegmentRecord> older(String key, String name, SegmentRecord current) {
        if (retainVersions == 1) {
            return List.of();
        }
        if (!globalStore.configured()) {
            return current.kept().stream().filter(record -> record.version() < current.version())
                    .limit(retainVersions - 1L).toList();
        }
        List<SegmentRecord> stored;
        try {
            stored = globalStore.versions(key);
        } catch (GlobalStoreException e) {
            throw new SegmentUnavailableException("segment '" + name + "': its kept versions cannot be listed now, "
                    + "the global store cannot be read: " + e.getMessage(), e);
        }
        Set<Long> seen = new HashSet<>();
        // The store's order is newest lineage first: the first copy of a number is the one that counts.
        return stored.stream()
                .filter(record -> record.version() < current.version() && seen.add(record.version()))
                .sorted(Comparator.comparingLong(SegmentRecord::version).reversed())
                .limit(retainVersions - 1L)
                .toList();
    }

    /**
     * @return the record's version: this node's copy when it is exactly that version, else from the
     *     replicas, else from the global store; empty when the record moved on meanwhile
     */
    private Optional<StoredSegment> readNewest(String key, String name, SegmentRecord record) {
        Optional<SegmentMetadata> local = store.metadata(key);
        if (local.isPresent() && SegmentLoader.sameVersion(local.get(), record)) {
            try {
                Optional<StoredSegment> here = store.get(key);
                if (here.isPresent() && SegmentLoader.sameVersion(here.get().metadata(), record)) {
                    return here;
                }
            } catch (CorruptSegmentException e) {
                // fetched from elsewhere below
            }
        }
        byte[] data;
        try {
            Optional<byte[]> fetched = ReplicaFetch.fetch(replicas, key, name, record, () -> movedOn(key, record));
            if (fetched.isEmpty()) {
                return Optional.empty();
            }
            data = fetched.get();
        } catch (SegmentUnavailableException unreachable) {
            data = fallback.fetch(key, name, record, unreachable);
        }
        return Optional.of(segmentOf(key, record, data));
    }

    /**
     * @return a kept older version from the global store, checked against its record (G7); empty
     *     when a newer version's put removed it meanwhile (it is no longer kept)
     * @throws SegmentUnavailableException when it is still kept but its copy is damaged or the
     *     store cannot be read now
     */
    private Optional<StoredSegment> readKept(String key, String name, SegmentRecord record) {
        if (!globalStore.configured()) {
            // On the replicas: a chunk missing because a newer publication dropped the version is
            // "no longer kept"; one missing while the record still lists it is unavailable.
            return ReplicaFetch.fetch(replicas, key, name, record, () -> !stillKept(key, name, record))
                    .map(data -> segmentOf(key, record, data));
        }
        Optional<byte[]> copy;
        try {
            copy = globalStore.get(key, record);
        } catch (GlobalStoreException e) {
            throw new SegmentUnavailableException("segment '" + name + "' v" + record.version() + " is kept in the "
                    + "global store, which cannot be read now: " + e.getMessage(), e);
        }
        if (copy.isPresent() && copy.get().length == record.size() && Checksums.crc32c(copy.get()) == record.checksum()) {
            return Optional.of(segmentOf(key, record, copy.get()));
        }
        if (!stillKept(key, name, record)) {
            return Optional.empty();
        }
        throw new SegmentUnavailableException("segment '" + name + "' v" + record.version() + " is kept in the "
                + "global store " + globalStore.describe() + ", but its copy there is damaged and was not returned");
    }

    private boolean stillKept(String key, String name, SegmentRecord record) {
        Optional<SegmentRecord> current = published(key, name);
        return current.isPresent() && older(key, name, current.get()).stream().anyMatch(record::sameDataAs);
    }

    private boolean movedOn(String key, SegmentRecord record) {
        return directory.get(key).map(now -> !now.sameDataAs(record)).orElse(true);
    }

    private static StoredSegment segmentOf(String key, SegmentRecord record, byte[] data) {
        return new StoredSegment(new SegmentMetadata(key, record.version(), record.dataEpoch(), record.writtenAt(),
                record.origin(), record.size(), record.checksum()), data);
    }
}
