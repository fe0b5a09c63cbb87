package io.checkpointservice.ra.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.infinispan.Cache;
import org.infinispan.commons.CacheException;
import org.infinispan.context.Flag;
import org.infinispan.distribution.DistributionManager;
import org.infinispan.notifications.Listener;
import org.infinispan.notifications.cachemanagerlistener.annotation.Merged;
import org.infinispan.notifications.cachemanagerlistener.event.MergeEvent;

/**
 * Removes the chunks that the side which lost a network split's merge left behind. The chunk cache
 * keeps every chunk of both sides through the merge (so the winner's are never dropped); the
 * loser's are then referenced by no record and never read again, but would stay in memory. After
 * each merge, once Infinispan's conflict resolution has had time to finish, every node removes the
 * {@linkplain ChunkKey#isAbandonedUnder abandoned} chunks it is the primary owner of.
 */
@Listener(sync = false)
final class AbandonedChunkSweeper implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AbandonedChunkSweeper.class.getName());
    /** After a merge: once conflict resolution should be done, and once more for a slow one. */
    private static final long[] SWEEP_DELAYS_SECONDS = {15, 90};

    private final Cache<String, byte[]> chunks;
    private final Function<String, SegmentRecord> records;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "checkpoint-chunk-sweeper");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param records the current record of a segment key, or null
     */
    AbandonedChunkSweeper(Cache<String, byte[]> chunks, Function<String, SegmentRecord> records) {
        this.chunks = chunks;
        this.records = records;
    }

    @Merged
    public void merged(MergeEvent event) {
        for (long delay : SWEEP_DELAYS_SECONDS) {
            timer.schedule(this::sweepQuietly, delay, TimeUnit.SECONDS);
        }
    }

    private void sweepQuietly() {
        try {
            int removed = sweep();
            if (removed > 0) {
                LOG.info("removed " + removed + " abandoned chunks left behind by a network split");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.INFO, "abandoned chunks not swept now: " + e.getMessage(), e);
        }
    }

    /** @return how many abandoned chunks this node removed, as their primary owner */
    int sweep() {
        DistributionManager distribution = chunks.getAdvancedCache().getDistributionManager();
        List<String> local = new ArrayList<>(chunks.getAdvancedCache().withFlags(Flag.CACHE_MODE_LOCAL).keySet());
        int removed = 0;
        for (String cacheKey : local) {
            ChunkKey chunk = ChunkKey.parse(cacheKey);
            if (chunk == null || !distribution.getCacheTopology().getDistribution(cacheKey).isPrimary()) {
                continue;
            }
            SegmentRecord record = records.apply(chunk.segmentKey());
            if (record != null && chunk.isAbandonedUnder(record)) {
                try {
                    chunks.remove(cacheKey);
                    removed++;
                } catch (CacheException e) {
                    LOG.fine(() -> "abandoned chunk " + cacheKey + " not removed now: " + e.getMessage());
                }
            }
        }
        return removed;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
