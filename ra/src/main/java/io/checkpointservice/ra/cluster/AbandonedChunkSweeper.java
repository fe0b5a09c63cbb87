package io.checkpointservice.ra.cluster;

import io.checkpointservice.ra.threads.NodeThreads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.infinispan.Cache;
import org.infinispan.commons.CacheException;
import org.infinispan.context.Flag;
import org.infinispan.distribution.DistributionManager;
import org.infinispan.notifications.Listener;
import org.infinispan.notifications.cachemanagerlistener.annotation.Merged;
import org.infinispan.notifications.cachemanagerlistener.event.MergeEvent;
import org.infinispan.remoting.transport.Address;
import org.infinispan.topology.CacheTopology;

/**
 * Removes chunks that no record can point at again, so that they do not stay in memory forever:
 *
 * <ul>
 *   <li>after each merge of a network split, the chunks of the side that lost (the chunk cache
 *       keeps every chunk of both sides through the merge, so the winner's are never dropped);</li>
 *   <li>every {@code chunkSweepSeconds} (10 minutes by default), without a merge: the chunks of a version a writer was
 *       publishing when it crashed, once another node has taken the segment over, and chunks of
 *       superseded versions whose background removal after a publish failed (a timeout, a node
 *       leaving at that moment).</li>
 * </ul>
 *
 * Each node removes the {@linkplain ChunkKey#isAbandonedUnder abandoned} chunks it is the primary
 * owner of; a chunk of a version still being published is never abandoned.
 *
 * <p>A sweep runs only when the cluster has settled, checked, not assumed: a node that still held
 * the losing side's record after a merge would judge the winner's chunks abandoned (the winner's
 * record may be a take-over pointing at data of an older epoch) and remove the only copies of the
 * data that won. So both caches must run a topology of every current member with no conflict
 * resolution or rebalance in progress; after a merge the sweep waits for that, a routine sweep
 * skips to its next period.
 */
