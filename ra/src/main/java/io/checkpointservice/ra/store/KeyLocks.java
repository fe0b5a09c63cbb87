package io.checkpointservice.ra.store;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A fixed set of locks picked by key hash: bounded memory whatever the number of segments, and
 * keys on different stripes never wait for each other.
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
        ReentrantLock lock = stripes[Math.floorMod(key.hashCode(), STRIPES)];
        lock.lock();
        return lock::unlock;
    }

    /** A held lock; closing it unlocks. */
    @FunctionalInterface
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }
}
