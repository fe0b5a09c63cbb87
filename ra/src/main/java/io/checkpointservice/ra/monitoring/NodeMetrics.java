package io.checkpointservice.ra.monitoring;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The event counters of one node, updated where the events happen (replicator, loader, write)
 * and read by the node's MBean. Each update is an increment of a {@link LongAdder}, which
 * threads on different cores do not contend for; nothing here is read or allocated on the write
 * path. Counters start at zero when the node starts and only grow.
 */
public final class NodeMetrics {

    private final LongSupplier clockMillis;
    private final LongAdder publications = new LongAdder();
    private final LongAdder publishedBytes = new LongAdder();
    private final LongAdder failedPublications = new LongAdder();
    private volatile PublicationError lastError;
    private final LongAdder takeOvers = new LongAdder();
    private final LongAdder fencedWrites = new LongAdder();
    private final Map<LoadOutcome, LongAdder> loads = new EnumMap<>(LoadOutcome.class);
    private final PublicationWindow window;

    public NodeMetrics() {
        this(System::currentTimeMillis);
    }

    /** @param clockMillis the wall clock, in milliseconds since the epoch (tests pass their own) */
    NodeMetrics(LongSupplier clockMillis) {
        this.clockMillis = clockMillis;
        this.window = new PublicationWindow(clockMillis);
        for (LoadOutcome outcome : LoadOutcome.values()) {
            loads.put(outcome, new LongAdder());
        }
    }

    /**
     * A version reached the cluster: its record's compare-and-set succeeded.
     *
     * @param bytes the version's size
     * @param writtenAtMillis when the application wrote it (the version's {@code writtenAt}); the
     *     replication lag is the time from then to now
     */
    public void published(long bytes, long writtenAtMillis) {
        publications.increment();
        publishedBytes.add(bytes);
        window.record(bytes, clockMillis.getAsLong() - writtenAtMillis);
    }

    /** A publication attempt failed and will be retried. */
    public void publicationFailed(String key, Throwable error) {
        failedPublications.increment();
        lastError = new PublicationError("'" + key + "': " + error, clockMillis.getAsLong());
    }

    /** This node moved a segment's record from another writer to itself. */
    public void tookOver() {
        takeOvers.increment();
    }

    /** A write was refused because another node has taken the segment over. */
    public void fencedWrite() {
        fencedWrites.increment();
    }

    /** A load ended with {@code outcome}. */
    public void loaded(LoadOutcome outcome) {
        loads.get(outcome).increment();
    }

    long publications() {
        return publications.sum();
    }

    long publishedBytes() {
        return publishedBytes.sum();
    }

    long failedPublications() {
        return failedPublications.sum();
    }

    /** @return the last failure, or null when none happened */
    PublicationError lastError() {
        return lastError;
    }

    long takeOvers() {
        return takeOvers.sum();
    }

    long fencedWrites() {
        return fencedWrites.sum();
    }

    long loads(LoadOutcome outcome) {
        return loads.get(outcome).sum();
    }

    /** @return publications, bytes and lag over the last minute */
    PublicationWindow.Summary lastMinute() {
        return window.summary();
    }

    /** A failed publication: what failed and when (milliseconds since the epoch). */
    record PublicationError(String text, long atMillis) {
    }
}
