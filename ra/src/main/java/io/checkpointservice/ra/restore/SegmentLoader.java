package io.checkpointservice.ra.restore;

import io.checkpointservice.api.SegmentUnavailableException;
import io.checkpointservice.ra.cluster.ClusterUnavailableException;
import io.checkpointservice.ra.cluster.Ownership;
import io.checkpointservice.ra.cluster.ReplicaStore;
import io.checkpointservice.ra.cluster.SegmentDirectory;
import io.checkpointservice.ra.cluster.SegmentRecord;
import io.checkpointservice.ra.global.GlobalStore;
import io.checkpointservice.ra.monitoring.LoadOutcome;
import io.checkpointservice.ra.monitoring.NodeMetrics;
import io.checkpointservice.ra.replication.Replicator;
import io.checkpointservice.ra.store.CorruptSegmentException;
import io.checkpointservice.ra.store.KeyLocks;
import io.checkpointservice.ra.store.LocalStore;
import io.checkpointservice.ra.store.LocalStoreException;
import io.checkpointservice.ra.store.SegmentMetadata;
import io.checkpointservice.ra.store.StoredSegment;
import io.checkpointservice.ra.threads.Backoff;
import java.time.Clock;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Carries out {@code load}: decides from the cluster's record whether the local copy is the
 * newest (G5), fetches and checks the newest from the replicas when it is not (G7), tells
 * "absent" from "unavailable" (G8), and takes the segment over for this node (G6).
 *
 * <p>Each decision holds the segment's lock, so no local write interleaves with it; the pause
 * before deciding again does not.
 */
public final class SegmentLoader {

    private static final Logger LOG = Logger.getLogger(SegmentLoader.class.getName());
    private static final int ATTEMPTS = 5;

    private final LocalStore store;
    private final SegmentDirectory directory;
    private final ReplicaStore replicas;
    private final Ownership ownership;
    private final Replicator replicator;
    private final Clock clock;
    private final String nodeName;
    private final KeyLocks locks;
    private final GlobalStoreFallback globalStore;
    private final NodeMetrics metrics;

    /**
     * @param locks the per-segment locks the service's other operations take
     * @param metrics counts loads by outcome and take-overs
     */
    public SegmentLoader(LocalStore store, SegmentDirectory directory, ReplicaStore replicas,
                         Ownership ownership, Replicator replicator, Clock clock, KeyLocks locks, NodeMetrics metrics) {
        this(store, directory, replicas, ownership, replicator, clock, locks, GlobalStore.NONE, metrics);
    }

    /**
     * @param locks the per-segment locks the service's other operations take
     * @param globalStore where a version no replica can give is looked for next
     * @param metrics counts loads by outcome and take-overs
     */
    public SegmentLoader(LocalStore store, SegmentDirectory directory, ReplicaStore replicas,
                         Ownership ownership, Replicator replicator, Clock clock, KeyLocks locks,
                         GlobalStore globalStore, NodeMetrics metrics) {
        this.store = store;
        this.directory = directory;
        this.replicas = replicas;
        this.ownership = ownership;
        this.replicator = replicator;
        this.clock = clock;
        this.nodeName = ownership.nodeName();
        this.locks = locks;
        this.globalStore = new GlobalStoreFallback(globalStore);
        this.metrics = metrics;
    }

    /**
     * @param key the namespaced key
     * @param name the application's name, for messages
     * @return the newest copy, now also in the local store, or empty when the segment is absent
     * @throws SegmentUnavailableException when it exists but no intact copy is reachable now
     */
    public Optional<StoredSegment> load(String key, String name) {
        Optional<LoadResult> result;
        try {
            // The record changed under us (another node published or took over): decide again
            // after a pause that lets a topology change settle, holding no lock meanwhile.
            result = Backoff.CONTENDED_RECORD.retry(ATTEMPTS, () -> decide(key, name));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            metrics.loaded(LoadOutcome.UNAVAILABLE);
            throw new SegmentUnavailableException("interrupted while loading", e);
        } catch (SegmentUnavailableException e) {
            metrics.loaded(LoadOutcome.UNAVAILABLE);
            throw e;
        }
        LoadResult decided = result.orElseThrow(() -> {
            metrics.loaded(LoadOutcome.UNAVAILABLE);
            return new SegmentUnavailableException("segment '" + name
                    + "' is being changed by other nodes too often to load it now; retry");
        });
        metrics.loaded(decided.outcome());
        return decided.segment();
    }

    /** One decision under the segment's lock; empty when the record changed under us. */
    @SuppressWarnings("try")
    private Optional<LoadResult> decide(String key, String name) {
        try (KeyLocks.Held held = locks.lock(key)) {
            Optional<SegmentRecord> record = readRecord(key, name);
            return record.isEmpty() ? loadUnknownToCluster(key, name) : loadKnown(key, name, record.get());
        }
    }

