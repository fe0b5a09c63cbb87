package io.checkpointservice.ra.replication;

import io.checkpointservice.ra.cluster.ChunkKey;
import io.checkpointservice.ra.cluster.ClusterUnavailableException;
import io.checkpointservice.ra.cluster.Ownership;
import io.checkpointservice.ra.cluster.ReplicaStore;
import io.checkpointservice.ra.cluster.SegmentDirectory;
import io.checkpointservice.ra.cluster.SegmentRecord;
import io.checkpointservice.ra.monitoring.NodeMetrics;
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
 * overwrite another writer's; up to {@link Chunks#IN_FLIGHT} puts in flight at once), then
 * compare-and-set the segment record to point at them. Waiters in {@code awaitReplicated} are
 * woken right then; the previous version's chunks are removed in the background (nothing
 * points at them any more, so nobody waits for that). Several workers publish different
 * segments in parallel ({@code replicationWorkers}). A failure leaves the key to be retried with
 * back-off; a record that has moved to another owner means this node is fenced and stops
 * publishing that segment. Segments the application rewrites faster than they replicate are
 * published by fewer workers at once ({@link OverrunThrottle}), so that replication they cannot use
 * does not take the application's cores.
 */
public final class Replicator {

    private static final Logger LOG = Logger.getLogger(Replicator.class.getName());
    private static final int CAS_ATTEMPTS = 10;
    /** {@code waitingSince} of a key that starts waiting now. */
    private static final long NOW = Long.MIN_VALUE;

    private final LocalStore store;
    private final SegmentDirectory directory;
    private final ReplicaStore replicas;
    private final Ownership ownership;
    private final PublicationSignal progress;
    private final ReplicaConfirmation confirmation;
    private final String nodeName;
    private final NodeMetrics metrics;
    /** Older published versions each record keeps on the replicas ({@code retainVersions} - 1 without a global store). */
    private final int keepOnReplicas;

    /** The keys waiting to be published, each with the time (System.nanoTime) it started waiting. */
    private final ConcurrentHashMap<String, Long> pending = new ConcurrentHashMap<>();
    private final DelayQueue<DueKey> queue = new DelayQueue<>();
    private volatile boolean stopped;
    private final AtomicInteger runningWorkers = new AtomicInteger();
    private final OverrunThrottle<DueKey> overrunThrottle = new OverrunThrottle<>();
    /** Local copies whose replicas a worker checks, and puts back when none holds them (see {@link #checkReplicasOf}). */
    private final DelayQueue<DueKey> copiesToCheck = new DelayQueue<>();
    /** Segments the start-up check asks about at once: one round trip for all of them. */
    static final int COPIES_CHECKED_AT_ONCE = 1_024;
    private static final int COPY_CHECK_ATTEMPTS = 10;
    private static final Duration COPY_CHECK_PATIENCE = Duration.ofSeconds(5);

    /**
     * @param confirmation told of every publication's acknowledgement by all members, which
     *     proves the copies to {@code awaitReplicated} without a further round trip
     * @param metrics counts publications, their bytes and lag, and failures
     */
    public Replicator(LocalStore store, SegmentDirectory directory, ReplicaStore replicas,
                      Ownership ownership, PublicationSignal progress, ReplicaConfirmation confirmation,
                      NodeMetrics metrics) {
        this(store, directory, replicas, ownership, progress, confirmation, metrics, 0);
    }

    /**
     * @param keepOnReplicas how many older published versions of each segment the replicas keep
     *     besides the newest (their chunks stay, the record lists them); 0 removes a version's
     *     chunks as soon as a newer one is published
     */
    public Replicator(LocalStore store, SegmentDirectory directory, ReplicaStore replicas,
                      Ownership ownership, PublicationSignal progress, ReplicaConfirmation confirmation,
                      NodeMetrics metrics, int keepOnReplicas) {
        if (keepOnReplicas < 0) {
            throw new IllegalArgumentException("keepOnReplicas must be 0 or more, was " + keepOnReplicas);
        }
        this.keepOnReplicas = keepOnReplicas;
        this.store = store;
        this.directory = directory;
        this.replicas = replicas;
        this.ownership = ownership;
        this.progress = progress;
        this.confirmation = confirmation;
        this.nodeName = ownership.nodeName();
        this.metrics = metrics;
    }

