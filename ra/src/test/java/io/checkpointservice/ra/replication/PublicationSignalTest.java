package io.checkpointservice.ra.replication;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PublicationSignalTest {

    private final PublicationSignal progress = new PublicationSignal();

    @Test
    void aPublishBetweenTheCheckAndTheWaitEndsTheWaitAtOnce() throws Exception {
        long seen = progress.publications("app/a");
        // awaitReplicated checked its condition here and found it false; then the worker publishes:
        progress.published("app/a");

        long start = System.nanoTime();
        progress.awaitPublishAfter("app/a", seen, 30_000);
        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertTrue(waitedMillis < 10_000, "the publish that happened before the wait must end it, waited "
                + waitedMillis + " ms of 30,000");
    }

    @Test
    void withoutAPublishTheWaitLastsItsTimeout() throws Exception {
        long start = System.nanoTime();
        progress.awaitPublishAfter("app/a", progress.publications("app/a"), 200);
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(190), "returned before its timeout");
    }

    @Test
    void aLaterPublishOfItsSegmentWakesAWaiter() throws Exception {
        CountDownLatch woken = waiterOn("app/a");
        progress.published("app/a");
        assertTrue(woken.await(10, TimeUnit.SECONDS), "the waiter was not woken by the publish");
    }

    @Test
    void aPublishOfAnotherSegmentLeavesAWaiterAlone() throws Exception {
        String other = keyOnAnotherStripeThan("app/a");
        CountDownLatch woken = waiterOn("app/a");
        progress.published(other);
        assertFalse(woken.await(300, TimeUnit.MILLISECONDS), "woken by a segment it does not wait for");
        progress.published("app/a");
        assertTrue(woken.await(10, TimeUnit.SECONDS));
    }

    private CountDownLatch waiterOn(String key) {
        long seen = progress.publications(key);
        CountDownLatch woken = new CountDownLatch(1);
        Thread waiter = new Thread(() -> {
            try {
                progress.awaitPublishAfter(key, seen, 30_000);
                woken.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waiter.setDaemon(true);
        waiter.start();
        return woken;
    }

    private String keyOnAnotherStripeThan(String key) {
        for (int i = 0; ; i++) {
            String candidate = "app/other-" + i;
            long before = progress.publications(key);
            progress.published(candidate);
            if (progress.publications(key) == before) {
                return candidate;
            }
        }
    }
}
