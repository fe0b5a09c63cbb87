package io.checkpointservice.ra.replication;

import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Keeps the segments an application rewrites faster than they replicate from taking every
 * replication worker, and with them the application's own CPU.
 *
 * <p>A segment is <em>overrun</em> when its application writes it again while its last version
 * still waits to be published: the writes are coalesced, the writer is ahead of replication. A
 * write during a publication does not count: the record is visible to an application awaiting it
 * before the compare-and-set returns to the worker, so an application that awaits every version
 * before writing the next can write during the tail of a publication, and it must never be slowed
 * down by this.
 *
 * <p>An overrun segment needs only its newest version replicated in the end (G2: latest wins), and
 * publishing several overrun segments on all workers at once buys them little and takes the CPU
 * of the application that overran them: on a host with few cores, workers publishing back to back
 * preempt the writer and make its own latency tail slow (docs/PERFORMANCE.md, Known limits). So
 * overrun segments are published by at most a quarter of the running workers (at least one) at a
 * time; every other segment, which is every segment whose application awaits its replication or
 * writes it slower than it replicates, keeps all of them.
 *
 * <p>The cost falls on overrun segments alone: with many of them at once, each one's replica
 * falls further behind its writer (up to the ratio of all workers to the lane's width) until the
 * writing slows down. A segment stays overrun for {@link #HOLD_NANOS} after it was last overrun:
 * an overrunning writer keeps its segments in the lane even when one publication happens to
 * finish before the next write, and a segment whose writer slowed down leaves the lane soon after.
 *
 * <p>Waiting entries are of type {@code T}, the replicator's queue entry (the segment and its
 * retry count). A segment waiting for the lane stays pending in the {@link Replicator}, so writes
 * meanwhile do not queue it twice; each worker leaving the lane hands one waiting segment back to
 * the replicator's queue, and a segment that started waiting just as the lane emptied is handed
 * back by its own worker (no segment waits with the lane free).
 */
final class OverrunThrottle<T> {

    /** Workers per lane place: a quarter of them may publish overrun segments at once. */
    static final int WORKERS_PER_PLACE = 4;
    /** How long a segment stays overrun after it was last overrun. */
    static final long HOLD_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** The fewest entries at which those of segments overrun no more are purged. */
    private static final int MIN_PURGE_AT = 1_024;

    /** When each overrun segment was last overrun (System.nanoTime). */
    private final ConcurrentHashMap<String, Long> lastOverrun = new ConcurrentHashMap<>();
    private final Queue<T> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inside = new AtomicInteger();
    /** Twice the entries left by the last purge: purges cost O(1) per overrun write, amortised. */
    private volatile int purgeAt = MIN_PURGE_AT;
    private final long holdNanos;

    OverrunThrottle() {
        this(HOLD_NANOS);
    }

    /** @param holdNanos how long a segment stays overrun; tests shorten it */
    OverrunThrottle(long holdNanos) {
        this.holdNanos = holdNanos;
    }

    /**
     * Notes that {@code key} was written again before its last version was published. Called on
     * the application's write path: one map update, nothing more (the purge is the workers').
     */
    void overrun(String key) {
        lastOverrun.put(key, System.nanoTime());
    }

    /**
     * Drops the entries of segments that are overrun no more, once there are many: a segment
     * overrun once and never queued again (deleted, or its job finished) is never looked up
     * again, so without this its entry would stay forever. Called by a worker after each
     * publication; a scan happens only when the entries have doubled since the last one.
     */
    void purgeIfGrown() {
        if (lastOverrun.size() > purgeAt) {
            long now = System.nanoTime();
            lastOverrun.values().removeIf(at -> now - at > holdNanos);
            purgeAt = Math.max(MIN_PURGE_AT, 2 * lastOverrun.size());
        }
    }

    /** @return true when {@code key} was overrun within the last {@link #HOLD_NANOS} */
    boolean isOverrun(String key) {
        Long at = lastOverrun.get(key);
        if (at == null) {
            return false;
        }
        if (System.nanoTime() - at <= holdNanos) {
            return true;
        }
        lastOverrun.remove(key, at);
        return false;
    }

    /** @return true when the caller may publish an overrun segment now; it must {@link #leave} after */
    boolean tryEnter(int runningWorkers) {
        int width = Math.max(1, runningWorkers / WORKERS_PER_PLACE);
        while (true) {
            int now = inside.get();
            if (now >= width) {
                return false;
            }
            if (inside.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** Leaves the lane and hands one waiting segment, if any, to {@code requeue}. */
    void leave(Consumer<T> requeue) {
        inside.decrementAndGet();
        T next = waiting.poll();
        if (next != null) {
            requeue.accept(next);
        }
    }

    /**
     * Makes a segment's queue entry wait for a place in the lane. If the lane emptied while it
     * was being added (its last worker left before the entry was there to be handed back), a
     * waiting entry is handed to {@code requeue} at once.
     */
    void await(T entry, int runningWorkers, Consumer<T> requeue) {
        waiting.add(entry);
        if (tryEnter(runningWorkers)) {
            leave(requeue);
        }
    }

    /** @return how many overrun segments wait for the lane; for tests and monitoring */
    int waiting() {
        return waiting.size();
    }

    /** @return how many segments have an entry (overrun now, or not looked up since); for tests */
    int tracked() {
        return lastOverrun.size();
    }
}
