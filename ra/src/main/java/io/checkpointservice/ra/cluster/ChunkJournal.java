package io.checkpointservice.ra.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.infinispan.Cache;
import org.infinispan.context.Flag;
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
 * and that no owner holds yet.
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
    private static final Duration QUESTION_PATIENCE = Duration.ofSeconds(5);

    private final Cache<String, byte[]> journal;
    private final ChunkOwners owners;
    private final String nodeName;
    private final JournalSupport failures = new JournalSupport(LOG, "chunk journal");

    private ChunkJournal(Cache<String, byte[]> journal, ChunkOwners owners, String nodeName) {
        this.journal = journal;
        this.owners = owners;
        this.nodeName = nodeName;
    }

    /** Defines the journal's cache, with its files under {@code directory}. */
    static void define(DefaultCacheManager manager, Path directory) {
        JournalSupport.defineLocalFileCache(manager, CACHE, directory, IN_MEMORY, 4 << 20);
    }

    /**
     * Journals every chunk this node stores from here on, then offers the kept chunks that the
     * cluster's records point at and that no owner holds. Call after the records are restored.
     */
    static ChunkJournal open(DefaultCacheManager manager, Cache<String, byte[]> chunks, ChunkOwners owners,
                             SegmentDirectory directory, ReplicaStore replicas, String nodeName) {
        ChunkJournal journal = new ChunkJournal(manager.getCache(CACHE), owners, nodeName);
        chunks.addListener(journal);
        try {
            journal.offerKeptChunks(directory, replicas);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "chunk journal cannot be read; this node starts without the chunks it kept", e);
        }
        return journal;
    }

    private void offerKeptChunks(SegmentDirectory directory, ReplicaStore replicas) {
        Map<String, Version> versions = new HashMap<>(); // by chunk group and version: the chunks of one published version
        int dropped = 0;
        for (String cacheKey : List.copyOf(journal.keySet())) {
            ChunkKey chunk = ChunkKey.parse(cacheKey);
            Optional<SegmentRecord> record = chunk == null ? Optional.empty() : directory.get(chunk.segmentKey())
                    .flatMap(r -> r.publishedVersions().stream() // the record's version, or one it keeps
                            .filter(v -> ChunkKey.of(chunk.segmentKey(), v, chunk.index()).equals(chunk)).findFirst());
            if (record.isEmpty()) {
                drop(cacheKey); // no record points at it: superseded, deleted, or a lost lineage
                dropped++;
                continue;
            }
            versions.computeIfAbsent(ChunkKey.of(chunk.segmentKey(), record.get(), 0).cacheKey(),
                    k -> new Version(chunk.segmentKey(), record.get())).indices.put(chunk.index(), chunk);
        }
        Map<ChunkKey, String> firstChunks = new HashMap<>();
        versions.values().forEach(v -> firstChunks.put(ChunkKey.of(v.segmentKey, v.record, 0), ""));
        Map<ChunkKey, Integer> held = firstChunks.isEmpty() ? Map.of()
                : replicas.confirmCopiesOutside(firstChunks, QUESTION_PATIENCE);
        int offered = 0;
        for (Version version : versions.values()) {
            ChunkKey first = ChunkKey.of(version.segmentKey, version.record, 0);
            if (held.getOrDefault(first, 0) > 0 || version.indices.size() != version.record.chunkCount()
                    || !version.indices.containsKey(0)) {
                continue; // held already (or being moved by state transfer), or this node kept only part of it
            }
            if (offer(version, replicas)) {
                offered++;
            }
        }
        int keptVersions = versions.size();
        int droppedChunks = dropped;
        int offeredVersions = offered;
        LOG.info(() -> "chunk journal: " + keptVersions + " published versions on disk, " + offeredVersions
                + " put back into the cluster; " + droppedChunks + " chunks no record points at dropped");
    }

    /** Puts one version's kept chunks, chunk 0 last: readers probe it first, so it must not vouch for missing ones. */
    private boolean offer(Version version, ReplicaStore replicas) {
        List<ChunkKey> inOrder = new ArrayList<>(version.indices.values());
        inOrder.add(inOrder.remove(0));
        try {
            for (ChunkKey chunk : inOrder) {
                byte[] data = read(chunk.cacheKey());
                if (data == null) {
                    return false; // removed meanwhile (the record moved on), or unreadable
                }
                replicas.putChunk(chunk, data);
            }
            return true;
        } catch (ClusterUnavailableException e) {
            LOG.warning(() -> "cannot put '" + version.segmentKey + "' v" + version.record.version()
                    + " back from this node's disk now: " + e.getMessage());
            return false;
        }
    }

    /** @return the kept chunk, or null when it is gone or its entry cannot be read (then it is dropped) */
    private byte[] read(String cacheKey) {
        try {
            return journal.get(cacheKey);
        } catch (RuntimeException e) {
            LOG.warning(() -> "chunk journal: kept chunk " + cacheKey + " cannot be read and is dropped: " + e.getMessage());
            drop(cacheKey);
            return null;
        }
    }

    /**
     * A plain remove first: one with SKIP_CACHE_LOAD or IGNORE_RETURN_VALUES does not reach an
     * entry kept only in the file store and leaves it. An entry the store cannot read fails the
     * plain remove (it loads the entry); the flagged one is the best left for it.
     */
    private void drop(String cacheKey) {
        try {
            journal.remove(cacheKey);
        } catch (RuntimeException unreadable) {
            try {
                journal.getAdvancedCache().withFlags(Flag.IGNORE_RETURN_VALUES, Flag.SKIP_CACHE_LOAD).remove(cacheKey);
            } catch (RuntimeException e) {
                LOG.fine(() -> "chunk journal: " + cacheKey + " not dropped now: " + e.getMessage());
            }
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
        return failures.absorb(journal.getAdvancedCache().withFlags(Flag.IGNORE_RETURN_VALUES)
                .putAsync(event.getKey(), event.getValue()));
    }

    @CacheEntryRemoved
    public CompletionStage<?> chunkRemoved(CacheEntryEvent<String, byte[]> event) {
        // A plain remove: one with SKIP_CACHE_LOAD or IGNORE_RETURN_VALUES does not reach a chunk
        // kept only in the file store (most are: the journal keeps few in memory) and leaves it.
        return failures.absorb(journal.removeAsync(event.getKey()));
    }

    /** Owned here and published by another node: this node's own versions are in its local store. */
    private boolean keptHere(String cacheKey) {
        ChunkKey chunk = ChunkKey.parse(cacheKey);
        return chunk != null && !chunk.writer().equals(nodeName) && owners.in(owners.topology(), cacheKey).isWriteOwner();
    }

    /** The kept chunks of one published version, by index. */
    private static final class Version {
        final String segmentKey;
        final SegmentRecord record;
        final TreeMap<Integer, ChunkKey> indices = new TreeMap<>();

        Version(String segmentKey, SegmentRecord record) {
            this.segmentKey = segmentKey;
            this.record = record;
        }
    }
}
