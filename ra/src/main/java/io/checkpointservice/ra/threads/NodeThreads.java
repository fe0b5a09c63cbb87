package io.checkpointservice.ra.threads;

import java.time.Duration;

/**
 * Where a node's background work runs. The node creates no thread of its own: in an application
 * server the resource adapter supplies its WorkManager and a timer of its BootstrapContext, as
 * JCA asks, so the server owns, counts and stops every thread; a JVM without a server (the
 * replica node, the benchmarks, tests) supplies {@link PlainNodeThreads}.
 */
public interface NodeThreads {

    /**
     * Runs {@code task} on a thread of its own until it returns, typically the node's lifetime
     * (a replication worker).
     *
     * @param release makes {@code task} return soon; called when the embedding takes its threads
     *     back before the node stopped the task itself (a server shutting down)
     * @throws IllegalStateException when the embedding refuses the task
     */
    void runLongLived(String name, Runnable task, Runnable release);

    /**
     * Runs a short {@code task} once, after {@code delay}, unless cancelled before.
     *
     * @return cancels the run if it has not started
     * @throws IllegalStateException when the embedding no longer takes tasks (it is closing)
     */
    Scheduled runLater(String name, Runnable task, Duration delay);

    /** A run to come. */
    @FunctionalInterface
    interface Scheduled {
        /** Drops the run if it has not started; harmless afterwards. */
        void cancel();
    }
}
