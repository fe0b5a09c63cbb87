package io.checkpointservice.ra.replication;

import io.checkpointservice.ra.cluster.ChunkKey;
import io.checkpointservice.ra.cluster.ClusterUnavailableException;
import io.checkpointservice.ra.cluster.Ownership;
import io.checkpointservice.ra.cluster.ReplicaStore;
import io.checkpointservice.ra.cluster.SegmentDirectory;
import io.checkpointservice.ra.cluster.SegmentRecord;
import io.checkpointservice.ra.store.LocalStore;
import io.checkpointservice.ra.store.LocalStoreException;
import io.checkpointservice.ra.store.SegmentMetadata;
import io.checkpointservice.ra.store.StoredSegment;
import io.checkpointservice.ra.threads.Backoff;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Publishes this node's local versions to the cluster in the background (G2).
 *
 * <p>{@link #markDirty} is all the write path does: it records the key, at most once however
 * often it is written before a worker gets to it (latest wins: the worker reads whatever version
 * is local then). Memory is bounded by the number of segments, never by the number of writes.
 *
 * <p>A worker ({@link #runWorker}, run as a JCA Work or a plain thread) publishes a version in
 * two steps: put its chunks on their owners (under this node's epoch, so they can never
 * overwrite another writer's; up to {@link #CHUNKS_IN_FLIGHT} puts in flight at once), then
 * compare-and-set the segment record to point at them. Waiters in {@code awaitReplicated} are
 * woken right then; the previous version's chunks are removed in the background (nothing
 * points at them any more, so nobody waits for that). Several workers publish different
 * segments in parallel ({@code replicationWorkers}). A failure leaves the key to be retried with
 * back-off; a record that has moved to another owner means this node is fenced and stops
 * publishing that segment. Segments the application rewrites faster than they replicate are
 * published by fewer workers at once ({@link OverrunLane}), so that replication they cannot use
 * does not take the application's cores.
 */
public final class Replicator {

    private static final Logger LOG = Logger.getLogger(Replicator.class.getName());
    private static final int CAS_ATTEMPTS = 10;
    /**
     * Chunk puts one worker keeps in flight: enough to overlap the round trips of a large
     * segment; 4 MiB of chunk copies (and as much again in marshalled form) per worker at most,
     * so that all workers together stay well inside the heap budget (P5).
     */
    static final int CHUNKS_IN_FLIGHT = 4;

    private final LocalStore store;
    private final SegmentDirectory directory;
    private final ReplicaStore replicas;
    private final Ownership ownership;
    private final ReplicationProgress progress;
    private final String nodeName;

    /**
     * Chunks whose put every owner acknowledged to this node, with the membership id and a
     * moment before the owners last answered: {@link #ensureChunksHeld} trusts them without a
     * round trip for a question asked before that moment, while the id is unchanged. Applications await a version
     * right after writing it, so the publication that answers them usually lands here after they
     * asked. A cache, not a registry: cleared when it grows past {@link #MAX_HELD_PROOFS} (the
     * check then asks the owners once more); bounded to a few hundred KB (P5's heap budget).
     */
    private final ConcurrentHashMap<String, HeldProof> heldProofs = new ConcurrentHashMap<>();
    static final int MAX_HELD_PROOFS = 1_024;
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private final DelayQueue<DirtyKey> queue = new DelayQueue<>();
    private volatile boolean stopped;
    private final AtomicInteger runningWorkers = new AtomicInteger();
    private final OverrunLane<DirtyKey> overrunLane = new OverrunLane<>();
    /** Local copies whose replicas a worker checks, and puts back when none holds them (see {@link #checkReplicasOf}). */
    private final DelayQueue<CopyCheck> copiesToCheck = new DelayQueue<>();
    /** Segments the start-up check asks about at once: one round trip for all of them. */
    static final int COPIES_CHECKED_AT_ONCE = 1_024;
    private static final int COPY_CHECK_ATTEMPTS = 10;
    private static final Duration COPY_CHECK_PATIENCE = Duration.ofSeconds(5);

    public Replicator(LocalStore store, SegmentDirectory directory, ReplicaStore replicas,
                      Ownership ownership, ReplicationProgress progress) {
        this.store = store;
        this.directory = directory;
        this.replicas = replicas;
        this.ownership = ownership;
        this.progress = progress;
        this.nodeName = ownership.nodeName();
    }

    /** Notes that {@code key} has a new local version to publish. Never blocks. */
    public void markDirty(String key) {
        if (!schedule(key, 0, 0)) {
            overrunLane.overrun(key); // written again before its last version was published
        }
    }

    /** @return false when the key was pending already */
    private boolean schedule(String key, long delayMillis, int attempt) {
        if (!pending.add(key)) {
            return false;
        }
        queue.add(new DirtyKey(key, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis), attempt));
        return true;
    }

    /**
     * Has the workers make sure that the cluster holds the chunks of these local copies, and put
     * them back from here where no replica does: after the whole cluster was restarted, the
     * replicas' memory is empty while the records (from the nodes' journals) and the writers'
     * disk copies are not. Only a copy that is exactly the record's version is put back, under the
     * record's own chunk keys, so nothing about the record changes. Never blocks.
     */
    public void checkReplicasOf(Collection<String> keys) {
        long now = System.nanoTime();
        keys.forEach(key -> copiesToCheck.add(new CopyCheck(key, 0, now)));
    }

    /** @return true when {@code key} is published in the overrun lane now; for tests */
    boolean isOverrun(String key) {
        return overrunLane.isOverrun(key);
    }

    /** @return how many segments wait to be published; for monitoring and tests */
    public int backlog() {
        return pending.size();
    }

    /** Runs until {@link #stop}: takes dirty keys and publishes them. */
    public void runWorker() {
        runningWorkers.incrementAndGet();
        try {
            work();
        } finally {
            synchronized (runningWorkers) {
                runningWorkers.decrementAndGet();
                runningWorkers.notifyAll();
            }
        }
    }

    private void work() {
        while (!stopped) {
            checkDueCopies();
            DirtyKey next;
            try {
                next = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                if (stopped) {
                    return;
                }
                continue;
            }
            if (next == null) {
                continue;
            }
            String key = next.key();
            boolean laned = overrunLane.isOverrun(key);
            if (laned && !overrunLane.tryEnter(runningWorkers.get())) {
                overrunLane.await(next, runningWorkers.get(), this::requeueNow); // still pending
                continue;
            }
            // Removed before publishing: a write that lands meanwhile queues the key again.
            pending.remove(key);
            try {
                publish(key);
            } catch (RuntimeException | Error e) {
                // An Error is typically an OutOfMemoryError copying a large segment while the heap
                // is short. Letting it end the worker would stop replication for good, silently,
                // once every worker met one, and drop the key until its next write: retry it as
                // any failure, and say so loudly.
                long delay = Backoff.REPLICATION.delayMillis(next.attempt());
                Level level = e instanceof Error ? Level.SEVERE : next.attempt() == 0 ? Level.INFO : Level.FINE;
                LOG.log(level, "cannot replicate '" + key + "' now, retrying in " + delay + " ms: " + e,
                        e instanceof Error ? e : null);
                schedule(key, delay, next.attempt() + 1);
            } finally {
                if (laned) {
                    overrunLane.leave(this::requeueNow);
                }
                overrunLane.purgeIfGrown();
            }
        }
    }

    /**
     * Checks a batch of the local copies {@link #checkReplicasOf} asked about, if any are due. A
     * copy whose record is not its version (or that has no record) is left to the usual rules:
     * its application's next load or write decides. One that the owners could not confirm now
     * (too few members yet, or an owner did not answer) is checked again later, a few times.
     */
    private void checkDueCopies() {
        List<CopyCheck> due = new ArrayList<>();
        for (CopyCheck check; due.size() < COPIES_CHECKED_AT_ONCE && (check = copiesToCheck.poll()) != null; ) {
            due.add(check);
        }
        if (due.isEmpty()) {
            return;
        }
        Map<String, SegmentRecord> records = new HashMap<>();
        Map<String, Integer> attempts = new HashMap<>();
        try {
            for (CopyCheck check : due) {
                Optional<SegmentRecord> record = directory.get(check.key());
                Optional<SegmentMetadata> local = store.metadata(check.key());
                if (record.isPresent() && record.get().hasData() && local.isPresent() && isCopyOf(local.get(), record.get())) {
                    records.put(check.key(), record.get());
                    attempts.put(check.key(), check.attempt());
                }
            }
            Set<String> held = ensureChunksHeld(records, 1, System.nanoTime(), COPY_CHECK_PATIENCE);
            records.keySet().removeAll(held);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "cannot check the replicas of local copies now", e);
        }
        long later = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        records.keySet().forEach(key -> {
            int attempt = attempts.get(key) + 1;
            if (attempt < COPY_CHECK_ATTEMPTS) {
                copiesToCheck.add(new CopyCheck(key, attempt, later));
            }
        });
    }

    /** Queues an entry whose key is still pending (it waited for the overrun lane) to be taken now. */
    private void requeueNow(DirtyKey waited) {
        queue.add(new DirtyKey(waited.key(), System.nanoTime(), waited.attempt()));
    }

    /**
     * Publishes what is pending now, in the calling thread, for at most {@code millis}: used on a
     * graceful stop so that the newest versions leave the node before it does.
     *
     * @return true when nothing is left pending
     */
    public boolean drain(long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        // Straight from the pending set, ignoring back-off delays; queue entries left behind
        // find their key already published, which costs one local read.
        for (String key : List.copyOf(pending)) {
            if (System.nanoTime() >= deadline) {
                break;
            }
            try {
                publish(key);
                pending.remove(key);
            } catch (RuntimeException e) {
                LOG.warning(() -> "not replicated before stopping: '" + key + "': " + e.getMessage());
            }
        }
        return pending.isEmpty();
    }

    /** Makes every worker return; pending keys are dropped (their local copies stay). */
    public void stop() {
        stopped = true;
    }

    /**
     * Waits until every worker has returned, at most {@code millis}: the adapter must not hand
     * its threads back to the application server while they still run (the server shuts its
     * pools down right after the adapter stops).
     *
     * @return true when no worker runs any more
     */
    public boolean awaitWorkersStopped(long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (runningWorkers) {
            while (runningWorkers.get() > 0) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                try {
                    runningWorkers.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return true;
    }

    /** Publishes the local version of {@code key} if it is newer than the cluster's. */
    void publish(String key) {
        Optional<Long> epoch = ownership.current(key);
        Optional<SegmentMetadata> local = store.metadata(key);
        if (epoch.isEmpty() || local.isEmpty()) {
            return; // Not ours (a restored copy, or fenced), or deleted meanwhile.
        }
        Optional<SegmentRecord> record = directory.get(key);
        if (isFenced(key, record, epoch.get()) || isPublished(record, local.get())) {
            return;
        }
        StoredSegment segment;
        try {
            Optional<StoredSegment> read = store.get(key);
            if (read.isEmpty()) {
                return;
            }
            segment = read.get();
        } catch (LocalStoreException e) {
            LOG.warning(() -> "local copy of '" + key + "' cannot be read, not replicated: " + e.getMessage());
            return;
        }
        SegmentMetadata version = segment.metadata();
        long membership = replicas.membershipId(); // before the put: a change during it voids the proof
        // This node as the chunks' primary owner: each chunk travels once to each backup.
        int placement = replicas.placementFor(key);
        putChunks(key, epoch.get(), nodeName, placement, segment, false);
        SegmentRecord next = new SegmentRecord(version.version(), epoch.get(), epoch.get(), nodeName,
                version.size(), version.checksum(), version.writtenAt(), version.originNode(), Chunks.SIZE, false,
                nodeName, placement);
        for (int attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
            long casSentAt = System.nanoTime();
            if (directory.compareAndSet(key, record, next)) {
                // Every member, so every chunk owner, acknowledged the record after casSentAt
                // (REPL_SYNC): all were alive then, after the chunks they hold were put.
                rememberHeld(key, next, membership, casSentAt);
                // The new version is in place: wake awaitReplicated now. The previous version's
                // chunks are unreachable from here on; removing them is nobody's wait.
                progress.published(key);
                record.filter(SegmentRecord::hasData).ifPresent(old -> removeChunksLater(replicas, key, old));
                return;
            }
            record = directory.get(key);
            if (isFenced(key, record, epoch.get()) || isPublished(record, version)) {
                discard(key, next);
                return;
            }
        }
        discard(key, next);
        throw new IllegalStateException("record of '" + key + "' kept changing; will retry");
    }

    /**
     * @return true when the record has moved past {@code epoch}. If this node itself moved on
     *     (its application loaded the segment again meanwhile, under a new epoch), the key is
     *     queued again to be published under the new epoch; otherwise another node took it over
     *     and this node is fenced.
     */
    private boolean isFenced(String key, Optional<SegmentRecord> record, long epoch) {
        if (record.isEmpty() || !record.get().fences(nodeName, epoch)) {
            return false;
        }
        if (ownership.current(key).map(now -> now != epoch).orElse(false)) {
            schedule(key, 0, 0);
            return true;
        }
        if (ownership.fenced(key, epoch)) {
            LOG.info(() -> "segment '" + key + "' was taken over by '" + record.get().writer()
                    + "' (epoch " + record.get().epoch() + "); this node's copies are no longer published");
        } else {
            schedule(key, 0, 0); // Our epoch changed between the two reads: decide again.
        }
        return true;
    }

    /**
     * Makes sure {@code needed} nodes other than each record's writer hold the data the record
     * points at, as known after {@code askedAt}, for {@code awaitReplicated} (G3).
     *
     * <p>Counting a segment's owners in the cluster view is not counting its copies:
     * <ul>
     *   <li>A node that crashed or froze stays in the view until failure detection removes it
     *       (seconds). Chunks it acknowledged before the question was asked may be gone with it.
     *       So the answer rests only on acknowledgements received after {@code askedAt}: this
     *       node's own publication when it completed after that moment, otherwise the owners are
     *       asked now (one round trip). Found by the randomized fault trials (seed
     *       -5163545173022923858): an await right after two owners were SIGKILLed said true.</li>
     *   <li>After every owner was lost at once, the nodes that replace them own the chunks but
     *       hold nothing. When no owner holds them and this node's local copy is exactly the
     *       record's version (say a restarted writer's disk copy, which load returns), that copy
     *       is put back under the record's own chunk keys, so nothing about the record changes.</li>
     * </ul>
     *
     * <p>The owners of all segments that need asking are asked together: one round trip for the
     * whole batch (per 1,024 segments) instead of one per segment.
     *
     * @param records the segments' records, by segment key
     * @param askedAt {@link System#nanoTime} when the caller began to ask
     * @param patience how long the owners may take to answer
     * @return the keys whose chunks {@code needed} owners other than the writer hold
     */
    public Set<String> ensureChunksHeld(Map<String, SegmentRecord> records, int needed, long askedAt, Duration patience) {
        Set<String> held = new HashSet<>();
        try {
            long membership = replicas.membershipId();
            Map<ChunkKey, String> toAsk = new HashMap<>();
            records.forEach((key, record) -> {
                HeldProof proof = heldProofs.get(key);
                if (proof != null && proof.proves(record, membership, askedAt)) {
                    held.add(key); // every owner acknowledged these chunks since the question and none has left
                } else if (record.hasData()) {
                    toAsk.put(ChunkKey.of(key, record, 0), record.writer());
                }
            });
            if (toAsk.isEmpty()) {
                return held;
            }
            long questionSentAt = System.nanoTime();
            Map<ChunkKey, Integer> answers = replicas.confirmCopiesOutside(toAsk, patience);
            answers.forEach((chunk, owners) -> {
                String key = chunk.segmentKey();
                SegmentRecord record = records.get(key);
                if (owners >= needed) {
                    rememberHeld(key, record, membership, questionSentAt);
                    held.add(key);
                } else if (owners == 0 && putBackIfPossible(key, record, membership)) {
                    held.add(key);
                }
                // Some owners hold them but fewer than needed: state transfer is giving the others their copy.
            });
        } catch (ClusterUnavailableException e) {
            LOG.fine(() -> "cannot check the replicas of " + records.keySet() + " now: " + e.getMessage());
        }
        return held;
    }

    /** @return false also when the put-back cannot be done now; the caller's next check tries again */
    private boolean putBackIfPossible(String key, SegmentRecord record, long membership) {
        try {
            return putBack(key, record, membership);
        } catch (ClusterUnavailableException | LocalStoreException e) {
            LOG.fine(() -> "cannot restore the replicas of '" + key + "' now: " + e.getMessage());
            return false;
        }
    }

    /** Puts this node's local copy back under the record's chunk keys, when it is that version. */
    private boolean putBack(String key, SegmentRecord record, long membership) {
        Optional<StoredSegment> local = store.get(key);
        if (local.isEmpty() || !isCopyOf(local.get().metadata(), record)) {
            return false;
        }
        // Chunk 0 is what readers probe first, so it goes last: a put-back that fails half way
        // must not leave it behind to vouch for chunks that are missing.
        long putSentAt = System.nanoTime();
        putChunks(key, record.dataEpoch(), record.dataWriter(), record.placement(), local.get(), true);
        Optional<SegmentRecord> now = directory.get(key);
        if (now.isEmpty() || !now.get().sameDataAs(record)) {
            removeChunks(replicas, key, record); // published over meanwhile: ours are garbage
            return false;
        }
        LOG.warning(() -> "no owner of '" + key + "' v" + record.version() + " answered that it holds it (all lost "
                + "at once?); put back from this node's local copy");
        rememberHeld(key, record, membership, putSentAt);
        return true;
    }

    /** @param answeredAfter a moment before every owner's acknowledgement was sent ({@link System#nanoTime}) */
    private void rememberHeld(String key, SegmentRecord record, long membership, long answeredAfter) {
        if (heldProofs.size() >= MAX_HELD_PROOFS) {
            heldProofs.clear();
        }
        heldProofs.put(key, new HeldProof(record, membership, answeredAfter));
    }

    /**
     * The record whose chunks every owner acknowledged, under which membership, and a moment
     * before all of them answered ({@link System#nanoTime}: when the put, the record's update or
     * the question that they answered was sent).
     */
    private record HeldProof(SegmentRecord held, long membership, long answeredAfter) {

        /**
         * @return true for the same data, no member gone since, and answered after the question
         *     was asked: an owner that answered earlier may have crashed since, unnoticed by the
         *     view until failure detection
         */
        boolean proves(SegmentRecord record, long membershipNow, long askedAt) {
            return membership == membershipNow && held.sameDataAs(record) && answeredAfter - askedAt >= 0;
        }
    }

    private static boolean isCopyOf(SegmentMetadata local, SegmentRecord record) {
        return local.version() == record.version() && local.size() == record.size()
                && local.checksum() == record.checksum();
    }

    /**
     * @return true when the cluster's record holds this local version or something newer. A
     *     version number alone does not say so: after this node took the segment over by writing,
     *     the previous writer may still have published the same number of its older lineage.
     */
    private static boolean isPublished(Optional<SegmentRecord> record, SegmentMetadata local) {
        return record.isPresent() && !record.get().isOlderThan(local.version(), local.epoch());
    }

    /**
     * Puts the chunks of one version, up to {@link #CHUNKS_IN_FLIGHT} at a time: their round trips
     * overlap, and the chunk copies in flight stay bounded (4 MiB per worker) whatever the size
     * of the segment.
     *
     * @param firstChunkLast put chunk 0 alone after all the others have been stored
     */
    private void putChunks(String key, long epoch, String writer, int placement, StoredSegment segment,
                           boolean firstChunkLast) {
        int count = Chunks.count(segment.data().length);
        int firstInBatches = firstChunkLast && count > 1 ? 1 : 0;
        for (int first = firstInBatches; first < count; first += CHUNKS_IN_FLIGHT) {
            putChunkRange(key, epoch, writer, placement, segment, first, Math.min(count, first + CHUNKS_IN_FLIGHT));
        }
        if (firstInBatches == 1) {
            putChunkRange(key, epoch, writer, placement, segment, 0, 1);
        }
    }

    /** Puts chunks {@code first} (inclusive) to {@code last} (exclusive), all in flight at once. */
    private void putChunkRange(String key, long epoch, String writer, int placement, StoredSegment segment,
                               int first, int last) {
        byte[] data = segment.data();
        int count = Chunks.count(data.length);
        List<ChunkKey> keys = new ArrayList<>(last - first);
        List<byte[]> chunks = new ArrayList<>(last - first);
        for (int i = first; i < last; i++) {
            int from = i * Chunks.SIZE;
            int to = Math.min(data.length, from + Chunks.SIZE);
            keys.add(new ChunkKey(key, epoch, writer, segment.metadata().version(), i, placement));
            // A single chunk is the segment's array itself: nobody changes it (StoredSegment).
            chunks.add(count == 1 ? data : Arrays.copyOfRange(data, from, to));
        }
        replicas.putChunks(keys, chunks);
    }

    /**
     * Removes the chunks of a publication that lost its compare-and-set, unless the cluster's
     * record points at them: a second publication of the same local version (a write re-queues
     * the key while a worker is publishing it, so two workers can publish the same version) uses
     * the very chunk keys of the one that won, and removing "its own" chunks would remove the
     * published copies. Found by the randomized fault trials (seed 1587568225637619388).
     */
    private void discard(String key, SegmentRecord attempt) {
        Optional<SegmentRecord> now = directory.get(key);
        if (now.isPresent() && now.get().sameDataAs(attempt)) { // another publish of this very version won
            return;
        }
        removeChunksLater(replicas, key, attempt);
    }

    /** Removes the chunks a record points at and waits for it; a chunk already gone is fine. */
    public static void removeChunks(ReplicaStore replicas, String key, SegmentRecord record) {
        for (int i = 0; i < record.chunkCount(); i++) {
            replicas.removeChunk(ChunkKey.of(key, record, i));
        }
    }

    /** Starts removing the chunks a record points at, without waiting: no record points at them any more. */
    static void removeChunksLater(ReplicaStore replicas, String key, SegmentRecord record) {
        for (int i = 0; i < record.chunkCount(); i++) {
            replicas.removeChunkLater(ChunkKey.of(key, record, i));
        }
    }

    /** A local copy whose replicas are to be checked, from {@code dueNanos} on. */
    private record CopyCheck(String key, int attempt, long dueNanos) implements Delayed {

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(dueNanos, ((CopyCheck) other).dueNanos);
        }
    }

    /** A key waiting to be published, with the time it may be taken and how often it failed. */
    private record DirtyKey(String key, long dueNanos, int attempt) implements Delayed {

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(dueNanos, ((DirtyKey) other).dueNanos);
        }
    }
}
