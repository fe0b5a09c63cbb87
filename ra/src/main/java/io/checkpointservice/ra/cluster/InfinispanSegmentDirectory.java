package io.checkpointservice.ra.cluster;

import java.util.Optional;
import java.util.function.BiConsumer;
import org.infinispan.Cache;
import org.infinispan.commons.CacheException;
import org.infinispan.manager.EmbeddedCacheManager;

/** The segment records, in Infinispan's replicated records cache ({@link CacheDefinitions#RECORDS}). */
final class InfinispanSegmentDirectory implements SegmentDirectory {

    private final Cache<String, String> records;
    private final EmbeddedCacheManager manager;
    private final MergeGate mergeGate;
    private final ForgottenRecords forgotten;
    /** See {@link SegmentDirectory#knowsEveryRecord()}; starts true when no other host is configured. */
    private volatile boolean informed;

    InfinispanSegmentDirectory(Cache<String, String> records, EmbeddedCacheManager manager, boolean alone,
                               MergeGate mergeGate, ForgottenRecords forgotten) {
        this.records = records;
        this.manager = manager;
        this.informed = alone;
        this.mergeGate = mergeGate;
        this.forgotten = forgotten;
    }

    @Override
    public void whenForgotten(BiConsumer<String, SegmentRecord> action) {
        forgotten.onEach(action);
    }

    @Override
    public MergeGate mergeGate() {
        return mergeGate;
    }

    @Override
    public boolean knowsEveryRecord() {
        if (!informed && manager.getMembers().size() > 1) {
            informed = true; // Sticky: once joined, the records were transferred to us.
        }
        return informed;
    }

    /**
     * Local in practice (G1): every member holds every record, and a joining member's
     * {@code getCache} returns only once its initial state transfer is complete (Infinispan's
     * {@code awaitInitialTransfer}, on by default), before this node serves anything.
     * {@code JoinerHoldsEveryRecordOnMembersTest} checks that. A plain read rather than a local-only
     * one, though: during a merge's conflict resolution, when a member may not hold the
     * resolved record yet, a write or load must decide on the resolved one.
     */
    @Override
    public Optional<SegmentRecord> get(String key) {
        try {
            return Optional.ofNullable(SegmentRecord.decode(records.get(key)));
        } catch (CacheException e) { // e.g. the member is stopping: never Infinispan's own type to the application
            throw new ClusterUnavailableException("cannot read the record of '" + key + "': " + e.getMessage(), e);
        }
    }

    @Override
    public boolean compareAndSet(String key, Optional<SegmentRecord> expected, SegmentRecord next) {
        try {
            if (expected.isEmpty()) {
                return records.putIfAbsent(key, next.encode()) == null;
            }
            return records.replace(key, expected.get().encode(), next.encode());
        } catch (CacheException e) {
            throw new ClusterUnavailableException("cannot update the record of '" + key + "': " + e.getMessage(), e);
        }
    }
}
