package io.checkpointservice.testsupport;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * Waiting in tests for something a background thread or another cluster member does, through
 * Awaitility with the bounds these tests share: the condition is checked at once and then every
 * {@link #POLL_INTERVAL}; after {@link #AT_MOST} the wait fails with a message that names
 * {@code what} (and, for {@code untilAsserted}, the last assertion's message).
 *
 * <pre>{@code
 * import static io.checkpointservice.testsupport.Await.await;
 *
 * await("a and b form one cluster").until(() -> a.members().size() == 2);
 * await("the chunk cache settles").atMost(Duration.ofSeconds(30)).until(...);
 * }</pre>
 */
public final class Await {

    /** How long a condition may take before the test fails, unless a test says otherwise. */
    public static final Duration AT_MOST = Duration.ofSeconds(15);
    /** How often a condition is checked, unless a test says otherwise. */
    public static final Duration POLL_INTERVAL = Duration.ofMillis(50);

    private Await() {
    }

    /**
     * @param what what the test waits for, in the failure message
     * @return Awaitility's builder with the shared bounds; uncaught exceptions of other threads
     *         are left to those threads (the cluster's own threads log theirs), so that a wait
     *         fails on its own condition only
     */
    public static ConditionFactory await(String what) {
        return Awaitility.await(what)
                .atMost(AT_MOST)
                .pollDelay(Duration.ZERO)
                .pollInterval(POLL_INTERVAL)
                .dontCatchUncaughtExceptions();
    }

    /**
     * A fixed pause, for what has no condition to wait for (a pace, time for a peer to notice
     * something); an interrupt ends it and is kept on the thread.
     *
     * @throws IllegalStateException when interrupted
     */
    public static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
