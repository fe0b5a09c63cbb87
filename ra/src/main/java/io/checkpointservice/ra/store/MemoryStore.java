package io.checkpointservice.ra.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Local storage in the heap: the fastest write (G1), lost when the process ends.
 *
 * <p>An application's {@link #write} costs one copy of its array and nothing else, and that copy
 * goes into memory the CPU has touched before whenever it can (docs/PERFORMANCE.md, P1):
 * <ul>
 *   <li><b>The store's array is reused.</b> Each segment's bytes live in an array only this store
 *       references; a new version of the same length is copied over the previous one in place.
 *       Copying into a freshly allocated array is several times slower than copying into one in
 *       the cache (the new array's cache lines come from main memory), and leaves the array's size
 *       in garbage per write. Readers therefore never see the store's array: {@link #get} hands out a copy,
 *       and every access to a segment's array happens under that segment's lock.</li>
 *   <li><b>The checksum is computed by the first reader</b>, normally the replicator on its own
 *       thread within a millisecond, and in any case before a byte of the version leaves the
 *       store (a replica's chunks and the cluster's record carry that checksum). The store's array
 *       is private and changed only by the next version's write, so the bytes the first reader
 *       checksums are the bytes the application wrote; from then on every {@link #get} checks
 *       the copy it hands out against the checksum (G7).</li>
 * </ul>
 * An array that came in through {@link #put} (a version fetched from replicas, which the caller
 * also hands to the application) is never written over: the next write of that segment takes a
 * new array.
 */
public final class MemoryStore implements LocalStore {

    private final ConcurrentMap<String, Copy> segments = new ConcurrentHashMap<>();
    /** Keys whose copy failed its checksum and was discarded, until written or removed again. */
    private final Set<String> lost = ConcurrentHashMap.newKeySet();
    /** Guards each segment's array: a write over it never overlaps a read of it. */
    private final KeyLocks locks = new KeyLocks();

    @Override
    public void put(StoredSegment segment) {
        try (KeyLocks.Held held = locks.lock(segment.key())) {
            segments.put(segment.key(), Copy.shared(segment));
            forgetLost(segment.key());
        }
    }

    /** Copies the caller's array, over the previous version's when that is this store's own and as long. */
    @Override
    public void write(SegmentWrite write) {
        byte[] callers = write.callersData();
        try (KeyLocks.Held held = locks.lock(write.key())) {
            Copy current = segments.get(write.key());
            byte[] own;
            if (current != null && current.ownsArray && current.data.length == callers.length) {
                own = current.data;
                System.arraycopy(callers, 0, own, 0, callers.length);
            } else {
                own = callers.clone();
            }
            segments.put(write.key(), Copy.owned(write, own));
            forgetLost(write.key());
        }
    }

    @Override
    @SuppressWarnings("try")
    public Optional<StoredSegment> get(String key) {
        try (KeyLocks.Held held = locks.lock(key)) {
            Copy copy = segments.get(key);
            if (copy == null) {
                return Optional.empty();
            }
            boolean checkedBefore = copy.isChecked();
            StoredSegment out = new StoredSegment(copy.metadata(key), copy.data.clone());
            // A checksum computed just now is of these very bytes: checking it again proves nothing.
            if (checkedBefore && !out.isIntact()) {
                // Only a bug or bad memory gets here; never hand the bytes out (G7).
                segments.remove(key, copy);
                lost.add(key);
                throw new CorruptSegmentException("in-memory copy of '" + key + "' v"
                        + out.metadata().version() + " fails its checksum; discarded");
            }
            return Optional.of(out);
        }
    }

    @Override
    @SuppressWarnings("try")
    public Optional<SegmentMetadata> metadata(String key) {
        try (KeyLocks.Held held = locks.lock(key)) {
            return Optional.ofNullable(segments.get(key)).map(copy -> copy.metadata(key));
        }
    }

    @Override
    public long version(String key) {
        Copy copy = segments.get(key);
        return copy == null ? 0 : copy.version;
    }

    @Override
    @SuppressWarnings("try")
    public boolean remove(String key) {
        try (KeyLocks.Held held = locks.lock(key)) {
            return segments.remove(key) != null | lost.remove(key);
        }
    }

    private void forgetLost(String key) {
        if (!lost.isEmpty()) { // almost always empty: no map write on the write path
            lost.remove(key);
        }
    }

    @Override
    public boolean hasLostCopy(String key) {
        return !lost.isEmpty() && lost.contains(key) && !segments.containsKey(key);
    }

    @Override
    public Collection<SegmentMetadata> list() {
        return List.copyOf(segments.keySet().stream().map(this::metadata).flatMap(Optional::stream).toList());
    }

    @Override
    public String describe() {
        return "memory";
    }

    @Override
    public void close() {
        segments.clear();
        lost.clear();
    }

    /**
     * One stored version: its metadata as plain fields (no metadata object, no timestamp object
     * kept per segment: with 100,000 segments every byte per segment counts against the heap
     * budget, P5) and its array. The array and the lazily computed checksum are used only under
     * the segment's lock. The key is the map's, not repeated here.
     */
    private static final class Copy {

        final long version;
        final long epoch;
        final long writtenAtSeconds;
        final int writtenAtNanos;
        final String originNode;
        final byte[] data;
        /** True when only this store references {@code data}, so the next write may copy over it. */
        final boolean ownsArray;
        private boolean checked;
        private int checksum;

        private Copy(long version, long epoch, Instant writtenAt, String originNode, byte[] data,
                     boolean ownsArray, boolean checked, int checksum) {
            this.version = version;
            this.epoch = epoch;
            this.writtenAtSeconds = writtenAt.getEpochSecond();
            this.writtenAtNanos = writtenAt.getNano();
            this.originNode = originNode;
            this.data = data;
            this.ownsArray = ownsArray;
            this.checked = checked;
            this.checksum = checksum;
        }

        static Copy owned(SegmentWrite written, byte[] ownArray) {
            return new Copy(written.version(), written.epoch(), written.writtenAt(),
                    written.originNode(), ownArray, true, false, 0);
        }

        static Copy shared(StoredSegment segment) {
            SegmentMetadata m = segment.metadata();
            return new Copy(m.version(), m.epoch(), m.writtenAt(), m.originNode(), segment.data(),
                    false, true, m.checksum());
        }

        boolean isChecked() {
            return checked;
        }

        /** @return the metadata of {@code key}'s copy, computing the checksum first if nobody has yet */
        SegmentMetadata metadata(String key) {
            if (!checked) {
                checksum = Checksums.crc32c(data);
                checked = true;
            }
            return new SegmentMetadata(key, version, epoch, Instant.ofEpochSecond(writtenAtSeconds, writtenAtNanos),
                    originNode, data.length, checksum);
        }
    }
}
