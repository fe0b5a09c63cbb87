package io.checkpointservice.ra.cluster;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import java.util.logging.Logger;
import org.infinispan.Cache;
import org.infinispan.conflict.ConflictManagerFactory;
import org.infinispan.notifications.Listener;
import org.infinispan.notifications.cachelistener.annotation.TopologyChanged;
import org.infinispan.notifications.cachelistener.event.TopologyChangedEvent;
import org.jgroups.JChannel;

/**
 * Closed from the moment this node's JGroups stack passes up the merged view of a healed network
 * split ({@link MergeWatch}), before Infinispan installs it, until the merge is resolved here:
 * Infinispan has installed that view (or a later one) and both caches run a topology of every
 * member of it, with neither conflict resolution nor a rebalance in progress. In between, this
 * node's records and chunks may still be its own side's, and {@link RecordMergePolicy} may
 * overturn them: the losing side's writer still finds itself the owner of its discarded lineage,
 * and would return and extend it. So {@code load}, {@code write}'s fencing decision,
 * {@code delete} and {@code awaitReplicated} pass this gate first (docs/RELIABILITY.md, "Network
 * partitions").
 *
 * <p>Open, the gate costs two volatile reads: the write path stays local and fast (G1). A node
 * cannot know of a split before its merged view arrives, so what it answers before then is its
 * own side's, as during the split itself.
 */
@Listener
public final class MergeGate {

    private static final Logger LOG = Logger.getLogger(MergeGate.class.getName());
    /** Returned by {@link #passWithin} when a merge is still unresolved after the patience given. */
    public static final long UNRESOLVED = -1;
    /** How often a waiter looks again, besides being woken by a topology change. */
    private static final long RECHECK_MILLIS = 20;

    /** A gate that never closes, for a cluster without merges (one node, or one JVM). */
    public static final MergeGate NEVER_CLOSED = new MergeGate(viewId -> true);

    private final LongPredicate resolvedHere;
    private final Object monitor = new Object();
    /** Merged views seen; a pass taken before one began is no longer valid. */
    private volatile long merges;
    private volatile boolean pending;
    private long mergedAtNanos;
    private long mergedViewId;

    /** @param resolvedHere true when the merge of the given view id is resolved on this node */
    MergeGate(LongPredicate resolvedHere) {
        this.resolvedHere = resolvedHere;
    }

    /**
     * A gate over the given caches, closed by the {@link MergeWatch} of {@code channel}'s stack and
     * opened by their topologies.
     *
     * @param views tells the id of the view Infinispan installed last (a merged view is installed
     *     after JGroups passes it up)
     * @throws IllegalStateException when the stack has no MergeWatch
     */
    static MergeGate watching(JChannel channel, List<Cache<?, ?>> caches, ViewChanges views) {
        MergeWatch watch = channel.getProtocolStack().findProtocol(MergeWatch.class);
        if (watch == null) {
            throw new IllegalStateException("the JGroups stack lacks " + MergeWatch.class.getSimpleName());
        }
        // The view must be Infinispan's too: until it is, the old view's members "settle" the old topology.
        MergeGate gate = new MergeGate(viewId -> views.installedViewId() >= viewId
                && caches.stream().allMatch(MergeGate::settled));
        caches.forEach(cache -> cache.addListener(gate));
        watch.closes(gate);
        return gate;
    }

    /**
     * Settled as {@link AbandonedChunkSweeper} means it (a topology of every member, no rebalance,
     * no conflict-resolution phase), and this node is not running a conflict resolution itself.
     */
    private static boolean settled(Cache<?, ?> cache) {
        return AbandonedChunkSweeper.isSettled(cache)
                && !ConflictManagerFactory.get(cache.getAdvancedCache()).isConflictResolutionInProgress();
    }

    @TopologyChanged
    public void topologyChanged(TopologyChangedEvent<?, ?> event) {
        if (!event.isPre() && pending) {
            checkResolved();
        }
    }

    /**
     * A merged view is being installed: from now on nothing passes until it is resolved.
     *
     * @param subgroups the sides it merges, for the log
     */
    void mergeBegan(long viewId, String subgroups) {
        synchronized (monitor) {
            merges++;
            pending = true;
            mergedAtNanos = System.nanoTime();
            mergedViewId = viewId;
        }
        LOG.info(() -> "merged view " + viewId + " of " + subgroups
                + ": loads, writes and awaits wait until the merge is resolved on this node");
    }

    /**
     * Waits until no merge is pending on this node.
     *
     * @param patience how long to wait at most; zero looks once
     * @return a pass to hand to {@link #stillValid} once the answer is decided, or
     *     {@link #UNRESOLVED} when the merge is still unresolved after {@code patience} or the
     *     thread was interrupted (its interrupt flag is then set again)
     */
    public long passWithin(Duration patience) {
        long seen = merges; // read before pending: a merge beginning in between fails stillValid
        if (!pending) {
            return seen;
        }
        long deadline = System.nanoTime() + patience.toNanos();
        synchronized (monitor) {
            while (true) {
                checkResolved();
                if (!pending) {
                    return merges;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return UNRESOLVED;
                }
                try {
                    monitor.wait(Math.max(1, Math.min(RECHECK_MILLIS, TimeUnit.NANOSECONDS.toMillis(left))));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return UNRESOLVED;
                }
            }
        }
    }

    /**
     * @return true when no merge began since {@code pass} was taken: an answer decided since
     *     then went by resolved records
     */
    public boolean stillValid(long pass) {
        return pass != UNRESOLVED && !pending && merges == pass;
    }

    /** @return true while a merged view's records may still be overturned here */
    public boolean isPending() {
        return pending;
    }

    private void checkResolved() {
        long before;
        long viewId;
        synchronized (monitor) {
            before = merges;
            viewId = mergedViewId;
        }
        boolean resolved = resolvedHere.test(viewId);
        synchronized (monitor) {
            // A merge that began while looking needs a look of its own.
            if (resolved && pending && merges == before) {
                pending = false;
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - mergedAtNanos);
                LOG.info(() -> "merge resolved on this node " + millis + " ms after the merged view");
                monitor.notifyAll();
            }
        }
    }
}
