package io.checkpointservice.ra.replication;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ReplicationProgressTest {

    private final ReplicationProgress progress = new ReplicationProgress();

    @Test
    void aPublishBetweenTheCheckAndTheWaitEndsTheWaitAtOnce() throws Exception {
        long seen = progress.publications();
        // awaitReplicated checked its condition here and found it false; then the worker publishes:
        progress.published();

        long start = System.nanoTime();
        progress.awaitPublishAfter(seen, 30_000);
        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertTrue(waitedMillis < 10_000, "the publish that happened before the wait must end it, waited "
                + waitedMillis + " ms of 30,000");
    }

    @Test
    void withoutAPublishTheWaitLastsItsTimeout() throws Exception {
        long start = System.nanoTime();
        progress.awaitPublishAfter(progress.publications(), 200);
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(190), "returned before its timeout");
    }

    @Test
    void aLaterPublishWakesAWaiter() throws Exception {
        long seen = progress.publications();
        CountDownLatch woken = new CountDownLatch(1);
        Thread waiter = new Thread(() -> {
            try {
                progress.awaitPublishAfter(seen, 30_000);
                woken.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waiter.start();
        progress.published();
        assertTrue(woken.await(10, TimeUnit.SECONDS), "the waiter was not woken by the publish");
        waiter.join();
    }
}
