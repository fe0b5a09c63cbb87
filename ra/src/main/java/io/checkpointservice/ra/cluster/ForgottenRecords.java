package io.checkpointservice.ra.cluster;

import io.checkpointservice.ra.threads.NodeThreads;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.infinispan.notifications.Listener;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryRemoved;
import org.infinispan.notifications.cachelistener.event.CacheEntryRemovedEvent;

/**
 * Tells the node of every record the cluster forgot ({@link TombstoneCompactor}), on one of the
 * node's threads, in batches: the listener only queues, because the node's follow-up takes the
 * segment's lock and touches its disk, which must not hold up the cluster's remove (the node
 * holding that lock may itself be waiting on the cluster).
 */
@Listener(observation = Listener.Observation.POST)
final class ForgottenRecords {

    private static final Logger LOG = Logger.getLogger(ForgottenRecords.class.getName());
    private static final String NAME = "checkpoint-forgotten-records";

    private final NodeThreads threads;
    private final Queue<Map.Entry<String, SegmentRecord>> queued = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final List<BiConsumer<String, SegmentRecord>> actions = new CopyOnWriteArrayList<>();

    ForgottenRecords(NodeThreads threads) {
        this.threads = threads;
    }

    /** Adds {@code forgotten} to what is done for each forgotten record, in the order added. */
    void onEach(BiConsumer<String, SegmentRecord> forgotten) {
        actions.add(forgotten);
    }

    @CacheEntryRemoved
    public void removed(CacheEntryRemovedEvent<String, String> event) {
        if (event.getOldValue() == null) {
            return;
        }
        try {
            queued.add(Map.entry(event.getKey(), SegmentRecord.decode(event.getOldValue())));
        } catch (RuntimeException e) {
            LOG.fine(() -> "forgotten record of '" + event.getKey() + "' cannot be read: " + e.getMessage());
            return;
        }
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                threads.runLater(NAME, this::drain, Duration.ZERO);
            } catch (RuntimeException e) { // the node is stopping: what it holds is checked at its next start
                drainScheduled.set(false);
            }
        }
    }

    private void drain() {
        drainScheduled.set(false);
        for (Map.Entry<String, SegmentRecord> next; (next = queued.poll()) != null; ) {
            for (BiConsumer<String, SegmentRecord> action : actions) {
                try {
                    action.accept(next.getKey(), next.getValue());
                } catch (RuntimeException e) {
                    Map.Entry<String, SegmentRecord> failed = next;
                    LOG.log(Level.WARNING, "what this node held of the forgotten segment '" + failed.getKey()
                            + "' not dropped: " + e.getMessage(), e);
                }
            }
        }
    }
}
