package io.checkpointservice.ra.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The last minute of publications: lag percentiles within 1/8 of the true value, and nothing older than a minute. */
class PublicationWindowTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);
    private final PublicationWindow window = new PublicationWindow(now::get);

    @Test
    void percentilesOfTheLastMinuteAreWithinAnEighthAboveTheTrueValue() {
        for (int lag = 1; lag <= 1_000; lag++) {
            window.record(100, lag);
            now.addAndGet(20); // 1,000 publications over 20 s
        }
        PublicationWindow.Summary summary = window.summary();
        assertEquals(1_000, summary.publications());
        assertBetween(500, 500 * 9 / 8, summary.lagP50Millis(), "median");
        assertBetween(950, 950 * 9 / 8, summary.lagP95Millis(), "95th percentile");
        assertBetween(990, 1_000, summary.lagP99Millis(), "99th percentile: never above the largest lag seen");
        assertEquals(1_000 / 21.0, summary.publicationsPerSecond(), 0.001, "a node up for 21 s has its rate over 21 s");
        assertEquals(100_000 / 21.0, summary.bytesPerSecond(), 0.1);
    }

    @Test
    void smallLagsAreExact() {
        for (int i = 0; i < 98; i++) {
            window.record(1, 3);
        }
        window.record(1, 7);
        window.record(1, 12);
        PublicationWindow.Summary summary = window.summary();
        assertEquals(3, summary.lagP50Millis());
        assertEquals(3, summary.lagP95Millis());
        assertEquals(7, summary.lagP99Millis());
    }

    @Test
    void publicationsOlderThanAMinuteLeaveTheWindow() {
        for (int i = 0; i < 100; i++) {
            window.record(10, 5_000); // a slow moment
        }
        now.addAndGet(30_000);
        for (int i = 0; i < 100; i++) {
            window.record(10, 2);
        }
        assertEquals(5_000, window.summary().lagP99Millis(), "both moments are in the last minute");

        now.addAndGet(31_000);
        PublicationWindow.Summary later = window.summary();
        assertEquals(100, later.publications(), "the slow moment is more than a minute ago");
        assertEquals(2, later.lagP99Millis());
        assertEquals(100 / 60.0, later.publicationsPerSecond(), 0.001, "after a minute, the rate is over a minute");

        now.addAndGet(60_000);
        PublicationWindow.Summary idle = window.summary();
        assertEquals(0, idle.publications());
        assertEquals(0, idle.lagP50Millis(), "nothing published in the last minute: 0");
        assertEquals(0.0, idle.publicationsPerSecond());
    }

    @Test
    void aBucketReusedAMinuteLaterStartsEmpty() {
        window.record(10, 900);
        now.addAndGet(60_000); // the same slot of the ring, one minute on
        window.record(10, 1);
        PublicationWindow.Summary summary = window.summary();
        assertEquals(1, summary.publications());
        assertEquals(1, summary.lagP99Millis());
    }

    @Test
    void negativeLagsFromClockStepsCountAsZero() {
        window.record(1, -40);
        assertEquals(0, window.summary().lagP99Millis());
    }

    @Test
    void everyLagFallsInABucketWhoseUpperBoundIsAtMostAnEighthAbove() {
        for (long lag = 0; lag < 3_000_000; lag += lag < 1_000 ? 1 : 997) {
            long bound = PublicationWindow.upperBound(PublicationWindow.bucketOf(lag));
            assertTrue(bound >= lag && bound <= lag + lag / 8, lag + " -> " + bound);
        }
        assertEquals(PublicationWindow.LAG_BUCKETS - 1, PublicationWindow.bucketOf(Long.MAX_VALUE));
        for (int b = 0; b < PublicationWindow.LAG_BUCKETS; b++) {
            assertEquals(b, PublicationWindow.bucketOf(PublicationWindow.upperBound(b)), "bucket " + b);
        }
    }

    private static void assertBetween(long low, long high, long actual, String what) {
        assertTrue(actual >= low && actual <= high, what + ": " + actual + " not in [" + low + ", " + high + "]");
    }
}
