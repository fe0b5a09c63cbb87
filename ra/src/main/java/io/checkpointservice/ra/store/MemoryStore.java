package io.checkpointservice.ra.store;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Local storage in the heap: the fastest write (G1), lost when the process ends.
 *
 * <p>An application's {@link #write} costs one copy of its array and nothing else: the copy's
 * CRC32C (G7) is computed by the first reader, normally the replicator on its own thread within
 * a millisecond, and in any case before a byte of it leaves the heap (a replica's chunks and the
 * cluster's record carry that checksum) or is handed back by {@link #get}. Computing it on the
 * writer's thread would double the write's cost (docs/PERFORMANCE.md, P1) and protect nothing
 * more: the copy is private to this store, never changed and never handed out, so the bytes
 * the first reader checksums are the bytes the application wrote. From then on every
 * {@link #get} checks the copy against it.
 */
public final class MemoryStore implements LocalStore {

    private final ConcurrentMap<String, Copy> segments = new ConcurrentHashMap<>();

    @Override
    public void put(StoredSegment segment) {
        segments.put(segment.key(), new Copy(segment));
    }

    /** Copies the caller's array (the store keeps it); the checksum is left to the first reader. */
    @Override
    public void write(SegmentWrite write) {
        byte[] copy = write.callersData().clone();
        segments.put(write.key(), new Copy(write, copy));
    }

    @Override
    public Optional<StoredSegment> get(String key) {
        Copy copy = segments.get(key);
        if (copy == null) {
            return Optional.empty();
        }
        boolean checkedBefore = copy.isChecked();
        StoredSegment segment = copy.checked();
        // A checksum computed just now is of these very bytes: checking it again proves nothing.
        if (checkedBefore && !segment.isIntact()) {
            // Only a bug or bad memory gets here; never hand the bytes out (G7).
            segments.remove(key, copy);
            throw new CorruptSegmentException("in-memory copy of '" + key + "' v"
                    + segment.metadata().version() + " fails its checksum; discarded");
        }
        return Optional.of(segment);
    }

    @Override
    public Optional<SegmentMetadata> metadata(String key) {
        return Optional.ofNullable(segments.get(key)).map(copy -> copy.checked().metadata());
    }

    @Override
    public long version(String key) {
        Copy copy = segments.get(key);
        return copy == null ? 0 : copy.version;
    }

    @Override
    public boolean remove(String key) {
        return segments.remove(key) != null;
    }

    @Override
    public Collection<SegmentMetadata> list() {
        return List.copyOf(segments.values().stream().map(copy -> copy.checked().metadata()).toList());
    }

    @Override
    public String describe() {
        return "memory";
    }

    @Override
    public void close() {
        segments.clear();
    }

    /** One stored version; its checksum is computed once, by whichever thread needs it first. */
    private static final class Copy {

        final long version;
        private SegmentWrite written;
        private byte[] data;
        private volatile StoredSegment checked;

        Copy(StoredSegment checked) {
            this.version = checked.metadata().version();
            this.checked = checked;
        }

        Copy(SegmentWrite written, byte[] ownCopy) {
            this.version = written.version();
            this.written = written;
            this.data = ownCopy;
        }

        boolean isChecked() {
            return checked != null;
        }

        StoredSegment checked() {
            StoredSegment segment = checked;
            if (segment != null) {
                return segment;
            }
            synchronized (this) {
                if (checked == null) {
                    checked = new StoredSegment(written.metadataFor(data), data);
                    written = null;
                    data = null;
                }
                return checked;
            }
        }
    }
}
