package io.checkpointservice.ra.cluster;

import org.infinispan.configuration.cache.CacheMode;
import org.infinispan.configuration.cache.ConfigurationBuilder;
import org.infinispan.conflict.MergePolicy;
import org.infinispan.distribution.group.Grouper;
import org.infinispan.manager.DefaultCacheManager;
import org.infinispan.partitionhandling.PartitionHandling;

/**
 * The two caches of the checkpoint cluster and why they are configured so.
 *
 * <ul>
 *   <li>{@value #RECORDS}: replicated (REPL_SYNC), one {@link SegmentRecord} per segment on every
 *       node, so reads are local and a change returns only when every node has it.</li>
 *   <li>{@value #CHUNKS}: distributed (DIST_SYNC) with {@code numOwners = R + 1}, chunks grouped
 *       by segment so all chunks of a segment share their owners. Infinispan places keys by hash
 *       and cannot be told to avoid the writer; with R + 1 owners at most one of them is the
 *       writer, so at least R are other nodes (G2). Topology ids make the owners spread over
 *       sites, racks and machines; state transfer restores R + 1 owners when members change
 *       (G10).</li>
 * </ul>
 */
final class CacheDefinitions {

    static final String RECORDS = "checkpoint-records";
    static final String CHUNKS = "checkpoint-chunks";

    private CacheDefinitions() {
    }

    /**
     * Network splits (docs/RELIABILITY.md): both sides stay writable, so a node that lost its
     * peers can still load and write (G4 needs that: a crash and a split look alike). When the
     * views merge, records keep the lineage of the last take-over on every node and chunks keep
     * every copy of either side: chunk keys never collide across lineages. A joiner's start
     * returns only once it holds every record (Infinispan's default, spelled out because G1
     * rests on it: the write path reads the record here).
     */
    static void define(DefaultCacheManager manager, int replicaCount, float capacityFactor) {
        manager.defineConfiguration(RECORDS, new ConfigurationBuilder()
                .clustering().cacheMode(CacheMode.REPL_SYNC).stateTransfer().awaitInitialTransfer(true)
                .partitionHandling().whenSplit(PartitionHandling.ALLOW_READ_WRITES)
                .mergePolicy(new RecordMergePolicy())
                .build());
        manager.defineConfiguration(CHUNKS, new ConfigurationBuilder()
                .clustering().cacheMode(CacheMode.DIST_SYNC)
                .hash().numOwners(replicaCount + 1).capacityFactor(capacityFactor)
                .groups().enabled(true).addGrouper(new SegmentGrouper())
                .partitionHandling().whenSplit(PartitionHandling.ALLOW_READ_WRITES)
                .mergePolicy(MergePolicy.PREFERRED_NON_NULL)
                .build());
    }

    /**
     * Puts every chunk of a version into one group ({@link ChunkKey#group()}), so they share their
     * owners.
     */
    static final class SegmentGrouper implements Grouper<String> {

        @Override
        public Object computeGroup(String key, Object group) {
            return ChunkKey.groupOf(key);
        }

        @Override
        public Class<String> getKeyType() {
            return String.class;
        }
    }
}
