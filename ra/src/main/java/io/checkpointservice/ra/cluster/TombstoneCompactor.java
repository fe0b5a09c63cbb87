package io.checkpointservice.ra.cluster;

import io.checkpointservice.ra.global.GlobalStore;
import io.checkpointservice.ra.global.GlobalStoreException;
import io.checkpointservice.ra.threads.NodeThreads;
import io.checkpointservice.ra.threads.Repeating;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.infinispan.Cache;
import org.infinispan.commons.CacheException;
import org.infinispan.context.Flag;
import org.infinispan.distribution.DistributionManager;

/**
 * Forgets records without data once they are older than the grace period
 * ({@code tombstoneGraceSeconds}): the tombstones deletes leave and the claims loads of absent
 * segments leave. Without this, every segment name ever used would stay in every node's memory
 * and record journal for ever.
 *
 * <p>Until it is forgotten, a tombstone fences the segment's earlier writers and tells every node
 * that its older copies must not come back. After it, each node drops what it still holds of the
 * segment ({@link SegmentDirectory#whenForgotten}), a node that was away meanwhile brings back
 * nothing the cluster forgot ({@link CompactionMarker}), and the name starts afresh: a write
 * creates version 1 again.
 *
 * <p>Each node forgets the records it is the primary owner of, with a conditional remove (a
 * record changed meanwhile stays), and only while the records cache is settled (not during a
 * merge's conflict resolution or a rebalance). With a global store, a tombstone stays until the
 * store holds nothing of the segment: the delete reaches the store before the cluster forgets it.
 */
final class TombstoneCompactor implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TombstoneCompactor.class.getName());
    private static final String NAME = "checkpoint-tombstone-compaction";
    private static final Duration LONGEST_PERIOD = Duration.ofMinutes(1);
    private static final Duration SHORTEST_PERIOD = Duration.ofSeconds(1);

    private final Cache<String, String> records;
    private final Duration grace;
    private final Duration period;
    private final GlobalStore globalStore;
    private final CompactionMarker marker;
    private final NodeThreads threads;
    private final Clock clock;
    private Repeating passes;

    TombstoneCompactor(Cache<String, String> records, Duration grace, GlobalStore globalStore, CompactionMarker marker,
                       NodeThreads threads, Clock clock) {
        this.records = records;
        this.grace = grace;
        this.period = periodFor(grace);
        this.globalStore = globalStore;
        this.marker = marker;
        this.threads = threads;
        this.clock = clock;
    }

    /**
     * A quarter of the grace period, between 1 s and 1 min: a record is forgotten at most that
     * long after its grace period, and the "last running" time on disk is at most that old.
     */
    static Duration periodFor(Duration grace) {
        Duration quarter = grace.dividedBy(4);
        return quarter.compareTo(SHORTEST_PERIOD) < 0 ? SHORTEST_PERIOD
                : quarter.compareTo(LONGEST_PERIOD) > 0 ? LONGEST_PERIOD : quarter;
    }

    /** Runs the first pass now and then one every period until closed. */
    TombstoneCompactor start() {
        passes = Repeating.start(threads, NAME, period, this::pass);
        return this;
    }

    private void pass() {
        Instant now = clock.instant();
        marker.running(now);
        if (AbandonedChunkSweeper.isSettled(records)) {
            int forgotten = compact(now);
            if (forgotten > 0) {
                LOG.fine(() -> "forgot " + forgotten + " tombstones and claims older than " + grace.toSeconds() + " s");
            }
        }
    }

    /**
     * @return how many records this node removed, as their primary owner
     */
    synchronized int compact(Instant now) {
        Instant cutoff = now.minus(grace);
        DistributionManager distribution = records.getAdvancedCache().getDistributionManager();
        List<Map.Entry<String, String>> held = new ArrayList<>(
                records.getAdvancedCache().withFlags(Flag.CACHE_MODE_LOCAL).entrySet());
        int removed = 0;
        Instant newest = null;
        for (Map.Entry<String, String> entry : held) {
            SegmentRecord record = decodeOrNull(entry.getValue());
            if (record == null || record.hasData() || !record.writtenAt().isBefore(cutoff)
                    || !distribution.getCacheTopology().getDistribution(entry.getKey()).isPrimary()
                    || globalStoreHoldsAny(entry.getKey())) {
                continue;
            }
            try {
                if (records.remove(entry.getKey(), entry.getValue())) {
                    removed++;
                    newest = newest == null || record.writtenAt().isAfter(newest) ? record.writtenAt() : newest;
                }
            } catch (CacheException e) {
                LOG.fine(() -> "tombstone of '" + entry.getKey() + "' not forgotten now: " + e.getMessage());
            }
        }
        if (newest != null) {
            marker.compacted(newest);
        }
        return removed;
    }

    /** True also when the store cannot be read now: the tombstone waits for the next pass. */
    private boolean globalStoreHoldsAny(String key) {
        if (!globalStore.configured()) {
            return false;
        }
        try {
            return globalStore.newest(key).isPresent();
        } catch (GlobalStoreException e) {
            return true;
        }
    }

    private static SegmentRecord decodeOrNull(String encoded) {
        try {
            return SegmentRecord.decode(encoded);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** No pass starts afterwards; one under way finishes. */
    @Override
    public void close() {
        if (passes != null) {
            passes.close();
        }
    }
}
