package io.checkpointservice.ra.replication;

/**
 * Wakes threads waiting in {@code awaitReplicated} when something was published, so they check
 * again at once instead of at their next poll.
 *
 * <p>A waiter reads {@link #publications()} <em>before</em> it checks its condition and waits
 * with that count: a publish that lands between the check and the wait then ends the wait at
 * once instead of being missed (which cost up to a whole poll interval of lag).
 */
public final class ReplicationProgress {

    private final Object monitor = new Object();
    private long published;

    /** Called after every successful publish. */
    public void published() {
        synchronized (monitor) {
            published++;
            monitor.notifyAll();
        }
    }

    /** @return how many publishes happened so far; the argument of {@link #awaitPublishAfter} */
    public long publications() {
        synchronized (monitor) {
            return published;
        }
    }

    /**
     * Waits until a publish after the {@code seen}-th happens, at most {@code millis}; returns at
     * once when one already has.
     *
     * @param seen a value {@link #publications()} returned before the caller checked its condition
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public void awaitPublishAfter(long seen, long millis) throws InterruptedException {
        if (millis <= 0) {
            return;
        }
        synchronized (monitor) {
            long deadline = System.nanoTime() + millis * 1_000_000;
            while (published == seen) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return;
                }
                monitor.wait(left);
            }
        }
    }
}