@Listener(sync = false)
final class AbandonedChunkSweeper implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AbandonedChunkSweeper.class.getName());
    /** After a merge: once conflict resolution should be done, and once more for a slow one. */
    private static final long[] SWEEP_DELAYS_SECONDS = {15, 90};
    /** How often a sweep that found the cluster unsettled looks again, and for how long at most. */
    private static final long RECHECK_SECONDS = 5;
    private static final long GIVE_UP_SECONDS = 30 * 60;

    private static final String NAME = "checkpoint-chunk-sweep";
    private static final NodeThreads.Scheduled NOT_SCHEDULED = () -> { };

    private final Cache<String, byte[]> chunks;
    private final Cache<String, String> records;
    private final Duration routinePeriod;
    private final NodeThreads threads;
    private volatile boolean closed;
    private volatile NodeThreads.Scheduled nextRoutineSweep;

    /**
     * @param routinePeriod how often to sweep without a merge. A sweep reads every chunk key this
     *     node holds and decodes the record of each (local reads: records are on every node), so
     *     the default is rare; a crash leaves at most one publication's chunks per segment behind.
     * @param threads runs the sweeps; the sweeper has no thread of its own
     */
    AbandonedChunkSweeper(Cache<String, byte[]> chunks, Cache<String, String> records, Duration routinePeriod,
                          NodeThreads threads) {
        this.chunks = chunks;
        this.records = records;
        this.routinePeriod = routinePeriod;
        this.threads = threads;
        this.nextRoutineSweep = later(this::routineSweep, routinePeriod);
    }

    /** A sweep without a merge; when the cluster is moving, the next period will do. */
    private void routineSweep() {
        try {
            if (isSettled(records) && isSettled(chunks)) {
                int removed = sweep();
                if (removed > 0) {
                    LOG.info("removed " + removed + " abandoned chunks (a publication cut short by its writer's"
                            + " crash and since taken over, or a superseded version whose removal had failed)");
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "abandoned chunks not swept now: " + e.getMessage(), e);
        } finally {
            // Whatever happened, the next period: counted from this sweep's end, so sweeps never pile up.
            nextRoutineSweep = later(this::routineSweep, routinePeriod);
        }
    }

    @Merged
    public void merged(MergeEvent event) {
        long giveUpAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(GIVE_UP_SECONDS);
        for (long delay : SWEEP_DELAYS_SECONDS) {
            later(() -> sweepWhenSettled(giveUpAt), Duration.ofSeconds(delay));
        }
    }

    private void sweepWhenSettled(long giveUpAt) {
        try {
            if (!isSettled(records) || !isSettled(chunks)) {
                if (System.nanoTime() - giveUpAt < 0) {
                    later(() -> sweepWhenSettled(giveUpAt), Duration.ofSeconds(RECHECK_SECONDS));
                } else {
                    LOG.info("abandoned chunks of a network split not swept: the cluster has not settled for "
                            + GIVE_UP_SECONDS / 60 + " minutes since the merge; a routine sweep will once it has");
                }
                return;
            }
            int removed = sweep();
            if (removed > 0) {
                LOG.info("removed " + removed + " abandoned chunks left behind by a network split");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.INFO, "abandoned chunks not swept now: " + e.getMessage(), e);
        }
    }

    /** Has {@code sweep} run after {@code delay} unless the sweeper is closed by then. */
    private NodeThreads.Scheduled later(Runnable sweep, Duration delay) {
        if (closed) {
            return NOT_SCHEDULED;
        }
        try {
            return threads.runLater(NAME, () -> {
                if (!closed) {
                    sweep.run();
                }
            }, delay);
        } catch (RuntimeException e) { // the embedding is taking its threads back: the node is stopping
            LOG.fine(() -> "abandoned chunk sweep not scheduled: " + e.getMessage());
            return NOT_SCHEDULED;
        }
    }

    /**
     * @return true when {@code cache} runs a topology of all current members with neither conflict
     *     resolution nor a rebalance in progress: after a merge, its entries are the resolved ones
     */
    static boolean isSettled(Cache<?, ?> cache) {
        CacheTopology topology = cache.getAdvancedCache().getDistributionManager().getCacheTopology();
        return isSettled(topology.getPhase(), topology.getActualMembers(), cache.getCacheManager().getMembers());
    }

    static boolean isSettled(CacheTopology.Phase phase, Collection<Address> topologyMembers, Collection<Address> viewMembers) {
        return phase == CacheTopology.Phase.NO_REBALANCE && topologyMembers.containsAll(viewMembers);
    }

    /**
     * @return how many abandoned chunks this node removed, as their primary owner; one sweep at a
     *     time, as a merge's sweep may come due during a routine one
     */
    synchronized int sweep() {
        DistributionManager distribution = chunks.getAdvancedCache().getDistributionManager();
        List<String> local = new ArrayList<>(chunks.getAdvancedCache().withFlags(Flag.CACHE_MODE_LOCAL).keySet());
        int removed = 0;
        for (String cacheKey : local) {
            ChunkKey chunk = ChunkKey.parse(cacheKey);
            if (chunk == null || !distribution.getCacheTopology().getDistribution(cacheKey).isPrimary()) {
                continue;
            }
            SegmentRecord record = SegmentRecord.decode(records.get(chunk.segmentKey()));
            if (record != null && chunk.isAbandonedUnder(record)) {
                try {
                    if (chunks.remove(cacheKey) != null) { // else the replicator's own removal came first
                        removed++;
                    }
                } catch (CacheException e) {
                    LOG.fine(() -> "abandoned chunk " + cacheKey + " not removed now: " + e.getMessage());
                }
            }
        }
        return removed;
    }

    /** No sweep starts afterwards; one under way finishes. */
    @Override
    public void close() {
        closed = true;
        nextRoutineSweep.cancel();
    }
}
