package io.checkpointservice.ra.cluster;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.logging.Logger;
import org.infinispan.Cache;
import org.infinispan.configuration.cache.CacheMode;
import org.infinispan.configuration.cache.ConfigurationBuilder;
import org.infinispan.container.entries.CacheEntry;
import org.infinispan.conflict.EntryMergePolicy;
import org.infinispan.manager.DefaultCacheManager;
import org.infinispan.partitionhandling.PartitionHandling;

/**
 * How far the cluster has forgotten: the newest tombstone (by its time) that
 * {@link TombstoneCompactor} removed anywhere, kept in a small replicated cache so that every
 * member knows it, and on each disk-mode node's disk next to the time that node was last running.
 *
 * <p>It answers one question at start: did the cluster forget a tombstone this node never saw?
 * A node that was away then may remember, in its record journal and its local store, a segment
 * that was deleted and forgotten while it was away; bringing it back would undo the delete. Such
 * a node restores only what the cluster still has. A node that was away less than the grace
 * period cannot have missed one: a tombstone is forgotten a grace period after it was written.
 * A whole-cluster restart forgets nothing, since only running nodes forget.
 */
final class CompactionMarker {

    static final String CACHE = "checkpoint-compaction";
    private static final String KEY = "compactedThrough";
    private static final String FILE = "compaction.properties";
    /**
     * Tombstone times come from the clock of the node that deleted, "last running" from this
     * node's: a tombstone written up to this much before this node stopped still counts as
     * possibly missed, so that clocks apart by less than this never hide one.
     */
    static final Duration CLOCK_SKEW_ALLOWANCE = Duration.ofMinutes(5);
    private static final Logger LOG = Logger.getLogger(CompactionMarker.class.getName());

    private final Cache<String, String> cluster;
    private final Path file;
    private final boolean missedCompaction;

    private CompactionMarker(Cache<String, String> cluster, Path file, boolean missedCompaction) {
        this.cluster = cluster;
        this.file = file;
        this.missedCompaction = missedCompaction;
    }

    /** Defines the marker's cache: replicated, the larger value wins when a network split heals. */
    static void define(DefaultCacheManager manager) {
        manager.defineConfiguration(CACHE, new ConfigurationBuilder()
                .clustering().cacheMode(CacheMode.REPL_SYNC)
                .partitionHandling().whenSplit(PartitionHandling.ALLOW_READ_WRITES)
                .mergePolicy(new LargerWins())
                .build());
    }

    /**
     * Joins the marker: raises the cluster's to what this node's disk remembers, and decides
     * whether this node missed a compaction.
     *
     * @param persistence this node's cluster directory in disk mode; null in memory mode (nothing
     *     on disk can come back, so nothing was missed)
     */
    static CompactionMarker open(DefaultCacheManager manager, Path persistence) {
        Cache<String, String> cluster = manager.getCache(CACHE);
        Path file = persistence == null ? null : persistence.resolve(FILE);
        Properties kept = file == null ? new Properties() : read(file);
        long keptMarker = Long.parseLong(kept.getProperty(KEY, "0"));
        long clusterMarker = raise(cluster, keptMarker);
        String lastRunning = kept.getProperty("lastRunning");
        boolean missed = lastRunning != null
                && clusterMarker > Long.parseLong(lastRunning) - CLOCK_SKEW_ALLOWANCE.toMillis();
        if (missed) {
            LOG.warning(() -> "this node was last running at " + Instant.ofEpochMilli(Long.parseLong(lastRunning))
                    + ", and the cluster has since forgotten segments deleted up to "
                    + Instant.ofEpochMilli(clusterMarker) + " (tombstoneGraceSeconds): this node brings back only "
                    + "the records and copies the cluster still has");
        }
        return new CompactionMarker(cluster, file, missed);
    }

    /** @return true when the cluster forgot a tombstone this node may not have seen */
    boolean missedCompaction() {
        return missedCompaction;
    }

    /** The cluster forgot tombstones written up to {@code newest}. */
    void compacted(Instant newest) {
        raise(cluster, newest.toEpochMilli());
    }

    /** Notes on this node's disk that it runs now and what the cluster has forgotten so far. */
    void running(Instant now) {
        if (file == null) {
            return;
        }
        Properties values = new Properties();
        values.setProperty("lastRunning", Long.toString(now.toEpochMilli()));
        values.setProperty(KEY, Long.toString(current(cluster)));
        Path temporary = file.resolveSibling(FILE + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
                values.store(out, "checkpoint service: when this node last ran, and how far the cluster has forgotten");
            }
            try {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            LOG.fine(() -> "compaction marker not written to " + file + " now: " + e.getMessage());
        }
    }

    private static long raise(Cache<String, String> cluster, long atLeast) {
        String merged = cluster.merge(KEY, Long.toString(atLeast),
                (held, offered) -> Long.parseLong(held) >= Long.parseLong(offered) ? held : offered);
        return Long.parseLong(merged);
    }

    private static long current(Cache<String, String> cluster) {
        return Long.parseLong(cluster.getOrDefault(KEY, "0"));
    }

    private static Properties read(Path file) {
        Properties values = new Properties();
        if (Files.isRegularFile(file)) {
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                values.load(in);
                Long.parseLong(values.getProperty(KEY, "0"));
                Long.parseLong(values.getProperty("lastRunning", "0"));
            } catch (IOException | IllegalArgumentException e) {
                // Unreadable: as if this node had been away for ever, the careful side.
                LOG.warning(() -> "compaction marker " + file + " cannot be read (" + e.getMessage()
                        + "); this node brings back only what the cluster still has");
                values = new Properties();
                values.setProperty("lastRunning", "0");
            }
        }
        return values;
    }

    /** After a split, the side that forgot more wins: its tombstones are gone on that side. */
    static final class LargerWins implements EntryMergePolicy<String, String> {
        @Override
        public CacheEntry<String, String> merge(CacheEntry<String, String> preferredEntry,
                                                List<CacheEntry<String, String>> otherEntries) {
            CacheEntry<String, String> larger = preferredEntry;
            for (CacheEntry<String, String> other : otherEntries) {
                if (other != null && other.getValue() != null && (larger == null || larger.getValue() == null
                        || Long.parseLong(other.getValue()) > Long.parseLong(larger.getValue()))) {
                    larger = other;
                }
            }
            return larger;
        }
    }
}
