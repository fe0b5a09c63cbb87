package io.checkpointservice.ra.threads;

import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * The adapter's one back-off policy: the pause before retry {@code n} (0-based) doubles from
 * {@code firstMillis} up to {@code maxMillis}, drawn at random from the upper half of that, so
 * that nodes or keys that failed together do not retry in step and collide again.
 *
 * @param firstMillis the ceiling of the first pause
 * @param maxMillis the ceiling of every pause
 */
public record Backoff(long firstMillis, long maxMillis) {

    /**
     * A caller waits while other nodes change the segment's record (a publication, a take-over,
     * a rebalance while a node joins): pauses short enough for an application call.
     */
    public static final Backoff CONTENDED_RECORD = new Backoff(20, 500);
    /** A background publication failed (owners unreachable, a fenced record): no caller waits. */
    public static final Backoff REPLICATION = new Backoff(100, 5_000);

    public Backoff {
        if (firstMillis < 1 || maxMillis < firstMillis) {
            throw new IllegalArgumentException("back-off from " + firstMillis + " to " + maxMillis + " ms");
        }
    }

    /** @return the pause before retry {@code attempt} (0 for the first retry), in milliseconds */
    public long delayMillis(int attempt) {
        long ceiling = Math.min(maxMillis, firstMillis << Math.min(Math.max(attempt, 0), 20));
        long half = ceiling / 2;
        return ceiling - half + ThreadLocalRandom.current().nextLong(half + 1);
    }

    /**
     * Runs {@code attempt} until it decides, at most {@code attempts} times, pausing between
     * attempts in the calling thread. An attempt takes whatever lock it needs and releases it
     * before returning, so nothing is held during a pause.
     *
     * @param attempt returns the decision, or empty to be tried again
     * @return the decision; empty when no attempt decided
     * @throws InterruptedException when interrupted during a pause
     */
    public <T> Optional<T> retry(int attempts, Supplier<Optional<T>> attempt) throws InterruptedException {
        for (int i = 0; i < attempts; i++) {
            Optional<T> decided = attempt.get();
            if (decided.isPresent()) {
                return decided;
            }
            if (i + 1 < attempts) {
                Thread.sleep(delayMillis(i));
            }
        }
        return Optional.empty();
    }
}