    /**
     * The cluster has never heard of the segment: whatever this node holds is the newest
     * reachable copy (an unpublished write, or the whole cluster was restarted).
     */
    private Optional<LoadResult> loadUnknownToCluster(String key, String name) {
        Optional<SegmentMetadata> local = store.metadata(key);
        if (local.isEmpty() && store.hasLostCopy(key)) {
            // The segment exists: its only copy here was damaged. "Absent" would make the
            // application start over from defaults (G8).
            throw lostCopy(name);
        }
        if (local.isEmpty() && !directory.knowsEveryRecord()) {
            // Saying "absent" here would make the application start from defaults while the
            // segment may well exist: this node has not met any other member yet.
            throw new SegmentUnavailableException("segment '" + name + "' is not known to this node, which "
                    + "has not reached any other member of the checkpoint cluster yet; retry shortly");
        }
        long epoch = local.map(SegmentMetadata::epoch).orElse(0L) + 1;
        if (!takeOver(key, Optional.empty(), SegmentRecord.claim(epoch, nodeName, 0, clock.instant()))) {
            return Optional.empty();
        }
        ownership.took(key, epoch);
        if (local.isEmpty()) {
            return LoadResult.of(Optional.empty());
        }
        Optional<StoredSegment> copy = readLocal(key);
        if (copy.isEmpty()) {
            throw lostCopy(name);
        }
        replicator.markDirty(key);
        return LoadResult.of(copy);
    }

    private Optional<LoadResult> loadKnown(String key, String name, SegmentRecord record) {
        Optional<Long> mine = ownership.current(key);
        boolean owner = record.writer().equals(nodeName) && mine.isPresent() && mine.get() == record.epoch();
        // A write here took the segment over under a newer epoch than the record's; the record
        // follows when that write is published. This node is the writer already.
        boolean tookOverByWrite = !owner && mine.isPresent() && !record.fences(nodeName, mine.get());
        Optional<SegmentMetadata> local = store.metadata(key);
        // Newer than the record: a higher version, or the same number under a newer epoch than
        // the record's data (the previous writer published that number before being fenced).
        boolean ownUnpublished = local.isPresent() && record.isOlderThan(local.get().version(), local.get().epoch())
                && (owner || writtenHereInRecordEpoch(local, record)
                    || tookOverByWrite && writtenHereUnder(local.get(), mine.get()));

        Optional<StoredSegment> segment;
        LoadOutcome source = null; // where the segment was fetched from; null when this node held it
        if (ownUnpublished) {
            segment = readLocal(key);
            if (segment.isEmpty()) {
                throw new SegmentUnavailableException("segment '" + name + "': this node's newest copy was "
                        + "damaged and quarantined, and it had not reached a replica yet");
            }
        } else if (!record.hasData()) {
            if (record.writer().equals(nodeName) && local.isEmpty() && store.hasLostCopy(key)) {
                // This node's own claim, made by a load that then found its only copy damaged
                // (before a restart too: the claim outlives this node's ownership): the segment
                // exists, unreachable (G8). This node's own delete clears the lost copy first.
                throw lostCopy(name);
            }
            // Deleted, or claimed without data by another node: any local copy, whole or lost, is
            // older and must not come back.
            if (local.isPresent() || store.hasLostCopy(key)) {
                store.remove(key);
            }
            segment = Optional.empty();
        } else {
            boolean sameHere = local.isPresent() && sameVersion(local.get(), record);
            if (local.isPresent() && !sameHere) {
                LOG.info(() -> "local copy of '" + key + "' v" + local.get().version()
                        + " is stale; fetching v" + record.version() + " from a replica");
            }
            Optional<StoredSegment> here = sameHere ? readLocal(key) : Optional.empty();
            if (here.isPresent()) {
                segment = here;
            } else {
                Optional<Fetched> fetchedCopy = fetch(key, name, record);
                if (fetchedCopy.isEmpty()) {
                    return Optional.empty(); // the record moved on while fetching: decide again
                }
                segment = Optional.of(fetchedCopy.get().segment());
                source = fetchedCopy.get().source();
            }
        }
        if (!owner) {
            // Taking over under the epoch a write here already claimed keeps that write (and its
            // epoch) this node's; otherwise the next epoch.
            long epoch = tookOverByWrite ? mine.get() : record.epoch() + 1;
            if (!takeOver(key, Optional.of(record), record.takenOverBy(nodeName, epoch))) {
                return Optional.empty();
            }
            ownership.took(key, epoch);
            if (!record.writer().equals(nodeName)) {
                metrics.tookOver();
            }
            if (ownUnpublished) {
                replicator.markDirty(key); // published under the new epoch, as a write would be
            }
        }
        return source != null ? LoadResult.fetched(segment, source) : LoadResult.of(segment);
    }

    /**
     * True for a local copy this node wrote under the record's current epoch while the record
     * still names this node as the writer: a write of this node that had not been published when
     * its process died and restarted (its in-memory ownership is gone, its disk is not). Nobody
     * took the segment over since, or the epoch would have moved on, so a newer such copy is the
     * newest version there is (G5); returning the record's older version instead would lose
     * writes that returned (G1).
     */
    private boolean writtenHereInRecordEpoch(Optional<SegmentMetadata> local, SegmentRecord record) {
        return local.isPresent() && record.writer().equals(nodeName) && local.get().epoch() == record.epoch()
                && local.get().originNode().equals(nodeName);
    }

