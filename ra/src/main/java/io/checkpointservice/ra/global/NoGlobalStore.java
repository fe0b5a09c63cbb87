package io.checkpointservice.ra.global;

import io.checkpointservice.ra.cluster.SegmentRecord;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/** {@link GlobalStore#NONE}: no global store is configured. */
final class NoGlobalStore implements GlobalStore {

    @Override
    public boolean configured() {
        return false;
    }

    @Override
    public void put(String key, SegmentRecord record, byte[] data) {
        throw new GlobalStoreException("no global store is configured (setting globalStore)", null);
    }

    @Override
    public boolean holds(String key, SegmentRecord record) {
        return false;
    }

    @Override
    public List<SegmentRecord> versions(String key) {
        return List.of();
    }

    @Override
    public Optional<byte[]> get(String key, SegmentRecord record) {
        return Optional.empty();
    }

    @Override
    public Optional<GlobalCopy> newest(String key) {
        return Optional.empty();
    }

    @Override
    public void delete(String key, SegmentRecord tombstone) {
    }

    @Override
    public void forEachNewestRecord(BiConsumer<String, SegmentRecord> action) {
    }

    @Override
    public String describe() {
        return "none";
    }

    @Override
    public void close() {
    }
}
