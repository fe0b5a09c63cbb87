package io.checkpointservice.ra.replication;

/**
 * Wakes threads waiting in {@code awaitReplicated} when their segment was published, so they
 * check again at once instead of at their next poll.
 *
 * <p>Waiters are woken per stripe of segment keys, not all at once: with many writers waiting,
 * each publish would otherwise wake every one of them to re-check a segment that did not change
 * (on a small host that herd competes with the replication it waits for).
 *
 * <p>A waiter reads {@link #publications} <em>before</em> it checks its condition and waits
 * with that count: a publish that lands between the check and the wait then ends the wait at
 * once instead of being missed (which cost up to a whole poll interval of lag).
 */
public final class PublicationSignal {

    private static final int STRIPES = 64;
    private final Stripe[] stripes = new Stripe[STRIPES];

    public PublicationSignal() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Stripe();
        }
    }

    /** Called after every successful publish of {@code key}. */
    public void published(String key) {
        stripe(key).published();
    }

    /** @return a count that grows with every publish of {@code key}; the argument of {@link #awaitPublishAfter} */
    public long publications(String key) {
        return stripe(key).count();
    }

    /**
     * Waits until {@code key} (or a key of its stripe) is published after the caller read
     * {@code seen}, at most {@code millis}; returns at once when that has already happened.
     *
     * @param seen a value {@link #publications} returned before the caller checked its condition
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public void awaitPublishAfter(String key, long seen, long millis) throws InterruptedException {
        stripe(key).awaitAfter(seen, millis);
    }

    private Stripe stripe(String key) {
        return stripes[Math.floorMod(key.hashCode(), STRIPES)];
    }

    private static final class Stripe {
        private long published;

        synchronized void published() {
            published++;
            notifyAll();
        }

        synchronized long count() {
            return published;
        }

        synchronized void awaitAfter(long seen, long millis) throws InterruptedException {
            long deadline = System.nanoTime() + millis * 1_000_000;
            while (published == seen) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return;
                }
                wait(left);
            }
        }
    }
}
