package io.checkpointservice.ra.service;

import io.checkpointservice.api.Checkpoint;
import io.checkpointservice.api.CheckpointException;
import io.checkpointservice.api.SegmentTooLargeException;
import io.checkpointservice.api.SegmentUnavailableException;
import io.checkpointservice.api.StaleWriterException;
import io.checkpointservice.ra.cluster.ClusterUnavailableException;
import io.checkpointservice.ra.cluster.LocalCluster;
import io.checkpointservice.ra.cluster.MergeGate;
import io.checkpointservice.ra.cluster.Ownership;
import io.checkpointservice.ra.cluster.ReplicaStore;
import io.checkpointservice.ra.cluster.SegmentDirectory;
import io.checkpointservice.ra.cluster.SegmentRecord;
import io.checkpointservice.ra.config.AdapterSettings;
import io.checkpointservice.ra.global.GlobalStore;
import io.checkpointservice.ra.monitoring.LoadOutcome;
import io.checkpointservice.ra.monitoring.NodeMetrics;
import io.checkpointservice.ra.replication.Chunks;
import io.checkpointservice.ra.replication.ReplicaConfirmation;
import io.checkpointservice.ra.replication.ReplicationAwait;
import io.checkpointservice.ra.replication.PublicationSignal;
import io.checkpointservice.ra.replication.Replicator;
import io.checkpointservice.ra.restore.RetainedVersions;
import io.checkpointservice.ra.restore.SegmentLoader;
import io.checkpointservice.ra.store.KeyLocks;
import io.checkpointservice.ra.store.LocalStore;
import io.checkpointservice.ra.store.LocalStoreException;
import io.checkpointservice.ra.store.SegmentMetadata;
import io.checkpointservice.ra.store.SegmentWrite;
import io.checkpointservice.ra.store.StoredSegment;
import io.checkpointservice.ra.threads.Backoff;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The node's checkpoint service: the one place where the operations of
 * {@link io.checkpointservice.api.CheckpointConnection} are carried out. Connection handles of
 * every namespace share it. Thread-safe.
 *
 * <p>Reading order of the data path: {@link #write} checks its input (G9), stores locally (G1)
 * and marks the segment for the {@link Replicator}; {@link #load} is the {@link SegmentLoader}.
 * Operations on one segment are serialised by a per-segment lock ({@link KeyLocks}), held for
 * one decision at a time: a retry after the record changed under us pauses without it.
 */
public final class CheckpointService implements AutoCloseable {

    /**
     * How long {@code load}, {@code write} and {@code delete} wait at most, after a healed network
     * split, for its merge to be resolved on this node before they answer (retryable)
     * {@link SegmentUnavailableException}; resolution usually takes a few seconds
     * (docs/RELIABILITY.md, "Network partitions").
     */
    static final Duration MERGE_PATIENCE = Duration.ofSeconds(10);
    /** Loads decided while a merge began, after which a load gives up (merges back to back). */
    private static final int MERGES_PER_LOAD = 3;

    private final AdapterSettings settings;
    private final LocalStore store;
    private final SegmentDirectory directory;
    private final ReplicaStore replicas;
    private final Clock clock;
    private final Ownership ownership;
    private final PublicationSignal progress = new PublicationSignal();
    private final Replicator replicator;
    private final SegmentLoader loader;
    private final RetainedVersions retained;
    private final ReplicationAwait barrier;
    private final KeyLocks locks = new KeyLocks();
    private final NodeMetrics metrics = new NodeMetrics();
    private static final int DELETE_ATTEMPTS = 10;
    private final MergeGate mergeGate;
    private volatile boolean closed;

    /**
     * A node of a cluster.
     *
     * @param directory the cluster's segment records
     * @param replicas the cluster's chunk copies
     */
    public CheckpointService(AdapterSettings settings, LocalStore store, SegmentDirectory directory,
                             ReplicaStore replicas, Clock clock) {
        this(settings, store, directory, replicas, clock, GlobalStore.NONE);
    }

    /**
     * A node of a cluster with a global store.
     *
     * @param directory the cluster's segment records
     * @param replicas the cluster's chunk copies
     * @param globalStore where {@code load} looks for a version no replica can give
     */
    public CheckpointService(AdapterSettings settings, LocalStore store, SegmentDirectory directory,
                             ReplicaStore replicas, Clock clock, GlobalStore globalStore) {
        this(settings, store, directory, replicas, clock, globalStore, 1);
    }

    /**
     * A node of a cluster with a global store that keeps older versions.
     *
     * @param globalStore where {@code load} looks for a version no replica can give, and where
     *     the older of the kept versions are
     * @param retainVersions how many published versions of each segment are kept ({@code retainVersions})
     */
    public CheckpointService(AdapterSettings settings, LocalStore store, SegmentDirectory directory,
                             ReplicaStore replicas, Clock clock, GlobalStore globalStore, int retainVersions) {
        this.settings = Objects.requireNonNull(settings);
        this.store = Objects.requireNonNull(store);
        this.directory = Objects.requireNonNull(directory);
        this.replicas = Objects.requireNonNull(replicas);
        this.clock = Objects.requireNonNull(clock);
        this.ownership = new Ownership(settings.nodeName());
        ReplicaConfirmation confirmation = new ReplicaConfirmation(store, directory, replicas);
        // Older versions are kept in the global store when there is one (its archiver keeps them),
        // else on the replicas (the record lists them).
        int keepOnReplicas = globalStore.configured() ? 0 : retainVersions - 1;
        this.replicator = new Replicator(store, directory, replicas, ownership, progress, confirmation, metrics,
                keepOnReplicas);
        this.loader = new SegmentLoader(store, directory, replicas, ownership, replicator, clock, locks, globalStore, metrics);
        this.retained = new RetainedVersions(store, directory, replicas, globalStore, retainVersions);
        this.barrier = new ReplicationAwait(settings.replicaCount(), store, directory, replicas, confirmation, progress);
        this.mergeGate = directory.mergeGate();
        directory.whenForgotten(this::forgotten);
    }

    /**
     * The cluster forgot the segment's last record, a tombstone or a claim, after its grace
     * period: a copy here no newer than it must not come back as "the newest the cluster has",
     * and this node's ownership of it ends with it. A newer copy (written here after the delete,
     * not yet published) stays and is published as usual.
     */
    @SuppressWarnings("try")
    private void forgotten(String key, SegmentRecord last) {
        try (KeyLocks.Held held = locks.lock(key)) {
            Optional<SegmentMetadata> local = store.metadata(key);
            boolean olderHere = local.isPresent() && !last.isOlderThan(local.get().version(), local.get().epoch());
            if (olderHere || (local.isEmpty() && store.hasLostCopy(key))) {
                store.remove(key);
            }
            ownership.forget(key, last.epoch());
        }
    }

    /** A node alone, without network: no replica ever holds a copy. */
    public CheckpointService(AdapterSettings settings, LocalStore store, Clock clock) {
        this(settings, store, new LocalCluster(), clock);
    }

    private CheckpointService(AdapterSettings settings, LocalStore store, LocalCluster alone, Clock clock) {
        this(settings, store, alone.directory(), alone.replicas(0), clock);
    }

    /**
     * Stores a new version locally and returns it (G1); replication follows in the background.
     * Reads the cluster's record only from this node's memory: no network round trip.
     *
     * @see io.checkpointservice.api.CheckpointConnection#write
     */
    @SuppressWarnings("try")
    public long write(String namespace, String name, byte[] state) {
        SegmentKey segment = new SegmentKey(namespace, name);
        Objects.requireNonNull(state, () -> "state of segment '" + name + "' is null; write an empty array for empty state");
        if (state.length > settings.maxSegmentBytes()) {
            throw new SegmentTooLargeException(name, state.length, settings.maxSegmentBytes());
        }
        ensureOpen();
        String key = segment.key();
        long version;
        // Fencing decides on the record: not on one a merge may still overturn. Waited out before
        // the lock (a volatile read when no merge is pending), checked again under it.
        long pass = passMergeGate(name, mergeGate.passWithin(MERGE_PATIENCE));
        try (KeyLocks.Held held = locks.lock(key)) {
            requireNoMergeSince(pass, name);
            Optional<SegmentRecord> record = directory.get(key);
            long epoch;
            try {
                epoch = ownership.epochForWrite(key, name, record);
            } catch (StaleWriterException e) {
                metrics.fencedWrite();
                throw e;
            }
            long newest = Math.max(store.version(key),
                    record.map(SegmentRecord::version).orElse(0L));
            version = newest + 1;
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            // The store copies the caller's array if it keeps it, and checksums it when it must.
            store.write(new SegmentWrite(key, version, epoch, now, settings.nodeName(), state));
        }
        replicator.markDirty(key);
        return version;
    }

    /**
     * Returns the newest version in the cluster and takes the segment over (G5-G8).
     *
     * @see io.checkpointservice.api.CheckpointConnection#load
     */
    public Optional<Checkpoint> load(String namespace, String name) {
        SegmentKey segment = new SegmentKey(namespace, name);
        ensureOpen();
        try {
            return readingSettled(name, () -> loader.load(segment.key(), name))
                    .map(stored -> toCheckpoint(segment, stored));
        } catch (LocalStoreException e) {
            metrics.loaded(LoadOutcome.UNAVAILABLE);
            throw new SegmentUnavailableException("segment '" + name + "' cannot be read now: " + e.getMessage(), e);
        }
    }

    /**
     * Lists the kept published versions, newest first; reads only.
     *
     * @see io.checkpointservice.api.CheckpointConnection#versions
     */
    public List<Long> versions(String namespace, String name) {
        SegmentKey segment = new SegmentKey(namespace, name);
        ensureOpen();
        return readingSettled(name, () -> retained.versions(segment.key(), name));
    }

    /**
     * Reads one kept version; takes nothing over, stores nothing.
     *
     * @see io.checkpointservice.api.CheckpointConnection#load(String, long)
     */
    public Optional<Checkpoint> load(String namespace, String name, long version) {
        SegmentKey segment = new SegmentKey(namespace, name);
        if (version <= 0) {
            throw new IllegalArgumentException("version must be positive (a value returned by write or listed by "
                    + "versions), was " + version);
        }
        ensureOpen();
        try {
            return readingSettled(name, () -> retained.load(segment.key(), name, version))
                    .map(stored -> toCheckpoint(segment, stored));
        } catch (LocalStoreException e) {
            throw new SegmentUnavailableException("segment '" + name + "' cannot be read now: " + e.getMessage(), e);
        }
    }

    /**
     * Runs a read of records and copies outside any merge: a healed split's merge may overturn what
     * it read (the losing side's versions), so a read a merge began during is made again. The gate
     * is waited out before the read takes any lock, so the segments sharing a lock stripe go on
     * meanwhile.
     */
    private <T> T readingSettled(String name, Supplier<T> read) {
        long deadline = System.nanoTime() + MERGE_PATIENCE.toNanos();
        for (int merges = 0; merges < MERGES_PER_LOAD; merges++) {
            long pass = passMergeGate(name,
                    mergeGate.passWithin(Duration.ofNanos(Math.max(0, deadline - System.nanoTime()))));
            T result = read.get();
            if (mergeGate.stillValid(pass)) {
                return result;
            }
        }
        throw unresolvedMerge(name);
    }

    /**
     * Waits until R nodes other than the writer hold {@code version} or newer (G3). With R = 0
     * it answers at once whether this node holds it.
     *
     * @see io.checkpointservice.api.CheckpointConnection#awaitReplicated
     */
    public boolean awaitReplicated(String namespace, String name, long version, Duration timeout) {
        SegmentKey segment = new SegmentKey(namespace, name);
        if (version <= 0) {
            throw new IllegalArgumentException("version must be positive (a value returned by write), was " + version);
        }
        requireValidTimeout(timeout);
        ensureOpen();
        return barrier.await(Map.of(segment.key(), version), timeout);
    }

    /**
     * {@link #awaitReplicated} for several segments under one deadline, their owners asked
     * together. Every name and version is checked before anything is awaited.
     *
     * @param versions the version to wait for, by segment name
     * @see io.checkpointservice.api.CheckpointConnection#awaitAllReplicated
     */
    public boolean awaitAllReplicated(String namespace, Map<String, Long> versions, Duration timeout) {
        if (versions == null) {
            throw new IllegalArgumentException("versions must not be null; pass the versions that write returned, by segment name");
        }
        Map<String, Long> byKey = new LinkedHashMap<>();
        for (Map.Entry<String, Long> entry : new LinkedHashMap<>(versions).entrySet()) { // checked whole before any wait
            SegmentKey segment = new SegmentKey(namespace, entry.getKey());
            Long version = entry.getValue();
            if (version == null || version <= 0) {
                throw new IllegalArgumentException("version of segment '" + entry.getKey()
                        + "' must be positive (a value returned by write), was " + version);
            }
            byKey.put(segment.key(), version);
        }
        requireValidTimeout(timeout);
        ensureOpen();
        return byKey.isEmpty() || barrier.await(byKey, timeout);
    }

    private static void requireValidTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be zero or positive, was " + timeout);
        }
    }

    /**
     * Removes the segment here and everywhere: leaves a tombstone in the cluster's record so
     * that no older copy can come back and later versions keep counting up.
     *
     * @see io.checkpointservice.api.CheckpointConnection#delete
     */
    public boolean delete(String namespace, String name) {
        SegmentKey segment = new SegmentKey(namespace, name);
        ensureOpen();
        String key = segment.key();
        try {
            long pass = passMergeGate(name, mergeGate.passWithin(MERGE_PATIENCE)); // before any lock, as load
            // A record that changed under us (a publish, a rebalance while a node joins) settles
            // during the pause, as for load; the pause holds no lock, so the segments that share
            // this one's lock stripe are written meanwhile.
            Deletion deletion = Backoff.CONTENDED_RECORD.retry(DELETE_ATTEMPTS, () -> tryDelete(key, name, pass))
                    .orElseThrow(() -> new CheckpointException("segment '" + name
                            + "' is being changed by other nodes too often to delete it now; retry"));
            // After the lock: no record points at these chunks any more, and the round trips to
            // their owners need not hold up the stripe's writes.
            // The versions the record kept (retainVersions) go with it.
            deletion.published().ifPresent(old -> old.publishedVersions().forEach(v -> Chunks.remove(replicas, key, v)));
            return deletion.existed();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CheckpointException("interrupted while deleting", e);
        } catch (ClusterUnavailableException e) {
            throw new CheckpointException("cannot delete segment '" + name + "' now: " + e.getMessage(), e);
        }
    }

    /** One decision of {@link #delete} under the segment's lock; empty when the record changed under us. */
    @SuppressWarnings("try")
    private Optional<Deletion> tryDelete(String key, String name, long mergePass) {
        try (KeyLocks.Held held = locks.lock(key)) {
            requireNoMergeSince(mergePass, name);
            Optional<SegmentRecord> record = directory.get(key);
            long epoch = ownership.epochForWrite(key, name, record);
            Optional<SegmentMetadata> local = store.metadata(key);
            boolean existed = local.isPresent() || record.map(SegmentRecord::hasData).orElse(false)
                    || store.hasLostCopy(key);
            if (!existed) {
                return Optional.of(new Deletion(false, Optional.empty()));
            }
            long lastVersion = Math.max(local.map(SegmentMetadata::version).orElse(0L),
                    record.map(SegmentRecord::version).orElse(0L));
            SegmentRecord tombstone = SegmentRecord.claim(epoch, settings.nodeName(), lastVersion, clock.instant());
            if (!directory.compareAndSet(key, record, tombstone)) {
                return Optional.empty();
            }
            ownership.took(key, epoch);
            store.remove(key);
            return Optional.of(new Deletion(true, record.filter(SegmentRecord::hasData)));
        }
    }

    /** A decided delete: whether the segment existed, and the record of its published chunks. */
    private record Deletion(boolean existed, Optional<SegmentRecord> published) {
    }

    /** @return the settings this service runs with */
    public AdapterSettings settings() {
        return settings;
    }

    /** @return the local store, for the adapter's own components */
    public LocalStore store() {
        return store;
    }

    /** @return the counters of this node's publications, loads, take-overs and fenced writes */
    public NodeMetrics metrics() {
        return metrics;
    }

    /** @return which segments this node writes, under which epoch */
    public Ownership ownership() {
        return ownership;
    }

    /** @return the background publisher; its workers are run by the adapter */
    public Replicator replicator() {
        return replicator;
    }

    /** Stops serving; later calls throw. The local store is closed, its files stay. */
    @Override
    public void close() {
        closed = true;
        replicator.stop();
        store.close();
    }

    /** @return {@code pass}, unless it says that a merge was still unresolved when the patience ran out */
    private static long passMergeGate(String name, long pass) {
        if (pass == MergeGate.UNRESOLVED) {
            throw unresolvedMerge(name);
        }
        return pass;
    }

    /** Under the segment's lock: a merge that began since the gate was passed may overturn the record read. */
    private void requireNoMergeSince(long pass, String name) {
        if (!mergeGate.stillValid(pass)) {
            throw unresolvedMerge(name);
        }
    }

    private static SegmentUnavailableException unresolvedMerge(String name) {
        return new SegmentUnavailableException("segment '" + name + "' cannot be decided on now: the checkpoint"
                + " cluster is still resolving the merge of a healed network split, which may overturn this"
                + " node's copy and record; retry shortly");
    }

    private void ensureOpen() {
        if (closed) {
            throw new CheckpointException("the checkpoint service on node '" + settings.nodeName()
                    + "' is stopped (resource adapter undeployed or server shutting down)");
        }
    }

    private static Checkpoint toCheckpoint(SegmentKey segment, StoredSegment stored) {
        SegmentMetadata m = stored.metadata();
        // Handed over without a copy (up to 64 MiB less per load, docs/PERFORMANCE.md P4): an array
        // a store returned or a fetch assembled is never changed afterwards (the memory store's
        // own, reused array never leaves it), and Checkpoint.state() copies it out.
        return Checkpoint.ofOwnedArray(segment.name(), m.version(), m.writtenAt(), m.originNode(), stored.data());
    }
}
