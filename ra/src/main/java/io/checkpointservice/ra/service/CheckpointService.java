package io.checkpointservice.ra.service;

import io.checkpointservice.api.Checkpoint;
import io.checkpointservice.api.CheckpointException;
import io.checkpointservice.api.SegmentTooLargeException;
import io.checkpointservice.api.SegmentUnavailableException;
import io.checkpointservice.ra.config.AdapterSettings;
import io.checkpointservice.ra.store.Checksums;
import io.checkpointservice.ra.store.CorruptSegmentException;
import io.checkpointservice.ra.store.KeyLocks;
import io.checkpointservice.ra.store.LocalStore;
import io.checkpointservice.ra.store.LocalStoreException;
import io.checkpointservice.ra.store.SegmentMetadata;
import io.checkpointservice.ra.store.StoredSegment;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * The node's checkpoint service: the one place where the operations of
 * {@link io.checkpointservice.api.CheckpointConnection} are carried out. Connection handles of
 * every namespace share it. Thread-safe.
 *
 * <p>Every input is checked before anything is stored (G9). Writes to one segment are serialised
 * so that versions strictly increase.
 */
public final class CheckpointService implements AutoCloseable {

    private final AdapterSettings settings;
    private final LocalStore store;
    private final Clock clock;
    private final KeyLocks locks = new KeyLocks();
    private volatile boolean closed;

    public CheckpointService(AdapterSettings settings, LocalStore store, Clock clock) {
        this.settings = Objects.requireNonNull(settings);
        this.store = Objects.requireNonNull(store);
        this.clock = Objects.requireNonNull(clock);
    }

    /**
     * Stores a new version locally and returns it (G1).
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
        byte[] copy = state.clone();
        int checksum = Checksums.crc32c(copy);
        String key = segment.key();
        try (KeyLocks.Held held = locks.lock(key)) {
            long version = store.metadata(key).map(m -> m.version() + 1).orElse(1L);
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            SegmentMetadata metadata = new SegmentMetadata(key, version, 0, now,
                    settings.nodeName(), copy.length, checksum);
            store.put(new StoredSegment(metadata, copy));
            return version;
        }
    }

    /**
     * Returns the newest intact local copy (G5, G7, G8 on a single node).
     *
     * @see io.checkpointservice.api.CheckpointConnection#load
     */
    public Optional<Checkpoint> load(String namespace, String name) {
        SegmentKey segment = new SegmentKey(namespace, name);
        ensureOpen();
        try {
            return store.get(segment.key()).map(stored -> toCheckpoint(segment, stored));
        } catch (CorruptSegmentException e) {
            throw new SegmentUnavailableException("segment '" + name + "' exists but its only copy is "
                    + "corrupt and was quarantined: " + e.getMessage(), e);
        } catch (LocalStoreException e) {
            throw new SegmentUnavailableException("segment '" + name + "' cannot be read now: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Waits for R replicas of {@code version} (G3). A single node has no replicas: with R = 0 it
     * answers at once whether this node holds the version; with R > 0 it waits out the timeout
     * and answers false, because no other node can hold a copy.
     *
     * @see io.checkpointservice.api.CheckpointConnection#awaitReplicated
     */
    public boolean awaitReplicated(String namespace, String name, long version, Duration timeout) {
        SegmentKey segment = new SegmentKey(namespace, name);
        if (version <= 0) {
            throw new IllegalArgumentException("version must be positive (a value returned by write), was " + version);
        }
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be zero or positive, was " + timeout);
        }
        ensureOpen();
        boolean heldLocally = store.metadata(segment.key()).map(m -> m.version() >= version).orElse(false);
        if (settings.replicaCount() == 0) {
            return heldLocally;
        }
        sleep(timeout);
        return false;
    }

    /**
     * Removes the segment.
     *
     * @see io.checkpointservice.api.CheckpointConnection#delete
     */
    @SuppressWarnings("try")
    public boolean delete(String namespace, String name) {
        SegmentKey segment = new SegmentKey(namespace, name);
        ensureOpen();
        try (KeyLocks.Held held = locks.lock(segment.key())) {
            return store.remove(segment.key());
        }
    }

    /** @return the settings this service runs with */
    public AdapterSettings settings() {
        return settings;
    }

    /** @return the local store, for the adapter's own components */
    public LocalStore store() {
        return store;
    }

    /** Stops serving; later calls throw. The local store is closed, its files stay. */
    @Override
    public void close() {
        closed = true;
        store.close();
    }

    private void ensureOpen() {
        if (closed) {
            throw new CheckpointException("the checkpoint service on node '" + settings.nodeName()
                    + "' is stopped (resource adapter undeployed or server shutting down)");
        }
    }

    private static Checkpoint toCheckpoint(SegmentKey segment, StoredSegment stored) {
        SegmentMetadata m = stored.metadata();
        return new Checkpoint(segment.name(), m.version(), m.writtenAt(), m.originNode(), stored.data());
    }

    private static void sleep(Duration timeout) {
        try {
            Thread.sleep(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
