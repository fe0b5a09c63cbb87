package io.checkpointservice.ra.cluster;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test-only: holds the record merge of a healed network split, so that a multi-process test can
 * drive a node while the merge is unresolved for as long as it needs (MergeResolutionIT), not
 * for the few seconds a real merge leaves. Inert unless the JVM runs with
 * {@code -Dcheckpoint.test.recordMergeHold=true}, which only the tests set; even then it holds
 * nothing until the test {@linkplain #arm arms} it, and no merge longer than {@link #LIMIT_SECONDS}.
 */
public final class RecordMergeHold {

    private static final boolean ENABLED = Boolean.getBoolean("checkpoint.test.recordMergeHold");
    /** A test that dies while holding must not leave conflict resolution stuck for good. */
    static final long LIMIT_SECONDS = 120;

    private static volatile CountDownLatch armed;
    private static final AtomicInteger HELD = new AtomicInteger();

    private RecordMergeHold() {
    }

    /** From now on every record merge waits until {@link #release}. */
    public static synchronized void arm() {
        if (!ENABLED) {
            throw new IllegalStateException("the record merge hold is for tests: start the JVM with"
                    + " -Dcheckpoint.test.recordMergeHold=true");
        }
        HELD.set(0);
        armed = new CountDownLatch(1);
    }

    /** Lets every held record merge go on, and disarms. */
    public static synchronized void release() {
        CountDownLatch latch = armed;
        armed = null;
        if (latch != null) {
            latch.countDown();
        }
    }

    /** @return how many record merges have been held since {@link #arm} */
    public static int held() {
        return HELD.get();
    }

    /** Called by {@link RecordMergePolicy} before it decides: waits while armed. */
    static void holdIfArmed() {
        CountDownLatch latch = ENABLED ? armed : null;
        if (latch == null) {
            return;
        }
        HELD.incrementAndGet();
        try {
            latch.await(LIMIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
