package io.checkpointservice.ra.cluster;

import io.checkpointservice.ra.global.GlobalStore;
import io.checkpointservice.ra.store.Checksums;
import io.checkpointservice.ra.threads.Backoff;
import io.checkpointservice.ra.threads.NodeThreads;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.infinispan.Cache;
import org.infinispan.context.Flag;
import org.infinispan.manager.EmbeddedCacheManager;
import org.infinispan.notifications.Listener;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryCreated;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryModified;
import org.infinispan.notifications.cachelistener.event.CacheEntryEvent;
import org.infinispan.notifications.cachemanagerlistener.annotation.ViewChanged;
import org.infinispan.notifications.cachemanagerlistener.event.ViewChangedEvent;

/**
 * Writes each published version to the global store, from a replica node: for each version
 * exactly one node does, the first live owner of its chunks that is neither the node that
 * published them nor the segment's writer ({@link #archivesHere}). It runs on that node's own
 * copy of the chunks, so the writer's path never waits for the store (G1), and only versions a
 * record points at, i.e. published ones, ever reach the store.
 *
 * <p>A record change queues the segment's key (a set: memory bounded by the number of segments;
 * the newest record is read when the key is taken, latest wins); one long-lived worker drains the
 * queue. A store that cannot be written keeps the keys queued and the worker retries with the
 * replicator's back-off, so the backlog drains by itself when the store is back. Ownership moves
 * when nodes come and go: after each view change, and every {@link #RESCAN} anyway, the records
 * whose newest version this node should have archived and has not confirmed are queued again.
 */
