package io.checkpointservice.ra.store;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Local storage in the heap: the fastest write (G1), lost when the process ends. */
public final class MemoryStore implements LocalStore {

    private final ConcurrentMap<String, StoredSegment> segments = new ConcurrentHashMap<>();

    @Override
    public void put(StoredSegment segment) {
        segments.put(segment.key(), segment);
    }

    @Override
    public Optional<StoredSegment> get(String key) {
        StoredSegment segment = segments.get(key);
        if (segment == null) {
            return Optional.empty();
        }
        if (!segment.isIntact()) {
            // Only a bug or bad memory gets here; never hand the bytes out (G7).
            segments.remove(key, segment);
            throw new CorruptSegmentException("in-memory copy of '" + key + "' v"
                    + segment.metadata().version() + " fails its checksum; discarded");
        }
        return Optional.of(segment);
    }

    @Override
    public Optional<SegmentMetadata> metadata(String key) {
        return Optional.ofNullable(segments.get(key)).map(StoredSegment::metadata);
    }

    @Override
    public boolean remove(String key) {
        return segments.remove(key) != null;
    }

    @Override
    public Collection<SegmentMetadata> list() {
        return List.copyOf(segments.values().stream().map(StoredSegment::metadata).toList());
    }

    @Override
    public String describe() {
        return "memory";
    }

    @Override
    public void close() {
        segments.clear();
    }
}
