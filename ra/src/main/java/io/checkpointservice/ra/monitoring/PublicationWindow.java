package io.checkpointservice.ra.monitoring;

import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * Publications of the last minute: how many, how many bytes, and their replication lag, kept in
 * {@link #SECONDS} buckets of one second each (a ring: the bucket of a second 60 s ago is reused),
 * so memory is fixed however many versions are published. Each bucket counts lags in a
 * histogram whose buckets are exact up to 15 ms and then 8 per power of two: a percentile is
 * reported as the upper bound of its histogram bucket, at most 1/8 above the true value.
 *
 * <p>Publications happen on the replication workers, a few hundred to a few thousand a second
 * per node, never on the application's write path; one short lock is cheaper than anything
 * cleverer at that rate.
 */
final class PublicationWindow {

    /** The window: the last minute, in seconds. */
    static final int SECONDS = 60;
    private static final int EXACT = 16;
    private static final int SUB_BUCKETS = 8;
    /** Lags are counted up to 2^31 ms (24 days); longer ones land in the last bucket. */
    static final int LAG_BUCKETS = EXACT + (31 - 4) * SUB_BUCKETS;

    private final LongSupplier clockMillis;
    private final long startSecond;
    private final long[] second = new long[SECONDS];
    private final long[] publications = new long[SECONDS];
    private final long[] bytes = new long[SECONDS];
    private final long[] maxLag = new long[SECONDS];
    private final int[][] lags = new int[SECONDS][LAG_BUCKETS];

    PublicationWindow(LongSupplier clockMillis) {
        this.clockMillis = clockMillis;
        this.startSecond = Math.floorDiv(clockMillis.getAsLong(), 1000);
        Arrays.fill(second, Long.MIN_VALUE);
    }

    /** @param lagMillis from the local write to the record's compare-and-set; negative (clocks) counts as 0 */
    synchronized void record(long bytesPublished, long lagMillis) {
        long now = Math.floorDiv(clockMillis.getAsLong(), 1000);
        int slot = (int) Math.floorMod(now, SECONDS);
        if (second[slot] != now) {
            second[slot] = now;
            publications[slot] = 0;
            bytes[slot] = 0;
            maxLag[slot] = 0;
            Arrays.fill(lags[slot], 0);
        }
        long lag = Math.max(0, lagMillis);
        publications[slot]++;
        bytes[slot] += bytesPublished;
        maxLag[slot] = Math.max(maxLag[slot], lag);
        lags[slot][bucketOf(lag)]++;
    }

    /** @return the last minute's counts, rates and lag percentiles */
    synchronized Summary summary() {
        long now = Math.floorDiv(clockMillis.getAsLong(), 1000);
        long count = 0;
        long byteCount = 0;
        long max = 0;
        long[] merged = new long[LAG_BUCKETS];
        for (int slot = 0; slot < SECONDS; slot++) {
            if (second[slot] > now - SECONDS && second[slot] <= now) {
                count += publications[slot];
                byteCount += bytes[slot];
                max = Math.max(max, maxLag[slot]);
                for (int b = 0; b < LAG_BUCKETS; b++) {
                    merged[b] += lags[slot][b];
                }
            }
        }
        // A node up for less than a minute has not had a whole window yet: its rate is over its uptime.
        long seconds = Math.max(1, Math.min(SECONDS, now - startSecond + 1));
        return new Summary(count, (double) count / seconds, (double) byteCount / seconds,
                percentile(merged, count, 0.50, max), percentile(merged, count, 0.95, max),
                percentile(merged, count, 0.99, max));
    }

    private static long percentile(long[] histogram, long count, double fraction, long max) {
        if (count == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(fraction * count);
        long seen = 0;
        for (int b = 0; b < LAG_BUCKETS; b++) {
            seen += histogram[b];
            if (seen >= rank) {
                return Math.min(upperBound(b), max);
            }
        }
        return max;
    }

    /** @return the histogram bucket of a lag: exact below {@link #EXACT}, then 8 per power of two */
    static int bucketOf(long lag) {
        if (lag < EXACT) {
            return (int) lag;
        }
        int power = 63 - Long.numberOfLeadingZeros(lag); // 4 or more
        if (power >= 31) {
            return LAG_BUCKETS - 1;
        }
        int sub = (int) (lag >>> (power - 3)) & (SUB_BUCKETS - 1);
        return EXACT + (power - 4) * SUB_BUCKETS + sub;
    }

    /** @return the largest lag in bucket {@code b} */
    static long upperBound(int b) {
        if (b < EXACT) {
            return b;
        }
        int power = (b - EXACT) / SUB_BUCKETS + 4;
        int sub = (b - EXACT) % SUB_BUCKETS;
        return ((long) (SUB_BUCKETS + sub + 1) << (power - 3)) - 1;
    }

    /**
     * The last minute of publications.
     *
     * @param publications how many versions were published
     * @param publicationsPerSecond their rate over the minute (over the uptime when shorter)
     * @param bytesPerSecond the rate of their bytes, likewise
     * @param lagP50Millis median replication lag; 0 when nothing was published
     * @param lagP95Millis 95th percentile, likewise
     * @param lagP99Millis 99th percentile, likewise
     */
    record Summary(long publications, double publicationsPerSecond, double bytesPerSecond,
                   long lagP50Millis, long lagP95Millis, long lagP99Millis) {
    }
}
