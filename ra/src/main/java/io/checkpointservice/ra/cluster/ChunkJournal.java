package io.checkpointservice.ra.cluster;

import io.checkpointservice.ra.threads.NodeThreads;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import org.infinispan.Cache;
import org.infinispan.context.Flag;
import org.infinispan.functional.FunctionalMap.WriteOnlyMap;
import org.infinispan.manager.DefaultCacheManager;
import org.infinispan.notifications.Listener;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryCreated;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryModified;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryRemoved;
import org.infinispan.notifications.cachelistener.event.CacheEntryEvent;

/**
 * The replica chunks this node owns, also on its own disk (disk mode), so that a cluster whose
 * nodes all stopped at once still holds every published version even when its writer's disk is
 * gone: when the nodes come back, each offers the chunks it kept that a record still points at
 * and that no owner holds yet, in the background once it has started ({@link KeptChunksPutBack}).
 *
 * <p>A local cache with Infinispan's soft-index file store, written by a synchronous listener on
 * the chunk cache: a chunk put this node stores as an owner is on its disk before the put is
 * acknowledged, so an awaited version (G3) is on the disks of R nodes other than its writer.
 * Not the chunk cache's own store: when a restarted cluster forms, the owners of a hash segment
 * are chosen anew, and Infinispan's state transfer neither asks a joiner's non-shared store for
 * what the new owners lack nor keeps entries of segments the joiner no longer owns; offering the
 * kept chunks through ordinary puts does not depend on who owned what before.
 *
 * <p>Chunks this node published itself are not kept: the writer's local disk store holds that
 * version (or a newer one), and R other owners keep theirs. A chunk this node stops owning through
 * a rebalance stays in its journal (Infinispan removes it from memory without an event) until the
 * next start, which drops every kept chunk that no record points at any more.
 *
 * <p>The journal is a second copy: an entry its file store cannot read (a write cut short by a
 * kill) is dropped with a warning, and a journal that cannot be read at all, or written, never
 * stops the node or a replication; it is logged and the node goes on without it.
 */
@Listener(observation = Listener.Observation.POST)
final class ChunkJournal {

    static final String CACHE = "checkpoint-chunks-journal";
    private static final Logger LOG = Logger.getLogger(ChunkJournal.class.getName());
    /** Chunks (up to 1 MiB each) the journal also keeps in memory; the rest are read from its files. */
    private static final int IN_MEMORY = 8;
    private static final String PUT_BACK = "checkpoint-chunk-put-back";

    private final Cache<String, byte[]> journal;
    /** The journal's write-only view: removals that do not read the entry first. */
    private final WriteOnlyMap<String, byte[]> removals;
    private final ChunkOwners owners;
    private final String nodeName;
    private final JournalSupport failures = new JournalSupport(LOG, "chunk journal");
    /** Keys the cluster stored here since the start, while the put-back may still look at kept chunks; then null. */
    private volatile Set<String> storedSinceOpen = ConcurrentHashMap.newKeySet();
    private volatile KeptChunksPutBack putBack;

    private ChunkJournal(Cache<String, byte[]> journal, ChunkOwners owners, String nodeName) {
        this.journal = journal;
        this.removals = JournalSupport.writeOnly(journal);
        this.owners = owners;
        this.nodeName = nodeName;
    }

    /** Defines the journal's cache, with its files under {@code directory}. */
    static void define(DefaultCacheManager manager, Path directory) {
        JournalSupport.defineLocalFileCache(manager, CACHE, directory, IN_MEMORY, 4 << 20);
    }

    /**
     * Journals every chunk this node stores from here on. The chunks kept before are put back
     * by {@link #putBackInBackground}, once the records are restored.
     */
    static ChunkJournal open(DefaultCacheManager manager, Cache<String, byte[]> chunks, ChunkOwners owners,
                             String nodeName) {
        ChunkJournal journal = new ChunkJournal(manager.getCache(CACHE), owners, nodeName);
        chunks.addListener(journal);
        return journal;
    }