    private boolean writtenHereUnder(SegmentMetadata local, long epoch) {
        return local.epoch() == epoch && local.originNode().equals(nodeName);
    }

    /**
     * The local copy is the record's version only if it is the same version of the same writer's
     * bytes: after a network split the losing side's writer may hold a copy with the very version
     * number the winning lineage published (see RecordMergePolicy), so the number alone is not
     * the identity.
     */
    static boolean sameVersion(SegmentMetadata local, SegmentRecord record) {
        return local.version() == record.version() && local.size() == record.size()
                && local.checksum() == record.checksum() && local.originNode().equals(record.origin());
    }

    /** @return the local copy, or empty when it was corrupt (and is now quarantined) */
    private Optional<StoredSegment> readLocal(String key) {
        try {
            return store.get(key);
        } catch (CorruptSegmentException e) {
            LOG.warning(() -> "local copy of '" + key + "' was corrupt and is discarded: " + e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Fetches the record's version from the replicas, or from the global store when no replica
     * can give it, checks it and stores it locally.
     *
     * @return empty when a chunk is missing because the record has moved on meanwhile: the
     *     writer published a newer version and removed this one's chunks, which is no reason to
     *     call the segment unavailable
     */
    private Optional<Fetched> fetch(String key, String name, SegmentRecord record) {
        byte[] data;
        LoadOutcome source;
        try {
            Optional<byte[]> fetched = ReplicaFetch.fetch(replicas, key, name, record, () -> movedOn(key, name, record));
            if (fetched.isEmpty()) {
                return Optional.empty();
            }
            data = fetched.get();
            source = LoadOutcome.REPLICA;
        } catch (SegmentUnavailableException unreachable) {
            data = globalStore.fetch(key, name, record, store.hasLostCopy(key) ? lostCopyToo(name, unreachable)
                    : unreachable);
            source = LoadOutcome.GLOBAL_STORE;
        }
        StoredSegment segment = new StoredSegment(new SegmentMetadata(key, record.version(), record.dataEpoch(),
                record.writtenAt(), record.origin(), record.size(), record.checksum()), data);
        try {
            store.put(segment);
        } catch (LocalStoreException e) {
            LOG.warning(() -> "restored '" + key + "' but cannot keep it locally: " + e.getMessage());
        }
        return Optional.of(new Fetched(segment, source));
    }

    /** A version fetched from elsewhere, and from where. */
    private record Fetched(StoredSegment segment, LoadOutcome source) {
    }

    /** @return true when the cluster's record no longer points at {@code record}'s chunks */
    private boolean movedOn(String key, String name, SegmentRecord record) {
        return readRecord(key, name).map(now -> !now.sameDataAs(record)).orElse(true);
    }

    private Optional<SegmentRecord> readRecord(String key, String name) {
        try {
            return directory.get(key);
        } catch (ClusterUnavailableException e) {
            throw new SegmentUnavailableException("segment '" + name + "' cannot be looked up now: " + e.getMessage(), e);
        }
    }

    private boolean takeOver(String key, Optional<SegmentRecord> expected, SegmentRecord next) {
        try {
            return directory.compareAndSet(key, expected, next);
        } catch (ClusterUnavailableException e) {
            throw new SegmentUnavailableException("cannot take segment '" + key + "' over for this node now: "
                    + e.getMessage(), e);
        }
    }

    /** A decided load; empty segment means absent. */
    private record LoadResult(Optional<StoredSegment> segment, LoadOutcome outcome) {
        /** A segment this node held, or none. */
        static Optional<LoadResult> of(Optional<StoredSegment> segment) {
            return Optional.of(new LoadResult(segment, segment.isPresent() ? LoadOutcome.LOCAL : LoadOutcome.ABSENT));
        }

        /** A segment fetched from the replicas or the global store. */
        static Optional<LoadResult> fetched(Optional<StoredSegment> segment, LoadOutcome source) {
            return Optional.of(new LoadResult(segment, source));
        }
    }

    /**
     * The replicas could not give the version and this node's own copy of it was damaged: say
     * both, so that an operator looks for the quarantined file as well as the replica nodes.
     */
    private static SegmentUnavailableException lostCopyToo(String name, SegmentUnavailableException unreachable) {
        return new SegmentUnavailableException("segment '" + name + "': this node's copy was damaged and "
                + "quarantined (the damaged file is in the store's quarantine directory), and no other copy can be "
                + "read now: " + unreachable.getMessage(), unreachable);
    }

    private static SegmentUnavailableException lostCopy(String name) {
        return new SegmentUnavailableException("segment '" + name + "': the only copy, on this node, was "
                + "damaged and quarantined, and no other node holds it; write or delete the segment to "
                + "start over (the damaged file is in the store's quarantine directory)");
    }
}
