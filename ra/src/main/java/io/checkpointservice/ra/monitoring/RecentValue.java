package io.checkpointservice.ra.monitoring;

import java.util.function.Supplier;

/**
 * A value that is costly to work out (it reads every segment or chunk this node holds), worked
 * out again only when the last one is older than {@code maxAgeMillis}: a JMX client reading all
 * attributes at once asks for several parts of it in a row.
 */
final class RecentValue<T> {

    private final long maxAgeNanos;
    private final Supplier<T> compute;
    private T value;
    private long computedAt;

    RecentValue(long maxAgeMillis, Supplier<T> compute) {
        this.maxAgeNanos = maxAgeMillis * 1_000_000;
        this.compute = compute;
    }

    synchronized T get() {
        long now = System.nanoTime();
        if (value == null || now - computedAt > maxAgeNanos) {
            value = compute.get();
            computedAt = now;
        }
        return value;
    }
}
