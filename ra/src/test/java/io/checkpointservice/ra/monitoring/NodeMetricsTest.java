package io.checkpointservice.ra.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The counters the MBean reads: what a failed publication leaves, and the lag of a publication. */
class NodeMetricsTest {

    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    private final NodeMetrics metrics = new NodeMetrics(now::get);

    @Test
    void aFailedPublicationKeepsItsSegmentErrorAndTime() {
        assertNull(metrics.lastError());
        metrics.publicationFailed("default/a", new IllegalStateException("first"));
        now.addAndGet(5_000);
        metrics.publicationFailed("default/b", new UncheckedIOException(new IOException("owner gone")));

        assertEquals(2, metrics.failedPublications());
        assertEquals("'default/b': java.io.UncheckedIOException: java.io.IOException: owner gone", metrics.lastError().text());
        assertEquals(now.get(), metrics.lastError().atMillis());
    }

    @Test
    void aPublicationCountsItsBytesAndItsLagFromTheLocalWrite() {
        metrics.published(4_096, now.get() - 37);
        metrics.published(10, now.get() - 3);

        assertEquals(2, metrics.publications());
        assertEquals(4_106, metrics.publishedBytes());
        assertEquals(37, metrics.lastMinute().lagP99Millis());
        assertEquals(3, metrics.lastMinute().lagP50Millis());
    }

    @Test
    void loadsAreCountedByOutcome() {
        metrics.loaded(LoadOutcome.REPLICA);
        metrics.loaded(LoadOutcome.REPLICA);
        metrics.loaded(LoadOutcome.UNAVAILABLE);
        assertEquals(2, metrics.loads(LoadOutcome.REPLICA));
        assertEquals(1, metrics.loads(LoadOutcome.UNAVAILABLE));
        assertEquals(0, metrics.loads(LoadOutcome.GLOBAL_STORE));
    }
}