    /** A replicator whose counters nobody reads. */
    public Replicator(LocalStore store, SegmentDirectory directory, ReplicaStore replicas,
                      Ownership ownership, PublicationSignal progress, ReplicaConfirmation confirmation) {
        this(store, directory, replicas, ownership, progress, confirmation, new NodeMetrics());
    }

    /** A replicator whose acknowledgements nobody else reads (tests, tools). */
    public Replicator(LocalStore store, SegmentDirectory directory, ReplicaStore replicas,
                      Ownership ownership, PublicationSignal progress) {
        this(store, directory, replicas, ownership, progress, new ReplicaConfirmation(store, directory, replicas));
    }

    /** @return the proof of copies this replicator feeds; for tests */
    ReplicaConfirmation confirmation() {
        return confirmation;
    }

    /** Notes that {@code key} has a new local version to publish. Never blocks. */
    public void markDirty(String key) {
        if (!schedule(key, 0, 0, NOW)) {
            overrunThrottle.overrun(key); // written again before its last version was published
        }
    }

    /**
     * @param waitingSince when the key started waiting (System.nanoTime): {@link #NOW}, or for a
     *     retry when its failed attempts began, so that the backlog's oldest wait includes them
     * @return false when the key was pending already
     */
    private boolean schedule(String key, long delayMillis, int attempt, long waitingSince) {
        long now = System.nanoTime();
        long since = waitingSince == NOW ? now : waitingSince;
        if (pending.putIfAbsent(key, since) != null) {
            return false;
        }
        queue.add(new DueKey(key, now + TimeUnit.MILLISECONDS.toNanos(delayMillis), attempt, since));
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
        keys.forEach(key -> copiesToCheck.add(new DueKey(key, now, 0, now)));
    }

    /** @return true when {@code key} is published in the overrun lane now; for tests */
    boolean isOverrun(String key) {
        return overrunThrottle.isOverrun(key);
    }

    /** @return how many segments wait to be published; for monitoring and tests */
    public int backlog() {
        return pending.size();
    }

    /**
     * @return how long (ms) the segment that has waited longest to be published has waited, its
     *     failed attempts included; 0 when none waits. Reads every pending key: for monitoring.
     */
    public long oldestWaitMillis() {
        long now = System.nanoTime();
        long oldest = now;
        for (long since : pending.values()) {
            if (since - oldest < 0) { // nanoTime values compare only by their difference
                oldest = since;
            }
        }
        return TimeUnit.NANOSECONDS.toMillis(now - oldest);
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
            DueKey next;
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
            boolean laned = overrunThrottle.isOverrun(key);
            if (laned && !overrunThrottle.tryEnter(runningWorkers.get())) {
                overrunThrottle.await(next, runningWorkers.get(), this::requeueNow); // still pending
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
                metrics.publicationFailed(key, e);
                schedule(key, delay, next.attempt() + 1, next.waitingSince());
            } finally {
                if (laned) {
                    overrunThrottle.leave(this::requeueNow);
                }
                overrunThrottle.purgeIfGrown();
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
        List<DueKey> due = new ArrayList<>();
        for (DueKey check; due.size() < COPIES_CHECKED_AT_ONCE && (check = copiesToCheck.poll()) != null; ) {
            due.add(check);
        }
        if (due.isEmpty()) {
            return;
        }
        Map<String, SegmentRecord> records = new HashMap<>();
        Map<String, Integer> attempts = new HashMap<>();
        try {
            for (DueKey check : due) {
                Optional<SegmentRecord> record = directory.get(check.key());
                Optional<SegmentMetadata> local = store.metadata(check.key());
                if (record.isPresent() && record.get().hasData() && local.isPresent()
                        && ReplicaConfirmation.isCopyOf(local.get(), record.get())) {
                    records.put(check.key(), record.get());
                    attempts.put(check.key(), check.attempt());
                }
            }
            Set<String> held = confirmation.confirmOrPutBack(records, 1, System.nanoTime(), COPY_CHECK_PATIENCE);
            records.keySet().removeAll(held);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "cannot check the replicas of local copies now", e);
        }
        long later = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        records.keySet().forEach(key -> {
            int attempt = attempts.get(key) + 1;
            if (attempt < COPY_CHECK_ATTEMPTS) {
                copiesToCheck.add(new DueKey(key, later, attempt, later));
            }
        });
    }