    /**
     * Starts putting the kept versions that the cluster's records point at and that no owner
     * holds back into the cluster, on {@code threads} ({@link KeptChunksPutBack}); returns at once.
     */
    void putBackInBackground(SegmentDirectory directory, ReplicaStore replicas, NodeThreads threads) {
        KeptChunksPutBack task = new KeptChunksPutBack(this, directory, replicas, nodeName);
        putBack = task;
        try {
            threads.runLongLived(PUT_BACK, () -> {
                try {
                    task.run();
                } finally {
                    storedSinceOpen = null; // nothing asks any more
                }
            }, task::stop);
        } catch (IllegalStateException e) {
            putBack = null;
            storedSinceOpen = null;
            LOG.warning(() -> "chunk journal: the versions kept on this node's disk are not put back: " + e.getMessage());
        }
    }

    /**
     * @return true when the put-back started by {@link #putBackInBackground} has finished within
     *     {@code millis} (or none was started)
     */
    boolean awaitPutBack(long millis) throws InterruptedException {
        KeptChunksPutBack task = putBack;
        return task == null || task.awaitFinished(millis);
    }

    /** Stops the put-back, if it runs, before its next wave; waits for it at most {@code millis}. */
    void close(long millis) {
        KeptChunksPutBack task = putBack;
        if (task != null) {
            task.stop();
            try {
                task.awaitFinished(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** @return the keys of every chunk kept, read in one pass over the journal */
    List<String> keys() {
        return List.copyOf(journal.keySet());
    }

    /**
     * Drops a kept chunk that no record points at, unless the cluster stored it since this node
     * started: then it is a chunk of a publication whose record is not written yet (chunks go out
     * first), not an abandoned one.
     *
     * @return true when dropped
     */
    boolean dropUnlessStoredSinceOpen(String cacheKey) {
        Set<String> stored = storedSinceOpen;
        if (stored != null && stored.contains(cacheKey)) {
            return false;
        }
        drop(cacheKey);
        return true;
    }

    /** @return the kept chunk, or null when it is gone or its entry cannot be read (then it is dropped) */
    byte[] read(String cacheKey) {
        try {
            return journal.get(cacheKey);
        } catch (RuntimeException e) {
            LOG.warning(() -> "chunk journal: kept chunk " + cacheKey + " cannot be read and is dropped: " + e.getMessage());
            drop(cacheKey);
            return null;
        }
    }

    /** Removes the kept chunk without reading it: an entry the store cannot read goes too. */
    private void drop(String cacheKey) {
        try {
            JournalSupport.removeWithoutReading(removals, cacheKey).join();
        } catch (RuntimeException e) {
            LOG.fine(() -> "chunk journal: " + cacheKey + " not dropped now: " + e.getMessage());
        }
    }

    /**
     * A chunk this node stores as an owner: on its disk before the put is acknowledged. A failed
     * journal write is logged, never failed back to the put: replication goes on without it.
     */
    @CacheEntryCreated
    @CacheEntryModified
    public CompletionStage<?> chunkStored(CacheEntryEvent<String, byte[]> event) {
        if (event.getValue() == null || !keptHere(event.getKey())) {
            return null;
        }
        Set<String> stored = storedSinceOpen;
        if (stored != null) {
            stored.add(event.getKey());
        }
        return failures.absorb(journal.getAdvancedCache().withFlags(Flag.IGNORE_RETURN_VALUES)
                .putAsync(event.getKey(), event.getValue()));
    }

    @CacheEntryRemoved
    public CompletionStage<?> chunkRemoved(CacheEntryEvent<String, byte[]> event) {
        return failures.absorb(JournalSupport.removeWithoutReading(removals, event.getKey()));
    }

    /** Owned here and published by another node: this node's own versions are in its local store. */
    private boolean keptHere(String cacheKey) {
        ChunkKey chunk = ChunkKey.parse(cacheKey);
        return chunk != null && !chunk.writer().equals(nodeName) && owners.in(owners.topology(), cacheKey).isWriteOwner();
    }
}
