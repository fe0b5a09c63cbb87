package io.checkpointservice.ra.replication;

/**
 * Wakes threads waiting in {@code awaitReplicated} when something was published, so they check
 * again at once instead of at their next poll.
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

    /**
     * Waits for the next publish or at most {@code millis}.
     *
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public void awaitChange(long millis) throws InterruptedException {
        if (millis <= 0) {
            return;
        }
        synchronized (monitor) {
            long seen = published;
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