@Listener(sync = false, observation = Listener.Observation.POST)
final class GlobalArchiver implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(GlobalArchiver.class.getName());
    private static final String NAME = "checkpoint-global-archiver";
    /** Routine re-check: a record scan, local reads and a hash per segment. */
    static final Duration RESCAN = Duration.ofSeconds(15);
    /** After a view change: once the rebalance has likely settled, once more for a slow one. */
    private static final Duration[] AFTER_VIEW_CHANGE = {Duration.ofSeconds(2), Duration.ofSeconds(15)};
    private static final NodeThreads.Scheduled NOT_SCHEDULED = () -> { };

    private final Cache<String, String> records;
    private final ReplicaStore replicas;
    private final ChunkOwners owners;
    private final GlobalStore store;
    private final String nodeName;
    private final NodeThreads threads;
    private final LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    /** The version of each segment this node knows to be in the store; spares the store a look per rescan. */
    private final Map<String, String> confirmed = new ConcurrentHashMap<>();
    private final ViewListener views = new ViewListener();
    private volatile boolean closed;
    private volatile Thread worker;
    private volatile NodeThreads.Scheduled nextRescan = NOT_SCHEDULED;

    private GlobalArchiver(Cache<String, String> records, ReplicaStore replicas, ChunkOwners owners, GlobalStore store,
                           String nodeName, NodeThreads threads) {
        this.records = records;
        this.replicas = replicas;
        this.owners = owners;
        this.store = store;
        this.nodeName = nodeName;
        this.threads = threads;
    }

    /** Starts listening and the worker; the records already held are checked by a first rescan. */
    static GlobalArchiver start(Cache<String, String> records, EmbeddedCacheManager manager, ReplicaStore replicas,
                                ChunkOwners owners, GlobalStore store, String nodeName, NodeThreads threads) {
        GlobalArchiver archiver = new GlobalArchiver(records, replicas, owners, store, nodeName, threads);
        records.addListener(archiver);
        manager.addListener(archiver.views);
        threads.runLongLived(NAME, archiver::runWorker, archiver::close);
        archiver.nextRescan = archiver.later(archiver::routineRescan, AFTER_VIEW_CHANGE[0]);
        return archiver;
    }

    @CacheEntryCreated
    @CacheEntryModified
    public void recordChanged(CacheEntryEvent<String, String> event) {
        if (event.getValue() == null || closed) {
            return;
        }
        try {
            SegmentRecord record = SegmentRecord.decode(event.getValue());
            if (concernsStore(record) && archivesHere(event.getKey(), record)) {
                enqueue(event.getKey());
            }
        } catch (RuntimeException e) { // the node is stopping, or a record of another format
            LOG.fine(() -> "record of '" + event.getKey() + "' not considered for the global store: " + e.getMessage());
        }
    }

    /** A published version to store, or a delete whose copies to remove; a claim without data is neither. */
    private static boolean concernsStore(SegmentRecord record) {
        return record.hasData() || (record.deleted() && record.version() > 0);
    }

    /**
     * @return true when this node stores the record's version: the first live owner of its chunks
     *     (all chunks of a version share their owners) other than the node that published them and
     *     the segment's writer; when those two are every owner, the first other than the publisher.
     *     Every node computes the same from the same topology, so one node archives each version;
     *     while topologies differ (a rebalance), two may, which the store's atomic rename makes harmless.
     */
    boolean archivesHere(String key, SegmentRecord record) {
        ChunkKey first = record.hasData() ? ChunkKey.of(key, record, 0) : new ChunkKey(key, 0, "", 0, 0);
        String publisher = record.hasData() ? record.dataWriter() : record.writer();
        List<String> live = owners.liveReadOwners(first);
        Optional<String> chosen = live.stream()
                .filter(owner -> !owner.equals(publisher) && !owner.equals(record.writer())).findFirst()
                .or(() -> live.stream().filter(owner -> !owner.equals(publisher)).findFirst());
        return chosen.map(nodeName::equals).orElse(false);
    }

    private void enqueue(String key) {
        if (queued.add(key)) {
            queue.add(key);
        }
    }

    /** The worker: takes keys until the node stops; failures pause it, never end it. */
    private void runWorker() {
        worker = Thread.currentThread();
        int failures = 0;
        while (!closed) {
            String key;
            try {
                key = queue.poll(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                continue; // closed is checked above
            }
            if (key == null) {
                continue;
            }
            queued.remove(key); // a change from here on queues it again
            try {
                archive(key);
                if (failures > 0) {
                    LOG.info("global store " + store.describe() + " written again; the queued segments follow");
                }
                failures = 0;
            } catch (RuntimeException | Error e) {
                enqueue(key);
                if (closed) {
                    return;
                }
                if (failures == 0) {
                    LOG.log(Level.WARNING, "global store " + store.describe() + " not written now (" + e.getMessage()
                            + "); retrying in the background, writes and replication go on", e);
                }
                pause(Backoff.REPLICATION.delayMillis(failures++));
            }
        }
        Thread.interrupted(); // the thread is the embedding's: hand it back without close's interrupt
    }

    /** Brings the store up to the segment's current record, if this node is the one to. */
    private void archive(String key) {
        String encoded = records.getAdvancedCache().withFlags(Flag.CACHE_MODE_LOCAL).get(key);
        if (encoded == null) {
            return;
        }
        SegmentRecord record = SegmentRecord.decode(encoded);
        if (!concernsStore(record) || !archivesHere(key, record)) {
            return;
        }
        if (record.deleted()) {
            store.delete(key, record);
            confirmed.remove(key);
            return;
        }
        String version = identity(record);
        if (version.equals(confirmed.get(key))) {
            return;
        }
        if (!store.holds(key, record)) {
            byte[] data = assemble(key, record);
            if (data == null) {
                return; // no copy to take it from: a later rescan looks again
            }
            store.put(key, record, data);
        }
        confirmed.put(key, version);
    }

    /**
     * @return the version's bytes from its chunks (this node is an owner, so they are local unless
     *     a rebalance is moving them), checked against the record; null when a chunk is gone (the
     *     record moved on) or the bytes do not match
     */
    private byte[] assemble(String key, SegmentRecord record) {
        int count = record.chunkCount();
        byte[] data = count == 1 ? null : new byte[Math.toIntExact(record.size())];
        int offset = 0;
        for (int i = 0; i < count; i++) {
            byte[] chunk = replicas.getChunk(ChunkKey.of(key, record, i));
            if (chunk == null) {
                LOG.fine(() -> "'" + key + "' v" + record.version() + " has no chunks here any more; not archived");
                return null;
            }
            if (data == null) {
                data = chunk;
                offset = chunk.length;
            } else if (offset + chunk.length <= data.length) {
                System.arraycopy(chunk, 0, data, offset, chunk.length);
                offset += chunk.length;
            } else {
                offset = -1;
                break;
            }
        }
        if (data == null || offset != record.size() || Checksums.crc32c(data) != record.checksum()) {
            LOG.warning(() -> "'" + key + "' v" + record.version() + ": the chunks held here do not match the "
                    + "record's size and CRC32C; not archived");
            return null;
        }
        return data;
    }

    private static String identity(SegmentRecord record) {
        return record.dataEpoch() + ":" + record.version() + ":" + record.dataWriter();
    }

    /** Queues the segments whose newest version this node should have stored and has not confirmed. */
    void rescan() {
        for (Map.Entry<String, String> entry : records.getAdvancedCache().withFlags(Flag.CACHE_MODE_LOCAL).entrySet()) {
            if (closed) {
                return;
            }
            try {
                SegmentRecord record = SegmentRecord.decode(entry.getValue());
                if (record.hasData() && !identity(record).equals(confirmed.get(entry.getKey()))
                        && archivesHere(entry.getKey(), record)) {
                    enqueue(entry.getKey());
                }
            } catch (RuntimeException e) {
                LOG.fine(() -> "record of '" + entry.getKey() + "' not rescanned: " + e.getMessage());
            }
        }
    }

    private void routineRescan() {
        try {
            rescan();
        } catch (RuntimeException e) {
            LOG.fine(() -> "global store rescan skipped: " + e.getMessage());
        } finally {
            nextRescan = later(this::routineRescan, RESCAN);
        }
    }

    private NodeThreads.Scheduled later(Runnable task, Duration delay) {
        if (closed) {
            return NOT_SCHEDULED;
        }
        try {
            return threads.runLater(NAME, () -> {
                if (!closed) {
                    task.run();
                }
            }, delay);
        } catch (RuntimeException e) { // the embedding is taking its threads back: the node is stopping
            return NOT_SCHEDULED;
        }
    }

    private void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            // closed: the loop ends
        }
    }

    /** Stops the worker and the rescans; keys still queued are picked up by the next owner's rescan. */
    @Override
    public void close() {
        closed = true;
        nextRescan.cancel();
        try {
            records.removeListener(this);
        } catch (RuntimeException e) {
            LOG.fine(() -> "archiver listener not removed: " + e.getMessage());
        }
        Thread running = worker;
        if (running != null) {
            running.interrupt();
        }
    }

    /** Ownership follows membership: a view change may make this node the archiver of other versions. */
    @Listener(sync = false)
    public final class ViewListener {
        @ViewChanged
        public void viewChanged(ViewChangedEvent event) {
            for (Duration delay : AFTER_VIEW_CHANGE) {
                later(() -> {
                    try {
                        rescan();
                    } catch (RuntimeException e) {
                        LOG.fine(() -> "global store rescan skipped: " + e.getMessage());
                    }
                }, delay);
            }
        }
    }
}
