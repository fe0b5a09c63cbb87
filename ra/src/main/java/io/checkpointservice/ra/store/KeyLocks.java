package io.checkpointservice.ra.store;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A fixed set of locks picked by key hash: bounded memory whatever the number of segments, and
 * keys on different stripes never wait for each other. Keys of one stripe do, so nothing may
 * sleep or wait for a retry while holding one.
 */
public final class KeyLocks {

    private static final int STRIPES = 256;
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];

    public KeyLocks() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /** Locks {@code key}'s stripe until the returned handle is closed. */
    public Held lock(String key) {
        ReentrantLock lock = stripes[stripeOf(key)];
        lock.lock();
        return lock::unlock;
    }

    /** @return the stripe {@code key} locks; keys of one stripe wait for each other */
    public static int stripeOf(String key) {
        return Math.floorMod(key.hashCode(), STRIPES);
    }

    /** A held lock; closing it unlocks. */
    @FunctionalInterface
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }
}
