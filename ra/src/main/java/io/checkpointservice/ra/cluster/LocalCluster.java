package io.checkpointservice.ra.cluster;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A cluster that lives in one JVM: a directory and a replica store in maps. Services sharing one
 * LocalCluster behave as nodes of one cluster, which makes the ownership and restore rules
 * testable in milliseconds; crash behaviour is proven with real processes, not with this.
 */
public final class LocalCluster {

    private final ConcurrentMap<String, SegmentRecord> records = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, byte[]> chunks = new ConcurrentHashMap<>();
    private final AtomicLong membership = new AtomicLong();

    /** @return the shared directory */
    public SegmentDirectory directory() {
        return new SegmentDirectory() {
            @Override
            public boolean knowsEveryRecord() {
                return true;
            }

            @Override
            public Optional<SegmentRecord> get(String key) {
                return Optional.ofNullable(records.get(key));
            }

            @Override
            public boolean compareAndSet(String key, Optional<SegmentRecord> expected, SegmentRecord next) {
                if (expected.isEmpty()) {
                    return records.putIfAbsent(key, next) == null;
                }
                return records.replace(key, expected.get(), next);
            }
        };
    }

    /**
     * @return a replica store whose copies count as held by {@code replicaCount} nodes other than
     *     any writer: the in-JVM stand-in for R live replica nodes
     */
    public ReplicaStore replicas(int replicaCount) {
        return new ReplicaStore() {
            @Override
            public void putChunk(ChunkKey chunk, byte[] data) {
                chunks.put(chunk.cacheKey(), data.clone());
            }

            @Override
            public byte[] getChunk(ChunkKey chunk) {
                byte[] data = chunks.get(chunk.cacheKey());
                return data == null ? null : data.clone();
            }

            @Override
            public void removeChunk(ChunkKey chunk) {
                chunks.remove(chunk.cacheKey());
            }

            @Override
            public int copiesOutside(ChunkKey chunk, String writer) {
                Objects.requireNonNull(writer);
                return replicaCount;
            }

            @Override
            public int confirmCopiesOutside(ChunkKey chunk, String writer, Duration timeout) {
                Objects.requireNonNull(writer);
                return chunks.containsKey(chunk.cacheKey()) ? replicaCount : 0;
            }

            @Override
            public long membershipId() {
                return membership.get();
            }
        };
    }

    /** @return how many chunks are stored, for tests that check clean-up */
    public int chunkCount() {
        return chunks.size();
    }

    /** Drops every chunk: the stand-in for all replica nodes being lost at once. */
    public void loseAllReplicas() {
        chunks.clear();
        membership.incrementAndGet(); // the replica nodes left
    }
}