    /** Queues an entry whose key is still pending (it waited for the overrun lane) to be taken now. */
    private void requeueNow(DueKey waited) {
        queue.add(new DueKey(waited.key(), System.nanoTime(), waited.attempt(), waited.waitingSince()));
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
        for (String key : List.copyOf(pending.keySet())) {
            if (System.nanoTime() >= deadline) {
                break;
            }
            try {
                publish(key);
                pending.remove(key);
            } catch (RuntimeException e) {
                metrics.publicationFailed(key, e);
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
        Chunks.put(replicas, key, epoch.get(), nodeName, placement, segment, false);
        SegmentRecord next = SegmentRecord.builder().version(version.version()).epoch(epoch.get()).writer(nodeName)
                .size(version.size()).checksum(version.checksum()).writtenAt(version.writtenAt())
                .origin(version.originNode()).chunkSize(Chunks.SIZE).placement(placement).build();
        for (int attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
            if (keepOnReplicas > 0) { // the versions kept follow the record replaced, so per attempt
                next = next.toBuilder().kept(record.map(r -> r.keptAfterPublishing(version.version(), keepOnReplicas))
                        .orElse(List.of())).build();
            }
            long casSentAt = System.nanoTime();
            if (directory.compareAndSet(key, record, next)) {
                // Every member, so every chunk owner, acknowledged the record after casSentAt
                // (REPL_SYNC): all were alive then, after the chunks they hold were put.
                confirmation.acknowledged(key, next, membership, casSentAt);
                metrics.published(version.size(), version.writtenAt().toEpochMilli());
                if (record.isPresent() && !record.get().writer().equals(nodeName)) {
                    metrics.tookOver(); // a write here took the segment over; this publication made it so
                }
                // The new version is in place: wake awaitReplicated now. The previous version's
                // chunks are unreachable from here on; removing them is nobody's wait.
                progress.published(key);
                if (keepOnReplicas == 0 && (record.isEmpty() || record.get().kept().isEmpty())) {
                    record.filter(SegmentRecord::hasData).ifPresent(old -> Chunks.removeLater(replicas, key, old));
                } else {
                    removeNoLongerKept(key, record, next);
                }
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

    /** Removes, in the background, the chunks of the versions {@code previous} kept reachable and {@code next} does not. */
    private void removeNoLongerKept(String key, Optional<SegmentRecord> previous, SegmentRecord next) {
        List<SegmentRecord> stillReachable = next.publishedVersions();
        previous.ifPresent(old -> old.publishedVersions().stream()
                .filter(version -> stillReachable.stream().noneMatch(version::sameDataAs))
                .forEach(version -> Chunks.removeLater(replicas, key, version)));
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
            schedule(key, 0, 0, NOW);
            return true;
        }
        if (ownership.fenced(key, epoch)) {
            LOG.info(() -> "segment '" + key + "' was taken over by '" + record.get().writer()
                    + "' (epoch " + record.get().epoch() + "); this node's copies are no longer published");
        } else {
            schedule(key, 0, 0, NOW); // Our epoch changed between the two reads: decide again.
        }
        return true;
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
        Chunks.removeLater(replicas, key, attempt);
    }

    /**
     * A key waiting in a queue (to be published, or its replicas checked): the time it may be
     * taken, how often it failed, and since when it waits (System.nanoTime).
     */
    private record DueKey(String key, long dueNanos, int attempt, long waitingSince) implements Delayed {

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(dueNanos, ((DueKey) other).dueNanos);
        }
    }
}
